import { isDatabaseUnavailable } from '../api/errors';
import { Logger } from '../logger';

/**
 * Runs `step` (e.g. the migrations at start) until the database answers: while it is unreachable
 * (down, restarting, refusing connections), each failed try logs one line and waits, doubling the
 * wait up to `maxDelayMs`. Any other error (bad credentials, bad SQL) is thrown at once. After
 * `maxWaitMs` of waiting the last error is thrown too, so that a wrong DATABASE_URL ends in one
 * line and exit 2 rather than retrying forever (a supervisor that restarts the exporter waits longer).
 */
export async function retryWhileUnreachable<T>(
  step: () => Promise<T>,
  log: Logger,
  what: string,
  options: { firstDelayMs?: number; maxDelayMs?: number; maxWaitMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let delay = options.firstDelayMs ?? 1_000;
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (err) {
      if (!isDatabaseUnavailable(err)) throw err;
      const maxWait = options.maxWaitMs ?? Infinity;
      if (waited >= maxWait) throw err;
      delay = Math.min(delay, maxWait - waited);
      log.warn(`database unreachable (${what}); retrying in ${Math.round(delay / 1000)} s`, {
        attempt,
        error: (err as Error).message,
      });
      await sleep(delay);
      waited += delay;
      delay = Math.min(delay * 2, options.maxDelayMs ?? 30_000);
    }
  }
}
