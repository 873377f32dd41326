import { churnedTenants as contract } from '@saasmon/contract';
import { moneyToNumber, parseMoney } from '../../domain/money';
import { PAYING_ROW, ROW_MRR } from '../../reads/revenue';
import { tenantFilterSql, TenantFilters } from './common';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';

// Churn events over [from, min(to, now)] (docs/metrics.md "Drill-downs"): every instant t at
// which a tenant's MRR goes from > 0 just before t to 0 at t, as the MRR movements count a churn;
// lost MRR is the MRR just before t, the plan that of the largest paying row in force just
// before t. A tenant that comes back and leaves again churns twice.

/** $1 from, $2 to (exclusive), $3 now (inclusive bound), $4 limit, $5.. filters. */
export function churnedTenantsSql(filters: TenantFilters | undefined) {
  const f = tenantFilterSql('t', filters, 4);
  const sql = `
WITH ends AS (
  SELECT DISTINCT s.tenant_id, s.valid_to AS at
  FROM subscriptions s
  JOIN tenants t ON t.id = s.tenant_id
  WHERE ${PAYING_ROW}
    AND s.valid_to >= $1::timestamptz AND s.valid_to < $2::timestamptz AND s.valid_to <= $3::timestamptz
    AND ${f.sql}
),
just_before AS (
  SELECT e.tenant_id, e.at, sum(${ROW_MRR}) AS mrr,
         (array_agg(s.plan ORDER BY ${ROW_MRR} DESC, s.plan))[1] AS plan
  FROM ends e
  JOIN subscriptions s ON s.tenant_id = e.tenant_id AND s.valid_from < e.at AND coalesce(s.valid_to, 'infinity') >= e.at
  WHERE ${PAYING_ROW}
  GROUP BY e.tenant_id, e.at
)
SELECT b.tenant_id, t.name, b.plan, t.segment, b.mrr AS lost_mrr, t.churn_reason, b.at
FROM just_before b
JOIN tenants t ON t.id = b.tenant_id
WHERE NOT EXISTS (
  SELECT 1 FROM subscriptions s
  WHERE s.tenant_id = b.tenant_id AND ${PAYING_ROW}
    AND s.valid_from <= b.at AND coalesce(s.valid_to, 'infinity') > b.at
)
ORDER BY b.at DESC, b.tenant_id
LIMIT $4`;
  return { sql, params: f.params };
}

interface Row {
  tenant_id: string;
  name: string;
  plan: string;
  segment: string | null;
  lost_mrr: string;
  churn_reason: string | null;
  at: Date;
}

export const churnedTenantsQuery = defineQuery({
  ...contract,
  async run(q, { db, now, config }) {
    const { sql, params } = churnedTenantsSql(q.filters);
    const { rows } = await db.query<Row>(sql, [q.from, q.to, now, q.limit, ...params]);
    return {
      frames: [
        frameFromRows('churned_tenants', rows, [
          { name: 'time', type: 'time', value: (r) => r.at.getTime() },
          { name: 'tenant', type: 'string', value: (r) => r.tenant_id },
          { name: 'name', type: 'string', value: (r) => r.name },
          { name: 'plan', type: 'string', value: (r) => r.plan },
          { name: 'segment', type: 'string', value: (r) => r.segment },
          {
            name: 'lost_mrr',
            type: 'number',
            value: (r) => moneyToNumber(parseMoney(r.lost_mrr)),
            config: { unit: `currency${config.currency}` },
          },
          { name: 'reason', type: 'string', value: (r) => r.churn_reason },
        ]),
      ],
    };
  },
});
