/**
 * Cohort retention matrix (docs/metrics.md, "Retention matrix"), as plain functions: from
 * each cohort's size and, per user, the period indexes they returned in, to cells.
 *  - return_on (default, bounded): a user counts in period k when they returned in period k.
 *  - on_or_after (unbounded): a user counts in every period up to the last one they returned in.
 * Period 0 is the cohort itself (100%, with its size), even while its period runs (the current
 * week's cohort is then still growing, and marked incomplete). Any later cell whose period has
 * not ended is incomplete: its value is left undefined, not 0.
 */

export type RetentionMode = 'return_on' | 'on_or_after';

export interface CohortActivity {
  cohortStartMs: number;
  size: number;
  /** For each user of the cohort who returned at least once: the period indexes (>= 1) they returned in. */
  returns: ReadonlyArray<readonly number[]>;
}

export interface RetentionCell {
  cohortStartMs: number;
  cohortSize: number;
  period: number;
  retained: number | undefined;
  rate: number | undefined;
  incomplete: boolean;
}

/** Counts per period index 0..periods for one cohort. */
export function countRetained(c: CohortActivity, periods: number, mode: RetentionMode): number[] {
  const counts = new Array<number>(periods + 1).fill(0);
  counts[0] = c.size;
  for (const userPeriods of c.returns) {
    if (mode === 'return_on') {
      for (const k of new Set(userPeriods)) if (k >= 1 && k <= periods) counts[k] = (counts[k] as number) + 1;
    } else {
      const last = Math.min(periods, Math.max(0, ...userPeriods));
      for (let k = 1; k <= last; k++) counts[k] = (counts[k] as number) + 1;
    }
  }
  return counts;
}

export function retentionCells(
  cohorts: readonly CohortActivity[],
  periods: number,
  mode: RetentionMode,
  periodEndMs: (cohortStartMs: number, k: number) => number,
  nowMs: number,
): RetentionCell[] {
  return cohorts.flatMap((c) => {
    const counts = countRetained(c, periods, mode);
    return counts.map((n, k) => {
      const incomplete = periodEndMs(c.cohortStartMs, k) > nowMs;
      const known = k === 0 || !incomplete;
      return {
        cohortStartMs: c.cohortStartMs,
        cohortSize: c.size,
        period: k,
        retained: known ? n : undefined,
        rate: !known || c.size === 0 ? undefined : n / c.size,
        incomplete,
      };
    });
  });
}

/** Start of period k after a period that starts at `startMs` (UTC calendar arithmetic). */
export function addPeriods(startMs: number, k: number, interval: 'day' | 'week' | 'month'): number {
  const d = new Date(startMs);
  if (interval === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + k, 1);
  return startMs + k * (interval === 'week' ? 7 : 1) * 86_400_000;
}
