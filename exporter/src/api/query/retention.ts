import { addPeriods, CohortActivity, retentionCells } from '../../domain/retention';
import { CopyOut, forEachCopyTuple, forEachInt4, forEachSetBit } from '../../db/copy-binary';
import { readRetentionActivity } from '../../reads/activity';
import { Frame, frameFromRows } from './frames';
import { defineQuery } from './registry';
import { retention as contract } from '@saasmon/contract';

// Cohort retention matrix (docs/metrics.md, "Retention matrix"). Cohorts are the signup
// periods (UTC; weeks are ISO weeks from Monday) of users created in [from, to).

// The retention_days query reads the same rows.
export { retentionSql } from '../../reads/activity';

const DAY_MS = 86_400_000;

/** Period index of `day` in a cohort starting `cohortDay` (days since epoch; weeks start on the cohort's Monday). */
function periodOf(day: number, cohortDay: number, interval: 'day' | 'week' | 'month'): number {
  if (interval === 'day') return day - cohortDay;
  if (interval === 'week') return Math.floor((day - cohortDay) / 7);
  const d = new Date(day * DAY_MS);
  const c = new Date(cohortDay * DAY_MS);
  return d.getUTCFullYear() * 12 + d.getUTCMonth() - (c.getUTCFullYear() * 12 + c.getUTCMonth());
}

/**
 * Reads the COPY rows of retentionSql (reads/activity.ts) into cohorts: each cohort's size and, per user who returned,
 * the periods (>= 1) they were active in: bit-string days up to the horizon's day (that day only
 * when the user is not late) and the pending days (already cut at the horizon by the query).
 */
export function cohortsFromCopy(copy: CopyOut, horizonDay: number, interval: 'day' | 'week' | 'month'): CohortActivity[] {
  const cohorts = new Map<number, CohortActivity & { returns: number[][] }>();
  forEachCopyTuple(copy, (buf, starts, lengths) => {
    const cohortDay = buf.readInt32BE(starts[0] as number);
    let c = cohorts.get(cohortDay);
    if (!c) cohorts.set(cohortDay, (c = { cohortStartMs: cohortDay * DAY_MS, size: 0, returns: [] }));
    c.size++;
    const late = buf[starts[4] as number] === 1;
    const periods: number[] = [];
    const add = (day: number) => {
      if (day < cohortDay) return;
      const k = periodOf(day, cohortDay, interval);
      if (k >= 1 && !periods.includes(k)) periods.push(k);
    };
    if ((lengths[2] as number) >= 4) {
      const firstDay = buf.readInt32BE(starts[1] as number);
      const lastDay = late ? horizonDay - 1 : horizonDay;
      forEachSetBit(buf, starts[2] as number, cohortDay - firstDay, lastDay - firstDay + 1, (i) => add(firstDay + i));
    }
    if ((lengths[3] as number) > 0) forEachInt4(buf, starts[3] as number, add);
    if (periods.length) c.returns.push(periods);
  });
  return [...cohorts.values()].sort((a, b) => a.cohortStartMs - b.cohortStartMs);
}

export const retentionQuery = defineQuery({
  ...contract,
  async run(q, { db, now }) {
    const nowMs = now.getTime();
    const toMs = Math.min(Date.parse(q.to), nowMs);
    // Returns are read up to the end of the last cell any cohort can have, and never past now.
    const horizonMs = Math.min(nowMs, addPeriods(toMs, q.periods + 1, q.interval));
    const cohorts = await readRetentionActivity(
      db,
      { fromMs: Date.parse(q.from), toMs, horizonMs, interval: q.interval },
      { returnEvent: q.returnEvent, filters: q.filters },
      (copy) => cohortsFromCopy(copy, Math.floor(horizonMs / DAY_MS), q.interval),
    );
    const cells = retentionCells(cohorts, q.periods, q.mode, (start, k) => addPeriods(start, k + 1, q.interval), nowMs);
    return { frames: [q.format === 'cells' ? cellsFrame(cells) : matrixFrame(cells, q.periods)] };
  },
});

type Cells = ReturnType<typeof retentionCells>;

/** Long format: one row per (cohort, period), for the health-matrix panel or a heatmap. */
function cellsFrame(cells: Cells): Frame {
  return frameFromRows('retention', cells, [
    { name: 'cohort', type: 'time', value: (c) => c.cohortStartMs },
    { name: 'cohort_size', type: 'number', value: (c) => c.cohortSize },
    { name: 'period', type: 'number', value: (c) => c.period },
    { name: 'retained', type: 'number', value: (c) => c.retained },
    { name: 'rate', type: 'number', value: (c) => c.rate, config: { unit: 'percentunit', min: 0, max: 1 } },
    { name: 'incomplete', type: 'boolean', value: (c) => c.incomplete },
  ]);
}

/** The classic triangle: one row per cohort, a column per period; incomplete cells are null. */
function matrixFrame(cells: Cells, periods: number): Frame {
  const byCohort = new Map<number, Cells>();
  for (const c of cells) byCohort.set(c.cohortStartMs, [...(byCohort.get(c.cohortStartMs) ?? []), c]);
  const rows = [...byCohort.values()];
  return frameFromRows('retention', rows, [
    { name: 'cohort', type: 'time', value: (r) => r[0]?.cohortStartMs },
    { name: 'cohort_size', type: 'number', value: (r) => r[0]?.cohortSize },
    ...Array.from({ length: periods + 1 }, (_, k) => ({
      name: `period_${k}`,
      type: 'number' as const,
      value: (r: Cells) => r[k]?.rate,
      config: { unit: 'percentunit', min: 0, max: 1 },
    })),
  ]);
}
