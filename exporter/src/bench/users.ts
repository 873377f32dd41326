import { AutocannonResult } from './load';
import { runInProcess } from './one-shot-process';

/**
 * The people's load (autocannon, a closed loop: each user asks again as soon as answered) in a
 * process of its own at nice 10. On a real system these users are browsers on other machines;
 * here they share the exporter's two cores, and at normal priority their generator (over a
 * thousand requests a second at L) takes CPU from the very scrapes and ingest it is measured
 * beside. Its own latencies still count from when it sent each request to the whole answer.
 */
export const USERS_NICE = 10;

export function usersLoad(options: Record<string, unknown>): Promise<AutocannonResult> {
  return runInProcess('users-process', options, { nice: USERS_NICE });
}
