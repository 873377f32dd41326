import { extname, join } from 'node:path';
import { spawnModuleProcess } from '../compute/spawn';
import { lowerPriority } from '../compute/priorities';
import { AutocannonResult } from './load';

/**
 * The people's load (autocannon, a closed loop: each user asks again as soon as answered) in a
 * process of its own at nice 10. On a real system these users are browsers on other machines;
 * here they share the exporter's two cores, and at normal priority their generator (over a
 * thousand requests a second at L) takes CPU from the very scrapes and ingest it is measured
 * beside. Its own latencies still count from when it sent each request to the whole answer.
 */
export const USERS_NICE = 10;

export function usersLoad(options: Record<string, unknown>): Promise<AutocannonResult> {
  const child = spawnModuleProcess(join(__dirname, `users-process${extname(__filename)}`));
  if (child.pid !== undefined) lowerPriority(child.pid, USERS_NICE);
  return new Promise((resolve, reject) => {
    child.once('message', (msg: { result?: AutocannonResult; error?: string }) =>
      msg.result ? resolve(msg.result) : reject(new Error(msg.error ?? 'load generator failed')),
    );
    child.once('exit', (code) => reject(new Error(`load generator exited (${code}) without a result`)));
    child.send(options);
  });
}
