import { planChanges as contract } from '@saasmon/contract';
import { moneyToNumber, parseMoney } from '../../domain/money';
import { PAYING_ROW, ROW_MRR } from '../../reads/revenue';
import { tenantFilterSql, TenantFilters } from './common';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';

// Plan changes over [from, min(to, now)] (docs/metrics.md "Drill-downs"): instants t at which
// paying rows of a tenant end and other paying rows of the same tenant start, and the plan of
// the largest row (by MRR, then plan name) differs between the two sides. The MRR delta is the
// MRR of the rows starting at t minus that of the rows ending at t: the expansion (> 0) or
// contraction (< 0) the change caused. A trial turning paid is a conversion, not a plan change.

/** $1 from, $2 to (exclusive), $3 now (inclusive bound), $4 limit, $5.. filters. */
export function planChangesSql(filters: TenantFilters | undefined) {
  const f = tenantFilterSql('t', filters, 4);
  const side = (column: 'valid_to' | 'valid_from') => `
  SELECT c.tenant_id, c.at, sum(${ROW_MRR}) AS mrr, (array_agg(s.plan ORDER BY ${ROW_MRR} DESC, s.plan))[1] AS plan
  FROM instants c
  JOIN subscriptions s ON s.tenant_id = c.tenant_id AND s.${column} = c.at
  WHERE ${PAYING_ROW}
  GROUP BY c.tenant_id, c.at`;
  const sql = `
WITH instants AS (
  SELECT DISTINCT s.tenant_id, s.valid_to AS at
  FROM subscriptions s
  JOIN tenants t ON t.id = s.tenant_id
  WHERE ${PAYING_ROW}
    AND s.valid_to >= $1::timestamptz AND s.valid_to < $2::timestamptz AND s.valid_to <= $3::timestamptz
    AND ${f.sql}
),
ended AS (${side('valid_to')}),
started AS (${side('valid_from')})
SELECT e.tenant_id, t.name, t.segment, e.plan AS old_plan, st.plan AS new_plan,
       e.mrr AS old_mrr, st.mrr AS new_mrr, st.mrr - e.mrr AS mrr_delta, e.at
FROM ended e
JOIN started st ON st.tenant_id = e.tenant_id AND st.at = e.at
JOIN tenants t ON t.id = e.tenant_id
WHERE e.plan <> st.plan
ORDER BY e.at DESC, e.tenant_id
LIMIT $4`;
  return { sql, params: f.params };
}

interface Row {
  tenant_id: string;
  name: string;
  segment: string | null;
  old_plan: string;
  new_plan: string;
  old_mrr: string;
  new_mrr: string;
  mrr_delta: string;
  at: Date;
}

export const planChangesQuery = defineQuery({
  ...contract,
  async run(q, { db, now, config }) {
    const { sql, params } = planChangesSql(q.filters);
    const { rows } = await db.query<Row>(sql, [q.from, q.to, now, q.limit, ...params]);
    const money = { unit: `currency${config.currency}` };
    return {
      frames: [
        frameFromRows('plan_changes', rows, [
          { name: 'time', type: 'time', value: (r) => r.at.getTime() },
          { name: 'tenant', type: 'string', value: (r) => r.tenant_id },
          { name: 'name', type: 'string', value: (r) => r.name },
          { name: 'segment', type: 'string', value: (r) => r.segment },
          { name: 'old_plan', type: 'string', value: (r) => r.old_plan },
          { name: 'new_plan', type: 'string', value: (r) => r.new_plan },
          { name: 'old_mrr', type: 'number', value: (r) => moneyToNumber(parseMoney(r.old_mrr)), config: money },
          { name: 'new_mrr', type: 'number', value: (r) => moneyToNumber(parseMoney(r.new_mrr)), config: money },
          { name: 'mrr_delta', type: 'number', value: (r) => moneyToNumber(parseMoney(r.mrr_delta)), config: money },
        ]),
      ],
    };
  },
});
