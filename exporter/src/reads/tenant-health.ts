import { Config } from '../config/schema';
import { toCount } from '../db/parse';
import { Queryable } from '../db/pool';
import { healthComponents, healthScore, riskLevel, TenantHealth, TenantHealthFilters } from '../domain/tenant-health';
import { sqlDaysBefore } from './window';

// The tenant health family's reads: the inputs of every tenant's score at T, for the tenant_health
// collector and the tenant_health query (the math is domain/tenant-health.ts).

/**
 * One row per tenant created at or before T and not churned at T ($1 = T), filtered by $2..$4.
 *
 * Rolling windows (T-30d, T] come from the daily rollups: a day row counts when last_at > T-30d
 * (it matters on the first day) and first_at <= T (on the last day). The set of all event names
 * ignores the filters, so a tenant's score does not depend on what else is asked for.
 *
 * Open tickets are those opened at or before T and not resolved at T (resolved_at null or after T).
 * When a tenant has several subscription rows in force, past_due wins, then active, then trialing.
 *
 * Last activity: the newest event of a live user of the tenant at or before T (system events
 * without a user are not customer activity), from the user-day rollups. Only a row of T's own day
 * can hold events on both sides of T; for such a tenant the raw events of that day decide. Null
 * here when the tenant had no user activity in the window: see SQL_LAST_ACTIVITY_BEFORE_WINDOW.
 */
export const SQL_TENANT_HEALTH = `
WITH live_tenants AS (
  SELECT t.id, t.name, t.plan, t.segment, t.acquisition_channel
  FROM tenants t
  WHERE t.created_at <= $1::timestamptz
    AND (t.churned_at IS NULL OR t.churned_at > $1::timestamptz)
    AND ($2::text[] IS NULL OR t.plan = ANY($2::text[]))
    AND ($3::text[] IS NULL OR t.segment = ANY($3::text[]))
    AND ($4::text[] IS NULL OR t.acquisition_channel = ANY($4::text[]))
),
user_counts AS (
  SELECT u.tenant_id, count(*) AS users
  FROM users u
  WHERE u.deleted_at IS NULL AND u.created_at <= $1::timestamptz
  GROUP BY u.tenant_id
),
user_window AS (
  SELECT u.tenant_id,
         count(DISTINCT d.user_id) FILTER (WHERE d.last_at > ${sqlDaysBefore('$1::timestamptz', 30)}) AS active_users,
         max(d.last_at) FILTER (WHERE d.last_at <= $1::timestamptz) AS last_at,
         min(d.first_at) FILTER (WHERE d.last_at > $1::timestamptz) AS straddle_from
  FROM saasmon_user_days d
  JOIN users u ON u.id = d.user_id AND u.deleted_at IS NULL AND u.created_at <= $1::timestamptz
  WHERE d.day >= ((${sqlDaysBefore('$1::timestamptz', 30)}) AT TIME ZONE 'UTC')::date
    AND d.day <= ($1::timestamptz AT TIME ZONE 'UTC')::date
    AND d.first_at <= $1::timestamptz
  GROUP BY u.tenant_id
),
name_window AS (
  SELECT d.tenant_id, d.name
  FROM saasmon_tenant_event_days d
  WHERE d.day >= ((${sqlDaysBefore('$1::timestamptz', 30)}) AT TIME ZONE 'UTC')::date
    AND d.day <= ($1::timestamptz AT TIME ZONE 'UTC')::date
    AND d.last_at > ${sqlDaysBefore('$1::timestamptz', 30)}
    AND d.first_at <= $1::timestamptz
),
names_used AS (
  SELECT tenant_id, count(DISTINCT name) AS event_names FROM name_window GROUP BY tenant_id
),
all_names AS (
  SELECT count(DISTINCT name) AS event_names FROM name_window
),
subscription_status AS (
  SELECT s.tenant_id,
         CASE WHEN bool_or(s.status = 'past_due') THEN 'past_due'
              WHEN bool_or(s.status = 'active') THEN 'active'
              ELSE min(s.status) END AS status
  FROM subscriptions s
  WHERE s.valid_from <= $1::timestamptz AND (s.valid_to IS NULL OR s.valid_to > $1::timestamptz)
  GROUP BY s.tenant_id
),
open_tickets AS (
  SELECT tenant_id,
         count(*) FILTER (WHERE priority IN ('urgent', 'high')) AS urgent,
         count(*) FILTER (WHERE priority NOT IN ('urgent', 'high')) AS other
  FROM support_tickets
  WHERE opened_at <= $1::timestamptz AND (resolved_at IS NULL OR resolved_at > $1::timestamptz)
  GROUP BY tenant_id
)
SELECT t.id AS tenant, t.name, t.plan, t.segment, t.acquisition_channel AS channel,
       coalesce(uc.users, 0) AS users,
       coalesce(uw.active_users, 0) AS active_users,
       coalesce(nu.event_names, 0) AS event_names,
       an.event_names AS all_event_names,
       ss.status AS subscription_status,
       coalesce(ot.urgent, 0) AS urgent_tickets,
       coalesce(ot.other, 0) AS other_tickets,
       CASE
         WHEN uw.straddle_from IS NOT NULL THEN greatest(uw.last_at, (
           SELECT max(e.occurred_at)
           FROM events e JOIN users u ON u.id = e.user_id AND u.deleted_at IS NULL
           WHERE e.tenant_id = t.id AND e.occurred_at >= uw.straddle_from AND e.occurred_at <= $1::timestamptz))
         ELSE uw.last_at
       END AS last_activity
FROM live_tenants t
CROSS JOIN all_names an
LEFT JOIN user_counts uc ON uc.tenant_id = t.id
LEFT JOIN user_window uw ON uw.tenant_id = t.id
LEFT JOIN names_used nu ON nu.tenant_id = t.id
LEFT JOIN subscription_status ss ON ss.tenant_id = t.id
LEFT JOIN open_tickets ot ON ot.tenant_id = t.id
ORDER BY t.id`;

/**
 * Last activity of tenants with none in the 30-day window ($1 tenant ids, $2 = T): their newest
 * day of a live user before the window, found by the (tenant_id, day) index, one short probe each.
 * A separate statement on purpose: folded into SQL_TENANT_HEALTH as a per-tenant subquery, the
 * planner prices it for every tenant and the whole query crosses Postgres' JIT thresholds, whose
 * compile time (0.6-1 s on synthetic L data) is more than the query itself. The exporter's read
 * pools turn JIT off, but a caller on a connection with JIT on (psql, a replica's defaults) should
 * not pay for it either.
 */
export const SQL_LAST_ACTIVITY_BEFORE_WINDOW = `
SELECT t.tenant_id AS tenant, (
  SELECT d.last_at
  FROM saasmon_user_days d
  JOIN users u ON u.id = d.user_id AND u.deleted_at IS NULL
  WHERE d.tenant_id = t.tenant_id
    AND d.day < ((${sqlDaysBefore('$2::timestamptz', 30)}) AT TIME ZONE 'UTC')::date
  ORDER BY d.day DESC, d.last_at DESC
  LIMIT 1) AS last_activity
FROM unnest($1::text[]) AS t(tenant_id)`;

interface LastActivityRow {
  tenant: string;
  last_activity: Date | null;
}

export interface TenantHealthRow {
  tenant: string;
  name: string;
  plan: string;
  segment: string | null;
  channel: string | null;
  users: string;
  active_users: string;
  event_names: string;
  all_event_names: string;
  subscription_status: string | null;
  urgent_tickets: string;
  other_tickets: string;
  last_activity: Date | null;
}

export function tenantHealthFromRow(row: TenantHealthRow, config: Config['tenantHealth']): TenantHealth {
  const components = healthComponents({
    users: toCount(row.users),
    activeUsers30d: toCount(row.active_users),
    eventNames30d: toCount(row.event_names),
    allEventNames30d: toCount(row.all_event_names),
    subscriptionStatus: row.subscription_status ?? undefined,
    urgentTickets: toCount(row.urgent_tickets),
    otherTickets: toCount(row.other_tickets),
  });
  const score = healthScore(components, config.weights);
  return {
    tenant: row.tenant,
    name: row.name,
    plan: row.plan,
    segment: row.segment,
    channel: row.channel,
    components,
    score,
    risk: riskLevel(score, config.bands),
    lastActivity: row.last_activity ?? undefined,
  };
}

/** Health of every tenant live at `now` (matching the filters), in tenant id order. */
export async function readTenantHealth(
  db: Queryable,
  now: Date,
  config: Config,
  filters: TenantHealthFilters = {},
): Promise<TenantHealth[]> {
  const listOrNull = (list: readonly string[] | undefined) => (list?.length ? list : null);
  const params = [now, listOrNull(filters.plan), listOrNull(filters.segment), listOrNull(filters.channel)];
  const { rows } = await db.query<TenantHealthRow>(SQL_TENANT_HEALTH, params);
  const idle = rows.filter((r) => r.last_activity === null).map((r) => r.tenant);
  if (idle.length > 0) {
    const older = await db.query<LastActivityRow>(SQL_LAST_ACTIVITY_BEFORE_WINDOW, [idle, now]);
    const byTenant = new Map(older.rows.map((r) => [r.tenant, r.last_activity]));
    for (const r of rows) if (r.last_activity === null) r.last_activity = byTenant.get(r.tenant) ?? null;
  }
  return rows.map((r) => tenantHealthFromRow(r, config.tenantHealth));
}
