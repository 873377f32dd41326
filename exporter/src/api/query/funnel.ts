import { z } from 'zod';
import { Attempt, bestAttempt, FunnelEvent, FunnelStepResult, summarizeFunnel } from '../../domain/funnel';
import { breakdown, breakdownColumn, checkRange, eventName, tenantFilters, tenantFilterSql, timeRange } from './common';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';

// Funnel (metric-definitions.md "Funnel"): attempts start at step-1 events inside [from, to);
// later steps may fall after `to` as long as they are within the conversion window.

const schema = checkRange(
  z
    .object({
      type: z.literal('funnel'),
      ...timeRange,
      steps: z.array(eventName).min(2, 'a funnel needs 2 to 10 steps').max(10, 'a funnel needs 2 to 10 steps'),
      windowDays: z.number().positive().max(90).default(14),
      breakdown: breakdown.optional(),
      filters: tenantFilters.optional(),
    })
    .strict(),
);

/** Step events of live users, ordered per user by time then id (a stable order for equal times). */
export function funnelEventsSql(breakdownCol: string, filterSql: string): string {
  return `
SELECT e.user_id, e.name, e.occurred_at, ${breakdownCol === "'all'" ? "'all'" : `coalesce(t.${breakdownCol}, '(none)')`} AS bucket
FROM events e
JOIN users u ON u.id = e.user_id AND u.deleted_at IS NULL
JOIN tenants t ON t.id = u.tenant_id
WHERE e.name = ANY($1::text[])
  AND e.occurred_at >= $2::timestamptz
  AND e.occurred_at <= $3::timestamptz
  AND ${filterSql}
ORDER BY e.user_id, e.occurred_at, e.id`;
}

type StepRow = FunnelStepResult & { bucket: string; name: string };

interface Row {
  user_id: string;
  name: string;
  occurred_at: Date;
  bucket: string;
}

export const funnelQuery = defineQuery({
  type: 'funnel',
  schema,
  async run(q, { db, now }) {
    const fromMs = Date.parse(q.from);
    const toMs = Date.parse(q.to);
    const windowMs = q.windowDays * 86_400_000;
    const lastMs = Math.min(toMs + windowMs, now.getTime());
    const filter = tenantFilterSql('t', q.filters, 3);
    const sql = funnelEventsSql(breakdownColumn(q.breakdown), filter.sql);
    const { rows } = await db.query<Row>(sql, [q.steps, new Date(fromMs), new Date(lastMs), ...filter.params]);

    const stepsOfName = new Map<string, number[]>();
    q.steps.forEach((name, i) => stepsOfName.set(name, [...(stepsOfName.get(name) ?? []), i]));
    const canStart = (t: number) => t >= fromMs && t < toMs;
    const attemptsByBucket = new Map<string, Attempt[]>();
    let i = 0;
    while (i < rows.length) {
      const user = (rows[i] as Row).user_id;
      const bucket = (rows[i] as Row).bucket;
      const events: FunnelEvent[] = [];
      for (; i < rows.length && (rows[i] as Row).user_id === user; i++) {
        const r = rows[i] as Row;
        events.push({ steps: stepsOfName.get(r.name) ?? [], timeMs: r.occurred_at.getTime() });
      }
      const attempt = bestAttempt(events, q.steps.length, windowMs, canStart);
      if (attempt) attemptsByBucket.set(bucket, [...(attemptsByBucket.get(bucket) ?? []), attempt]);
    }

    const buckets = [...attemptsByBucket.keys()].sort();
    if (buckets.length === 0) buckets.push(q.breakdown ? '(none)' : 'all');
    const table: StepRow[] = buckets.flatMap((bucket) =>
      summarizeFunnel(attemptsByBucket.get(bucket) ?? [], q.steps.length).map((s) => ({ ...s, bucket, name: q.steps[s.step - 1] as string })),
    );
    const columns = [
      { name: 'step', type: 'number' as const, value: (r: StepRow) => r.step },
      { name: 'event', type: 'string' as const, value: (r: StepRow) => `${r.step}. ${r.name}` },
      ...(q.breakdown ? [{ name: q.breakdown, type: 'string' as const, value: (r: StepRow) => r.bucket }] : []),
      { name: 'users', type: 'number' as const, value: (r: StepRow) => r.users },
      { name: 'conversion_from_start', type: 'number' as const, value: (r: StepRow) => r.conversionFromStart, config: { unit: 'percentunit' } },
      { name: 'conversion_from_previous', type: 'number' as const, value: (r: StepRow) => r.conversionFromPrevious, config: { unit: 'percentunit' } },
      { name: 'median_seconds_from_previous', type: 'number' as const, value: (r: StepRow) => r.medianSecondsFromPrevious, config: { unit: 's' } },
    ];
    return { frames: [frameFromRows('funnel', table, columns)] };
  },
});
