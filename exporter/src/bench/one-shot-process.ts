import { extname, join } from 'node:path';
import { spawnModuleProcess } from '../compute/spawn';
import { lowerGroupPriority, lowerPriority } from '../compute/priorities';

// A load generator in a process of its own, for one job: the parent sends the job, the child
// runs it, sends back its result (or its error) and exits. Both sides of that exchange.

type Outcome<O> = { result?: O; error?: string };

/**
 * Runs `module` (a file of bench/, without extension) on `input` in a new process. `nice`: the
 * process's priority within its scheduling group; `groupNice` (with `ownSession`): its session's
 * group's priority against the others (compute/priorities.ts).
 */
export function runInProcess<I, O>(
  module: string,
  input: I,
  options: { ownSession?: boolean; nice?: number; groupNice?: number } = {},
): Promise<O> {
  const child = spawnModuleProcess(join(__dirname, `${module}${extname(__filename)}`), process.env, { ownSession: options.ownSession });
  if (child.pid !== undefined && options.nice) lowerPriority(child.pid, options.nice);
  if (child.pid !== undefined && options.ownSession && options.groupNice) lowerGroupPriority(child.pid, options.groupNice);
  return new Promise((resolve, reject) => {
    child.once('message', (msg: Outcome<O>) =>
      msg.result !== undefined ? resolve(msg.result) : reject(new Error(msg.error ?? `${module} failed`)),
    );
    child.once('exit', (code) => reject(new Error(`${module} exited (${code}) without a result`)));
    child.send(input as object);
  });
}

/** The child's side: takes one job, answers with run's result and exits (also when the parent goes). */
export function serveOneJob<I, O>(run: (input: I) => Promise<O>): void {
  process.on('disconnect', () => process.exit(0));
  process.once('message', (input: I) => {
    void run(input).then(
      (result) => process.send?.({ result } satisfies Outcome<O>, () => process.exit(0)),
      (err: unknown) => process.send?.({ error: (err as Error).message } satisfies Outcome<O>, () => process.exit(1)),
    );
  });
}
