import { addPeriods, CohortActivity, retentionCells } from '../../domain/retention';
import { copyOutBinary, CopyOut, forEachCopyTuple, forEachInt4, forEachSetBit, setLocal } from '../../db/copy-binary';
import { tenantFilterSettings, tenantFilterSettingsSql, TenantFilters } from './common';
import { Frame, frameFromRows } from './frames';
import { defineQuery } from './registry';
import { retention as contract } from '@saasmon/contract';

// Cohort retention matrix (docs/metrics.md, "Retention matrix"). Cohorts are the signup
// periods (UTC; weeks are ISO weeks from Monday) of users created in [from, to).

/**
 * One row per cohort user: their cohort day, their activity bit string (saasmon_user_activity:
 * bit i = active on first_day + i), the active days not in it yet (pending deltas, before the
 * horizon instant), all as days since 1970-01-01, and whether the horizon's own day must be left
 * out: a day counts when activity began before the horizon instant (exact at day granularity), so
 * a user whose activity that day all began at or after it is `late` (looked up by the day rollups'
 * (day, first_at) index: few users, usually none). A user with no activity still appears, so cohort
 * sizes come from the same rows. Never raw events. Run as a binary COPY (tens of thousands of rows
 * decoded in place). COPY takes no parameters: the instants are written in as integers of
 * milliseconds (numbers, never text from the request), so that the planner sees constants and
 * estimates the cohort well; the return event and filters travel in settings (setLocal).
 */
export interface RetentionBounds {
  fromMs: number;
  toMs: number;
  horizonMs: number;
  interval: 'day' | 'week' | 'month';
}

const TRUNC_UNIT: Record<RetentionBounds['interval'], string> = { day: "'day'", week: "'week'", month: "'month'" };

export function retentionSql(b: RetentionBounds, filters: TenantFilters | undefined): string {
  const instant = (ms: number) => {
    if (!Number.isSafeInteger(ms)) throw new Error(`not an instant: ${ms}`);
    return `to_timestamp(${ms} / 1000.0)`;
  };
  const [from, to, horizon, interval] = [instant(b.fromMs), instant(b.toMs), instant(b.horizonMs), TRUNC_UNIT[b.interval]];
  // A scalar subquery is evaluated once (an InitPlan); current_setting() alone would run per row.
  const returnEvent = "(SELECT nullif(current_setting('saasmon.retention_event'), ''))";
  return `
WITH cohort AS (
  SELECT u.id AS user_id, date_trunc(${interval}, u.created_at AT TIME ZONE 'UTC')::date AS cohort_day
  FROM users u
  JOIN tenants t ON t.id = u.tenant_id
  WHERE u.deleted_at IS NULL
    AND u.created_at >= date_trunc(${interval}, ${from} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
    AND u.created_at < ${to}
    AND ${tenantFilterSettingsSql('t', filters)}
),
horizon AS (
  SELECT (${horizon} AT TIME ZONE 'UTC')::date AS day, date_trunc(${interval}, ${from} AT TIME ZONE 'UTC')::date AS first_cohort_day,
         ${horizon} AS instant, ${returnEvent} AS return_event
),
pending AS (
  SELECT d.user_id, array_agg(DISTINCT d.day - DATE '1970-01-01') AS days
  FROM saasmon_event_deltas d, horizon h
  WHERE d.user_id IS NOT NULL AND (h.return_event IS NULL OR d.name = h.return_event)
    AND d.day >= h.first_cohort_day AND d.day <= h.day AND d.first_at < h.instant
  GROUP BY d.user_id
),
late AS (
  SELECT DISTINCT d.user_id FROM saasmon_user_days d, horizon h
  WHERE h.return_event IS NULL AND d.day = h.day AND d.first_at >= h.instant
    AND NOT EXISTS (SELECT 1 FROM saasmon_user_days e WHERE e.user_id = d.user_id AND e.day = h.day AND e.first_at < h.instant)
  UNION
  SELECT DISTINCT d.user_id FROM saasmon_user_event_days d, horizon h
  WHERE d.name = h.return_event AND d.day = h.day AND d.first_at >= h.instant
    AND NOT EXISTS (SELECT 1 FROM saasmon_user_event_days e
                    WHERE e.user_id = d.user_id AND e.name = h.return_event AND e.day = h.day AND e.first_at < h.instant)
)
SELECT (c.cohort_day - DATE '1970-01-01')::int4 AS cohort_day,
       (a.first_day - DATE '1970-01-01')::int4 AS first_day,
       a.days,
       p.days::int4[] AS extra_days,
       l.user_id IS NOT NULL AS late
FROM cohort c
LEFT JOIN saasmon_user_activity a ON a.user_id = c.user_id AND a.name = coalesce(${returnEvent}, '')
LEFT JOIN pending p ON p.user_id = c.user_id
LEFT JOIN late l ON l.user_id = c.user_id`;
}

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
 * Reads the COPY rows of retentionSql into cohorts: each cohort's size and, per user who returned,
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
    await setLocal(db, { retention_event: q.returnEvent ?? '', ...tenantFilterSettings(q.filters) });
    const copy = await copyOutBinary(db, retentionSql({ fromMs: Date.parse(q.from), toMs, horizonMs, interval: q.interval }, q.filters));
    let cohorts: CohortActivity[];
    try {
      cohorts = cohortsFromCopy(copy, Math.floor(horizonMs / DAY_MS), q.interval);
    } finally {
      copy.release();
    }
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
