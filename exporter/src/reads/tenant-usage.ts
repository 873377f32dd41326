import { toNumberOrUndefined } from '../db/parse';
import { Queryable } from '../db/pool';
import { TenantFilters } from '@saasmon/contract';
import { tenantFilterSql } from './tenant-filter';

// Usage against plan limits (the tenant_usage query): per tenant and resource, the newest
// tenant_usage row at or before T, against the plan_limits row of the plan in force at T (the
// subscription row in force, else the tenant's plan). No limit row: unlimited (ratio empty).
// Fullest first, so the tenants about to hit a limit lead. Tenant filters keep usage rows of the
// tenants they match (by the tenant's recorded attributes, as every query type filters); without
// filters, usage of a tenant not (yet) in the tenants table is shown too.

const filter = tenantFilterSql('t', undefined, 3);
const SQL_TENANT_USAGE = `
WITH latest AS (
  SELECT DISTINCT ON (u.tenant_id, u.resource) u.tenant_id, u.resource, u.value, u.measured_at
  FROM tenant_usage u
  WHERE u.measured_at <= $1::timestamptz AND (cardinality($2::text[]) = 0 OR u.resource = ANY ($2::text[]))
    AND (($4::text[] IS NULL AND $5::text[] IS NULL AND $6::text[] IS NULL AND $7::text[] IS NULL)
      OR EXISTS (SELECT 1 FROM tenants t WHERE t.id = u.tenant_id AND ${filter.sql}))
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

interface UsageRow {
  tenant_id: string;
  name: string | null;
  plan: string | null;
  resource: string;
  value: string;
  measured_at: Date;
  limit_value: string | null;
  ratio: string | null;
}

export interface TenantResourceUsage {
  tenantId: string;
  name: string | null;
  plan: string | null;
  resource: string;
  usage: number | undefined;
  limit: number | undefined;
  ratio: number | undefined;
  measuredAt: Date;
}

/** The `limit` fullest (tenant, resource) pairs at `at`, of the `resources` given (all when empty), of the tenants the filters keep. */
export async function readTenantUsage(
  db: Queryable,
  at: Date,
  resources: readonly string[],
  limit: number,
  filters?: TenantFilters,
): Promise<TenantResourceUsage[]> {
  const { rows } = await db.query<UsageRow>(SQL_TENANT_USAGE, [at, resources, limit, ...tenantFilterSql('t', filters, 3).params]);
  return rows.map((r) => ({
    tenantId: r.tenant_id,
    name: r.name,
    plan: r.plan,
    resource: r.resource,
    usage: toNumberOrUndefined(r.value),
    limit: toNumberOrUndefined(r.limit_value),
    ratio: toNumberOrUndefined(r.ratio),
    measuredAt: r.measured_at,
  }));
}
