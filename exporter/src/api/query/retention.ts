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
 * Per cohort user, the period indexes (>= 1) in which they had a qualifying event. A user with no
 * return still appears (empty array) so that cohort sizes come from the same rows. Returns are read
 * from the day rollups (user-days, or user-event-days for a return event), never from raw events:
 * a day counts when its first event is before the horizon, which is exact at day granularity.
 */
export function retentionSql(filterSql: string): string {
  return `
WITH cohort AS (
  SELECT u.id AS user_id, date_trunc($3, u.created_at AT TIME ZONE 'UTC') AS cohort_start
  FROM users u
  JOIN tenants t ON t.id = u.tenant_id
  WHERE u.deleted_at IS NULL
    AND u.created_at >= date_trunc($3, $1::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
    AND u.created_at < $2::timestamptz
    AND ${filterSql}
),
active_days AS (
  SELECT d.user_id, d.day FROM saasmon_user_days d
  WHERE $5::text IS NULL
    AND d.day >= date_trunc($3, $1::timestamptz AT TIME ZONE 'UTC')::date AND d.first_at < $4::timestamptz
  UNION ALL
  SELECT d.user_id, d.day FROM saasmon_user_event_days d
  WHERE $5::text IS NOT NULL AND d.name = $5::text
    AND d.day >= date_trunc($3, $1::timestamptz AT TIME ZONE 'UTC')::date AND d.first_at < $4::timestamptz
),
returns AS (
  SELECT DISTINCT c.user_id,
         CASE $3
           WHEN 'month' THEN (extract(year FROM a.day) * 12 + extract(month FROM a.day))
                           - (extract(year FROM c.cohort_start) * 12 + extract(month FROM c.cohort_start))
           WHEN 'week' THEN (date_trunc('week', a.day::timestamp)::date - c.cohort_start::date) / 7
           ELSE a.day - c.cohort_start::date
         END::int AS period
  FROM cohort c
  JOIN active_days a ON a.user_id = c.user_id AND a.day >= c.cohort_start::date
)
SELECT c.cohort_start AT TIME ZONE 'UTC' AS cohort_start,
       coalesce(array_agg(r.period) FILTER (WHERE r.period >= 1), '{}') AS periods
FROM cohort c
LEFT JOIN returns r ON r.user_id = c.user_id
GROUP BY c.cohort_start, c.user_id
ORDER BY c.cohort_start`;
}

interface Row {
  cohort_start: Date;
  periods: number[];
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

    const cohorts = new Map<number, CohortActivity & { returns: number[][] }>();
    for (const r of rows) {
      const start = r.cohort_start.getTime();
      const c = cohorts.get(start) ?? { cohortStartMs: start, size: 0, returns: [] };
      c.size++;
      if (r.periods.length) c.returns.push(r.periods);
      cohorts.set(start, c);
    }
    const cells = retentionCells(
      [...cohorts.values()],
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
