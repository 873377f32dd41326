import { DEFAULT_DAY_OFFSETS, RETURN_WINDOW_DAYS } from '@saasmon/contract';
import { CohortActivity, RetentionMode } from './retention';

/**
 * Retention at day offsets (docs/metrics.md "Retention at day offsets"): a user who signed up on
 * day s is retained at day N when they were active on at least one day of [s+N-6, s+N] (the week
 * ending on day N; "on or after": on day s+N-6 or any later day). Users are grouped into cohorts
 * by signup period; a cell counts only when day s+N is complete for every user of the cohort,
 * else it is incomplete (undefined), never 0.
 */

// The offsets' default and the window length are part of the query contract.
export { DEFAULT_DAY_OFFSETS, RETURN_WINDOW_DAYS };
const DAY_MS = 86_400_000;

export interface DayOffsetCell {
  cohortStartMs: number;
  cohortSize: number;
  offset: number;
  retained: number | undefined;
  rate: number | undefined;
  incomplete: boolean;
}

/** Whether a user whose return offsets (days after signup, >= 1) are `returns` counts at day N. */
export function retainedAtDay(returns: readonly number[], n: number, mode: RetentionMode): boolean {
  const lo = n - RETURN_WINDOW_DAYS + 1;
  return returns.some((k) => k >= lo && (mode === 'on_or_after' || k <= n));
}

/**
 * Cells per (cohort, offset) from signup-day cohorts (CohortActivity with day periods: each
 * user's returns are day offsets). `cohortOf` maps a signup day (ms) to its cohort's start.
 */
export function dayOffsetCells(
  signupDays: readonly CohortActivity[],
  offsets: readonly number[],
  mode: RetentionMode,
  cohortOf: (dayMs: number) => number,
  nowMs: number,
): DayOffsetCell[] {
  const cohorts = new Map<number, { size: number; lastDayMs: number; retained: number[] }>();
  for (const d of signupDays) {
    const start = cohortOf(d.cohortStartMs);
    let c = cohorts.get(start);
    if (!c) cohorts.set(start, (c = { size: 0, lastDayMs: d.cohortStartMs, retained: offsets.map(() => 0) }));
    c.size += d.size;
    c.lastDayMs = Math.max(c.lastDayMs, d.cohortStartMs);
    for (const user of d.returns)
      offsets.forEach((n, i) => {
        if (retainedAtDay(user, n, mode)) c.retained[i] = (c.retained[i] as number) + 1;
      });
  }
  return [...cohorts.entries()]
    .sort(([a], [b]) => a - b)
    .flatMap(([start, c]) =>
      offsets.map((n, i) => {
        // Day s+N is complete when it ended at or before now, for the cohort's last signup day s.
        const incomplete = c.lastDayMs + (n + 1) * DAY_MS > nowMs;
        const retained = incomplete ? undefined : (c.retained[i] as number);
        return {
          cohortStartMs: start,
          cohortSize: c.size,
          offset: n,
          retained,
          rate: retained === undefined || c.size === 0 ? undefined : retained / c.size,
          incomplete,
        };
      }),
    );
}
