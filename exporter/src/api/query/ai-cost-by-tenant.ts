import { aiCostByTenant as contract } from '@saasmon/contract';
import { toCount, toNumberOrUndefined } from '../../db/parse';
import { moneyToNumber, parseMoney } from '../../domain/money';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';

// Top tenants by AI spend over [from, min(to, now)): the cost of their AI calls (started_at in the
// range) plus the compute cost of their training jobs (finished_at in the range), largest first.
// Per-tenant cost is a query rather than a series: tenant ids never become metric labels.

export const SQL_AI_COST_BY_TENANT = `
WITH calls AS (
  SELECT tenant_id, sum(cost) AS ai_cost, count(*) AS requests
  FROM ai_requests WHERE started_at >= $1::timestamptz AND started_at < $2::timestamptz
  GROUP BY tenant_id
), jobs AS (
  SELECT tenant_id, sum(coalesce(compute_cost, 0)) AS compute_cost, sum(coalesce(gpu_hours, 0)) AS gpu_hours, count(*) AS jobs
  FROM training_jobs WHERE finished_at >= $1::timestamptz AND finished_at < $2::timestamptz
  GROUP BY tenant_id
)
SELECT coalesce(c.tenant_id, j.tenant_id) AS tenant_id, t.name,
       coalesce(c.ai_cost, 0) AS ai_cost, coalesce(j.compute_cost, 0) AS compute_cost,
       coalesce(c.ai_cost, 0) + coalesce(j.compute_cost, 0) AS total_cost,
       coalesce(c.requests, 0) AS requests, coalesce(j.jobs, 0) AS jobs, coalesce(j.gpu_hours, 0) AS gpu_hours
FROM calls c FULL JOIN jobs j ON j.tenant_id = c.tenant_id
LEFT JOIN tenants t ON t.id = coalesce(c.tenant_id, j.tenant_id)
ORDER BY total_cost DESC, tenant_id
LIMIT $3`;

interface Row {
  tenant_id: string;
  name: string | null;
  ai_cost: string;
  compute_cost: string;
  total_cost: string;
  requests: string;
  jobs: string;
  gpu_hours: string;
}

export const aiCostByTenantQuery = defineQuery({
  ...contract,
  async run(q, { db, now, config }) {
    const to = new Date(Math.min(Date.parse(q.to), now.getTime()));
    const { rows } = await db.query<Row>(SQL_AI_COST_BY_TENANT, [q.from, to, q.limit]);
    const money = { unit: `currency${config.currency}` };
    const m = (v: string) => moneyToNumber(parseMoney(v));
    return {
      frames: [
        frameFromRows('ai_cost_by_tenant', rows, [
          { name: 'tenant_id', type: 'string', value: (r) => r.tenant_id },
          { name: 'tenant', type: 'string', value: (r) => r.name ?? r.tenant_id },
          { name: 'total_cost', type: 'number', value: (r) => m(r.total_cost), config: money },
          { name: 'ai_cost', type: 'number', value: (r) => m(r.ai_cost), config: money },
          { name: 'compute_cost', type: 'number', value: (r) => m(r.compute_cost), config: money },
          { name: 'ai_requests', type: 'number', value: (r) => toCount(r.requests) },
          { name: 'training_jobs', type: 'number', value: (r) => toCount(r.jobs) },
          { name: 'gpu_hours', type: 'number', value: (r) => toNumberOrUndefined(r.gpu_hours) },
        ]),
      ],
    };
  },
});
