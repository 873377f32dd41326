import { TenantFilters } from '@saasmon/contract';
import { Queryable } from '../db/pool';
import { Micros, parseMoney } from '../domain/money';
import { PAYING_ROW, ROW_MRR } from './revenue';
import { tenantFilterSql } from './tenant-filter';

// The instants at which a tenant's paying rows end, and what happened there (docs/metrics.md
// "Drill-downs"): a churn (nothing pays right after) for the churned_tenants query, or a plan
// change (other paying rows start at that instant, on another largest plan) for plan_changes.
// Both start from the one CTE `instants` below, so both see the same ends.

export interface MrrEventRange {
  from: string;
  /** Exclusive. */
  to: string;
  /** Inclusive bound: nothing after the query instant. */
  now: Date;
  limit: number;
  filters?: TenantFilters;
}

/**
 * `instants` (tenant_id, at): every instant in [$1, $2) and at or before $3 at which a paying row
 * of a tenant passing the filters ($5..) ends. $4 is the limit of the statement that follows.
 */
function withPaidRowEnds(filters: TenantFilters | undefined, rest: string): { sql: string; params: unknown[] } {
  const f = tenantFilterSql('t', filters, 4);
  const sql = `
WITH instants AS (
  SELECT DISTINCT s.tenant_id, s.valid_to AS at
  FROM subscriptions s
  JOIN tenants t ON t.id = s.tenant_id
  WHERE ${PAYING_ROW}
    AND s.valid_to >= $1::timestamptz AND s.valid_to < $2::timestamptz AND s.valid_to <= $3::timestamptz
    AND ${f.sql}
),${rest}`;
  return { sql, params: f.params };
}

/** MRR of the paying rows `s` of a group, and the plan of the largest of them (by MRR, then plan name). */
const MRR_AND_PLAN = `sum(${ROW_MRR}) AS mrr, (array_agg(s.plan ORDER BY ${ROW_MRR} DESC, s.plan))[1] AS plan`;

/**
 * Churns: instants t at which the tenant's MRR goes from > 0 just before t to 0 at t, as the MRR
 * movements count a churn; lost MRR is the MRR just before t, the plan that of the largest paying
 * row in force just before t. A tenant that comes back and leaves again churns twice.
 */
const CHURNED = `
just_before AS (
  SELECT e.tenant_id, e.at, ${MRR_AND_PLAN}
  FROM instants e
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

/**
 * Plan changes: instants t at which paying rows of a tenant end and other paying rows of the same
 * tenant start, and the plan of the largest row (by MRR, then plan name) differs between the two
 * sides. A trial turning paid is a conversion, not a plan change.
 */
const side = (column: 'valid_to' | 'valid_from') => `
  SELECT c.tenant_id, c.at, ${MRR_AND_PLAN}
  FROM instants c
  JOIN subscriptions s ON s.tenant_id = c.tenant_id AND s.${column} = c.at
  WHERE ${PAYING_ROW}
  GROUP BY c.tenant_id, c.at`;
const PLAN_CHANGES = `
ended AS (${side('valid_to')}),
started AS (${side('valid_from')})
SELECT e.tenant_id, t.name, t.segment, e.plan AS old_plan, st.plan AS new_plan,
       e.mrr AS old_mrr, st.mrr AS new_mrr, e.at
FROM ended e
JOIN started st ON st.tenant_id = e.tenant_id AND st.at = e.at
JOIN tenants t ON t.id = e.tenant_id
WHERE e.plan <> st.plan
ORDER BY e.at DESC, e.tenant_id
LIMIT $4`;

/** $1 from, $2 to (exclusive), $3 now (inclusive bound), $4 limit, $5.. filters. */
const churnedTenantsSql = (filters: TenantFilters | undefined) => withPaidRowEnds(filters, CHURNED);
/** $1 from, $2 to (exclusive), $3 now (inclusive bound), $4 limit, $5.. filters. */
const planChangesSql = (filters: TenantFilters | undefined) => withPaidRowEnds(filters, PLAN_CHANGES);

export interface ChurnedTenant {
  at: Date;
  tenantId: string;
  name: string;
  plan: string;
  segment: string | null;
  lostMrr: Micros;
  reason: string | null;
}

export interface PlanChange {
  at: Date;
  tenantId: string;
  name: string;
  segment: string | null;
  oldPlan: string;
  newPlan: string;
  oldMrr: Micros;
  newMrr: Micros;
}

async function run<R>(db: Queryable, read: { sql: string; params: unknown[] }, r: MrrEventRange): Promise<R[]> {
  return (await db.query<R & Record<string, unknown>>(read.sql, [r.from, r.to, r.now, r.limit, ...read.params])).rows;
}

/** Churns of the range, newest first. */
export async function readChurnedTenants(db: Queryable, r: MrrEventRange): Promise<ChurnedTenant[]> {
  type Row = {
    tenant_id: string;
    name: string;
    plan: string;
    segment: string | null;
    lost_mrr: string;
    churn_reason: string | null;
    at: Date;
  };
  const rows = await run<Row>(db, churnedTenantsSql(r.filters), r);
  return rows.map((row) => ({
    at: row.at,
    tenantId: row.tenant_id,
    name: row.name,
    plan: row.plan,
    segment: row.segment,
    lostMrr: parseMoney(row.lost_mrr),
    reason: row.churn_reason,
  }));
}

/** Plan changes of the range, newest first. */
export async function readPlanChanges(db: Queryable, r: MrrEventRange): Promise<PlanChange[]> {
  type Row = {
    tenant_id: string;
    name: string;
    segment: string | null;
    old_plan: string;
    new_plan: string;
    old_mrr: string;
    new_mrr: string;
    at: Date;
  };
  const rows = await run<Row>(db, planChangesSql(r.filters), r);
  return rows.map((row) => ({
    at: row.at,
    tenantId: row.tenant_id,
    name: row.name,
    segment: row.segment,
    oldPlan: row.old_plan,
    newPlan: row.new_plan,
    oldMrr: parseMoney(row.old_mrr),
    newMrr: parseMoney(row.new_mrr),
  }));
}
