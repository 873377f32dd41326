import { retentionDays as contract } from '@saasmon/contract';
import { copyOutBinary, setLocal } from '../../db/copy-binary';
import { addPeriods } from '../../domain/retention';
import { DayOffsetCell, dayOffsetCells } from '../../domain/retention-days';
import { tenantFilterSettings } from './common';
import { Frame, frameFromRows } from './frames';
import { defineQuery } from './registry';
import { cohortsFromCopy, retentionSql } from './retention';

// Cohort retention at day offsets (30/60/90/180/365 by default) besides the calendar periods of
// `retention`: the same per-user activity read (retentionSql with signup-day cohorts), counted at
// "active in the week ending on day N after signup" (docs/metrics.md "Retention at day offsets").

const DAY_MS = 86_400_000;

/** Start of the UTC period (day, ISO week, month) holding `ms`. */
function periodStart(ms: number, interval: 'day' | 'week' | 'month'): number {
  const day = Math.floor(ms / DAY_MS) * DAY_MS;
  if (interval === 'day') return day;
  if (interval === 'week') return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS;
  const d = new Date(day);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

export const retentionDaysQuery = defineQuery({
  ...contract,
  async run(q, { db, now }) {
    const nowMs = now.getTime();
    const toMs = Math.min(Date.parse(q.to), nowMs);
    const offsets = [...q.offsets].sort((a, b) => a - b);
    const maxOffset = offsets[offsets.length - 1] as number;
    // Returns are needed up to the last signup day + the largest N (on or after: up to now).
    const horizonMs = q.mode === 'on_or_after' ? nowMs : Math.min(nowMs, addPeriods(toMs, maxOffset + 1, 'day'));
    await setLocal(db, { retention_event: q.returnEvent ?? '', ...tenantFilterSettings(q.filters) });
    const copy = await copyOutBinary(db, retentionSql({ fromMs: Date.parse(q.from), toMs, horizonMs, interval: 'day' }, q.filters));
    let cells: DayOffsetCell[];
    try {
      const signupDays = cohortsFromCopy(copy, Math.floor(horizonMs / DAY_MS), 'day');
      cells = dayOffsetCells(signupDays, offsets, q.mode, (ms) => periodStart(ms, q.interval), nowMs);
    } finally {
      copy.release();
    }
    return { frames: [q.format === 'cells' ? cellsFrame(cells) : matrixFrame(cells, offsets)] };
  },
});

const rate = { unit: 'percentunit', min: 0, max: 1 };

function cellsFrame(cells: DayOffsetCell[]): Frame {
  return frameFromRows('retention_days', cells, [
    { name: 'cohort', type: 'time', value: (c) => c.cohortStartMs },
    { name: 'cohort_size', type: 'number', value: (c) => c.cohortSize },
    { name: 'day', type: 'number', value: (c) => c.offset },
    { name: 'retained', type: 'number', value: (c) => c.retained },
    { name: 'rate', type: 'number', value: (c) => c.rate, config: rate },
    { name: 'incomplete', type: 'boolean', value: (c) => c.incomplete },
  ]);
}

function matrixFrame(cells: DayOffsetCell[], offsets: readonly number[]): Frame {
  const byCohort = new Map<number, DayOffsetCell[]>();
  for (const c of cells) byCohort.set(c.cohortStartMs, [...(byCohort.get(c.cohortStartMs) ?? []), c]);
  const rows = [...byCohort.values()];
  return frameFromRows('retention_days', rows, [
    { name: 'cohort', type: 'time', value: (r) => r[0]?.cohortStartMs },
    { name: 'cohort_size', type: 'number', value: (r) => r[0]?.cohortSize },
    ...offsets.map((n, i) => ({ name: `day_${n}`, type: 'number' as const, value: (r: DayOffsetCell[]) => r[i]?.rate, config: rate })),
  ]);
}
