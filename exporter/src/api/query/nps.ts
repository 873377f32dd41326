import { z } from 'zod';
import { toCount } from '../../db/parse';
import { planInForceSql } from '../../domain/plan-in-force';
import { checkRange, tenantFilters, tenantFilterSql, timeRange, TenantFilters } from './common';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';

// NPS per period: 100 * (promoters(9-10) - detractors(0-6)) / responses (metric-definitions.md).

const schema = checkRange(
  z
    .object({
      type: z.literal('nps'),
      ...timeRange,
      interval: z.enum(['day', 'week', 'month']).default('month'),
      filters: tenantFilters.optional(),
      /** plan: the tenant's plan in force at the response instant; segment: the tenant's segment. */
      breakdown: z.enum(['plan', 'segment']).optional(),
    })
    .strict(),
);

// date_trunc in UTC: 'week' is the ISO week starting Monday. Filters are tenant attributes
// ($4..$7); a response whose tenant is unknown counts only when no filter is given (LEFT JOIN:
// the conditions are true for absent lists).
// The breakdown bucket is a fixed expression per choice, never client text.
export function npsByPeriodSql(filters: TenantFilters | undefined, breakdown?: 'plan' | 'segment') {
  const f = tenantFilterSql('t', filters, 3);
  const bucket =
    breakdown === 'plan' ? planInForceSql('r.tenant_id', 'r.responded_at') : breakdown === 'segment' ? 't.segment' : "'all'";
  const sql = `
SELECT date_trunc($3, r.responded_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS period,
       coalesce(${bucket}, '(none)') AS bucket,
       count(*) FILTER (WHERE r.score >= 9) AS promoters,
       count(*) FILTER (WHERE r.score BETWEEN 7 AND 8) AS passives,
       count(*) FILTER (WHERE r.score <= 6) AS detractors,
       count(*) AS responses
FROM nps_responses r
LEFT JOIN tenants t ON t.id = r.tenant_id
WHERE r.responded_at >= $1::timestamptz AND r.responded_at < $2::timestamptz
  AND ${f.sql}
GROUP BY 1, 2
ORDER BY 1, coalesce(${bucket}, '(none)') COLLATE "C"`;
  return { sql, params: f.params };
}

interface Row {
  period: Date;
  bucket: string;
  promoters: string;
  passives: string;
  detractors: string;
  responses: string;
}

export const npsQuery = defineQuery({
  type: 'nps',
  schema,
  async run(q, { db }) {
    const { sql, params } = npsByPeriodSql(q.filters, q.breakdown);
    const { rows } = await db.query<Row>(sql, [q.from, q.to, q.interval, ...params]);
    const parsed = rows.map((r) => ({
      period: r.period.getTime(),
      bucket: r.bucket,
      promoters: toCount(r.promoters),
      passives: toCount(r.passives),
      detractors: toCount(r.detractors),
      responses: toCount(r.responses),
    }));
    return {
      frames: [
        frameFromRows('nps', parsed, [
          { name: 'time', type: 'time', value: (r) => r.period },
          ...(q.breakdown ? [{ name: q.breakdown, type: 'string' as const, value: (r: (typeof parsed)[number]) => r.bucket }] : []),
          {
            name: 'nps',
            type: 'number',
            value: (r) => (100 * (r.promoters - r.detractors)) / r.responses,
            config: { min: -100, max: 100, decimals: 1 },
          },
          { name: 'promoters', type: 'number', value: (r) => r.promoters },
          { name: 'passives', type: 'number', value: (r) => r.passives },
          { name: 'detractors', type: 'number', value: (r) => r.detractors },
          { name: 'responses', type: 'number', value: (r) => r.responses },
        ]),
      ],
    };
  },
});
