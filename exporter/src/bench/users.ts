import { AutocannonResult } from './load';
import { runInProcess } from './one-shot-process';

/**
 * The people's load (autocannon, a closed loop: each user asks again as soon as answered) in a
 * process of its own, in a session of its own whose scheduling group runs at nice 10. On a real
 * system these users are browsers on other machines; here they share the exporter's two cores, and
 * at a full share their generator (over a thousand requests a second at L) takes CPU from the very
 * database, scrapes and ingest it is measured beside. A process nice value alone does not do it
 * where the kernel shares CPU time between sessions first (Linux autogroup; see as-a-service.ts):
 * it orders the generator only within its session's group. Its own latencies still count from
 * when it sent each request to the whole answer.
 */
export const USERS_NICE = 10;

export function usersLoad(options: Record<string, unknown>): Promise<AutocannonResult> {
  return runInProcess('users-process', options, { ownSession: true, groupNice: USERS_NICE });
}
