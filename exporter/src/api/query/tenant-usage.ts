import { tenantUsage as contract } from '@saasmon/contract';
import { toNumberOrUndefined } from '../../db/parse';
import { frameFromRows, timeMs } from './frames';
import { defineQuery } from './registry';

// Usage against plan limits per tenant and resource at an instant T (default now): the tenant's
// newest tenant_usage row at or before T, against the plan_limits row of the plan in force at T
// (the subscription row in force, else the tenant's plan). No limit row: unlimited (ratio empty).
// Fullest first, so the tenants about to hit a limit lead.

export const SQL_TENANT_USAGE = `
WITH latest AS (
  SELECT DISTINCT ON (u.tenant_id, u.resource) u.tenant_id, u.resource, u.value, u.measured_at
  FROM tenant_usage u
  WHERE u.measured_at <= $1::timestamptz AND (cardinality($2::text[]) = 0 OR u.resource = ANY ($2::text[]))
  ORDER BY u.tenant_id, u.resource, u.measured_at DESC
), plan_at AS (
  SELECT t.id, t.name, coalesce((
    SELECT s.plan FROM subscriptions s
    WHERE s.tenant_id = t.id AND s.valid_from <= $1::timestamptz AND coalesce(s.valid_to, 'infinity') > $1::timestamptz
    ORDER BY s.valid_from DESC, s.id LIMIT 1), t.plan) AS plan
  FROM tenants t
)
SELECT l.tenant_id, p.name, p.plan, l.resource, l.value, l.measured_at, pl.limit_value,
       CASE WHEN pl.limit_value > 0 THEN l.value / pl.limit_value END AS ratio
FROM latest l
LEFT JOIN plan_at p ON p.id = l.tenant_id
LEFT JOIN plan_limits pl ON pl.plan = p.plan AND pl.resource = l.resource
ORDER BY CASE WHEN pl.limit_value = 0 AND l.value > 0 THEN 1 ELSE 0 END DESC, ratio DESC NULLS LAST, l.tenant_id, l.resource
LIMIT $3`;

interface Row {
  tenant_id: string;
  name: string | null;
  plan: string | null;
  resource: string;
  value: string;
  measured_at: Date;
  limit_value: string | null;
  ratio: string | null;
}

export const tenantUsageQuery = defineQuery({
  ...contract,
  async run(q, { db, now }) {
    const at = q.at ? new Date(Math.min(Date.parse(q.at), now.getTime())) : now;
    const { rows } = await db.query<Row>(SQL_TENANT_USAGE, [at, q.resources ?? [], q.limit]);
    return {
      frames: [
        frameFromRows('tenant_usage', rows, [
          { name: 'tenant_id', type: 'string', value: (r) => r.tenant_id },
          { name: 'tenant', type: 'string', value: (r) => r.name ?? r.tenant_id },
          { name: 'plan', type: 'string', value: (r) => r.plan },
          { name: 'resource', type: 'string', value: (r) => r.resource },
          { name: 'usage', type: 'number', value: (r) => toNumberOrUndefined(r.value) },
          { name: 'limit', type: 'number', value: (r) => toNumberOrUndefined(r.limit_value) },
          { name: 'usage_ratio', type: 'number', value: (r) => toNumberOrUndefined(r.ratio), config: { unit: 'percentunit' } },
          { name: 'measured_at', type: 'time', value: (r) => timeMs(r.measured_at) },
        ]),
      ],
    };
  },
});
