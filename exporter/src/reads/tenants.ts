import { TenantFilters } from '@saasmon/contract';
import { toCount } from '../db/parse';
import { Queryable } from '../db/pool';
import { planInForceSql } from './revenue';
import { tenantFilterSql } from './tenant-filter';

// Attributes of given tenants, for the queries that rank or group tenants found by another read
// (high_value_tenants, revenue_breakdown, churn_risk): the filters decide which of them are kept.

/** Attributes of the tenants $1 that pass the filters ($3..), at $2 (the plan in force: see planInForceSql). */
function tenantAttributesSql(filters: TenantFilters | undefined) {
  const f = tenantFilterSql('t', filters, 2);
  const sql = `
SELECT t.id, t.name, t.segment, t.acquisition_channel AS channel,
       ${planInForceSql('t.id', '$2::timestamptz')} AS plan,
       (SELECT count(*) FROM users u WHERE u.tenant_id = t.id AND u.deleted_at IS NULL AND u.created_at <= $2::timestamptz) AS users
FROM tenants t
WHERE t.id = ANY($1::text[]) AND ${f.sql}`;
  return { sql, params: f.params };
}

export interface TenantAttributes {
  id: string;
  name: string;
  segment: string | null;
  channel: string | null;
  plan: string | null;
  /** Live users created at or before the instant. */
  users: number;
}

/** Of the tenants `ids`, those passing the filters, by id, as they are at `at`. */
export async function readTenantAttributes(
  db: Queryable,
  ids: readonly string[],
  at: Date,
  filters: TenantFilters | undefined,
): Promise<Map<string, TenantAttributes>> {
  const { sql, params } = tenantAttributesSql(filters);
  type Row = Omit<TenantAttributes, 'users'> & { users: string };
  const { rows } = await db.query<Row>(sql, [ids, at, ...params]);
  return new Map(rows.map((r) => [r.id, { ...r, users: toCount(r.users) }]));
}

/** $1 tenant ids, $2 T, $3 T', $4.. filters: segment and plan in force at T and at T'. */
function tenantPlansSql(filters: TenantFilters | undefined) {
  const f = tenantFilterSql('t', filters, 3);
  const sql = `
SELECT t.id, t.segment,
       ${planInForceSql('t.id', '$2::timestamptz')} AS plan_now,
       ${planInForceSql('t.id', '$3::timestamptz')} AS plan_start
FROM tenants t
WHERE t.id = ANY($1::text[]) AND ${f.sql}`;
  return { sql, params: f.params };
}

export interface TenantPlans {
  id: string;
  segment: string | null;
  /** The plan in force at `at`. */
  planNow: string | null;
  /** The plan in force at `start`. */
  planStart: string | null;
}

/** Of the tenants `ids`, those passing the filters, by id, with their plan in force at `at` and at `start`. */
export async function readTenantPlans(
  db: Queryable,
  ids: readonly string[],
  at: Date,
  start: Date,
  filters: TenantFilters | undefined,
): Promise<Map<string, TenantPlans>> {
  const { sql, params } = tenantPlansSql(filters);
  type Row = { id: string; segment: string | null; plan_now: string | null; plan_start: string | null };
  const { rows } = await db.query<Row>(sql, [ids, at, start, ...params]);
  return new Map(rows.map((r) => [r.id, { id: r.id, segment: r.segment, planNow: r.plan_now, planStart: r.plan_start }]));
}

/** Of the tenants `ids`, those passing the filters. */
export async function readMatchingTenants(db: Queryable, ids: readonly string[], filters: TenantFilters | undefined): Promise<Set<string>> {
  const f = tenantFilterSql('t', filters, 1);
  const { rows } = await db.query<{ id: string }>(`SELECT t.id FROM tenants t WHERE t.id = ANY($1::text[]) AND ${f.sql}`, [
    ids,
    ...f.params,
  ]);
  return new Set(rows.map((r) => r.id));
}
