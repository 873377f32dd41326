import { z } from 'zod';
import { addPeriods, CohortActivity, retentionCells } from '../../domain/retention';
import { checkRange, eventName, tenantFilters, tenantFilterSql, timeRange } from './common';
import { Frame, frameFromRows } from './frames';
import { defineQuery } from './registry';

// Cohort retention matrix (metric-definitions.md "Retention matrix"). Cohorts are the signup
// periods (UTC; weeks are ISO weeks from Monday) of users created in [from, to).

const schema = checkRange(
  z
    .object({
      type: z.literal('retention'),
      ...timeRange,
      interval: z.enum(['day', 'week', 'month']).default('week'),
      periods: z.number().int().min(1).max(52).default(12),
      mode: z.enum(['return_on', 'on_or_after']).default('return_on'),
      returnEvent: eventName.optional(),
      filters: tenantFilters.optional(),
      format: z.enum(['matrix', 'cells']).default('matrix'),
    })
    .strict(),
);

/**
 * One row per cohort user: their cohort day, their activity bit string (saasmon_user_activity:
 * bit i = active on first_day + i), the active days not in it yet (pending deltas, before the
 * horizon instant), all as days since 1970-01-01, and whether the horizon's own day must be left
 * out: a day counts when activity began before the horizon instant (exact at day granularity), so
 * a user whose activity that day all began at or after it is `late` (looked up by the day rollups'
 * (day, first_at) index: few users, usually none). A user with no activity still appears, so cohort
 * sizes come from the same rows. Never raw events.
 */
export function retentionSql(filterSql: string): string {
  return `
WITH cohort AS (
  SELECT u.id AS user_id, date_trunc($3, u.created_at AT TIME ZONE 'UTC')::date AS cohort_day
  FROM users u
  JOIN tenants t ON t.id = u.tenant_id
  WHERE u.deleted_at IS NULL
    AND u.created_at >= date_trunc($3, $1::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
    AND u.created_at < $2::timestamptz
    AND ${filterSql}
),
horizon AS (
  SELECT ($4::timestamptz AT TIME ZONE 'UTC')::date AS day, date_trunc($3, $1::timestamptz AT TIME ZONE 'UTC')::date AS first_cohort_day
),
pending AS (
  SELECT d.user_id, array_agg(DISTINCT d.day - DATE '1970-01-01') AS days
  FROM saasmon_event_deltas d, horizon h
  WHERE d.user_id IS NOT NULL AND ($5::text IS NULL OR d.name = $5::text)
    AND d.day >= h.first_cohort_day AND d.day <= h.day AND d.first_at < $4::timestamptz
  GROUP BY d.user_id
),
late AS (
  SELECT DISTINCT d.user_id FROM saasmon_user_days d, horizon h
  WHERE $5::text IS NULL AND d.day = h.day AND d.first_at >= $4::timestamptz
    AND NOT EXISTS (SELECT 1 FROM saasmon_user_days e WHERE e.user_id = d.user_id AND e.day = h.day AND e.first_at < $4::timestamptz)
  UNION
  SELECT DISTINCT d.user_id FROM saasmon_user_event_days d, horizon h
  WHERE $5::text IS NOT NULL AND d.name = $5::text AND d.day = h.day AND d.first_at >= $4::timestamptz
    AND NOT EXISTS (SELECT 1 FROM saasmon_user_event_days e
                    WHERE e.user_id = d.user_id AND e.name = $5::text AND e.day = h.day AND e.first_at < $4::timestamptz)
)
SELECT c.cohort_day - DATE '1970-01-01' AS cohort_day,
       a.first_day - DATE '1970-01-01' AS first_day,
       a.days::text AS bits,
       p.days AS extra_days,
       l.user_id IS NOT NULL AS late
FROM cohort c
LEFT JOIN saasmon_user_activity a ON a.user_id = c.user_id AND a.name = coalesce($5::text, '')
LEFT JOIN pending p ON p.user_id = c.user_id
LEFT JOIN late l ON l.user_id = c.user_id`;
}

interface Row {
  cohort_day: number;
  first_day: number | null;
  bits: string | null;
  extra_days: number[] | null;
  late: boolean;
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
 * The periods (>= 1) a user was active in: bit-string days up to the horizon's day (that day only
 * when the user is not late), and the pending days (already cut at the horizon by the query).
 */
export function returnPeriods(r: Row, horizonDay: number, interval: 'day' | 'week' | 'month'): number[] {
  const periods = new Set<number>();
  const add = (day: number) => {
    if (day < r.cohort_day) return;
    const k = periodOf(day, r.cohort_day, interval);
    if (k >= 1) periods.add(k);
  };
  if (r.bits !== null && r.first_day !== null) {
    const lastDay = r.late ? horizonDay - 1 : horizonDay;
    const end = Math.min(r.bits.length, lastDay - r.first_day + 1);
    for (let i = r.bits.indexOf('1', Math.max(0, r.cohort_day - r.first_day)); i >= 0 && i < end; i = r.bits.indexOf('1', i + 1)) {
      add(r.first_day + i);
    }
  }
  for (const day of r.extra_days ?? []) add(day);
  return [...periods];
}

export const retentionQuery = defineQuery({
  type: 'retention',
  schema,
  async run(q, { db, now }) {
    const nowMs = now.getTime();
    const toMs = Math.min(Date.parse(q.to), nowMs);
    // Returns are read up to the end of the last cell any cohort can have, and never past now.
    const horizonMs = Math.min(nowMs, addPeriods(toMs, q.periods + 1, q.interval));
    const filter = tenantFilterSql('t', q.filters, 5);
    const { rows } = await db.query<Row>(retentionSql(filter.sql), [
      q.from,
      new Date(toMs),
      q.interval,
      new Date(horizonMs),
      q.returnEvent ?? null,
      ...filter.params,
    ]);

    const horizonDay = Math.floor(horizonMs / DAY_MS);
    const cohorts = new Map<number, CohortActivity & { returns: number[][] }>();
    for (const r of rows) {
      const start = r.cohort_day * DAY_MS;
      let c = cohorts.get(start);
      if (!c) cohorts.set(start, (c = { cohortStartMs: start, size: 0, returns: [] }));
      c.size++;
      const periods = returnPeriods(r, horizonDay, q.interval);
      if (periods.length) c.returns.push(periods);
    }
    const cells = retentionCells(
      [...cohorts.values()].sort((a, b) => a.cohortStartMs - b.cohortStartMs),
      q.periods,
      q.mode,
      (start, k) => addPeriods(start, k + 1, q.interval),
      nowMs,
    );
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
