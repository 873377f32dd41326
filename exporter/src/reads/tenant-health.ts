import { Config } from '../config/schema';
import { toCount } from '../db/parse';
import { Queryable } from '../db/pool';
import { healthComponents, healthScore, riskLevel, TenantHealth, TenantHealthFilters } from '../domain/tenant-health';
import { sqlDaysBefore } from './window';

// The tenant health family's reads: the inputs of every tenant's score at T, for the tenant_health
// collector and the tenant_health query (the math is domain/tenant-health.ts).

/**
 * One row per tenant created at or before T and not churned at T ($1 = T), filtered by $2..$5.
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
    AND ($5::text[] IS NULL OR t.id = ANY($5::text[]))
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
  const params = [now, listOrNull(filters.plan), listOrNull(filters.segment), listOrNull(filters.channel), listOrNull(filters.tenant)];
  const { rows } = await db.query<TenantHealthRow>(SQL_TENANT_HEALTH, params);
  const idle = rows.filter((r) => r.last_activity === null).map((r) => r.tenant);
  if (idle.length > 0) {
    const older = await db.query<LastActivityRow>(SQL_LAST_ACTIVITY_BEFORE_WINDOW, [idle, now]);
    const byTenant = new Map(older.rows.map((r) => [r.tenant, r.last_activity]));
    for (const r of rows) if (r.last_activity === null) r.last_activity = byTenant.get(r.tenant) ?? null;
  }
  return rows.map((r) => tenantHealthFromRow(r, config.tenantHealth));
}

/**
 * The inputs of SQL_TENANT_HEALTH for the tenants $5 (matching $2..$4 too) at each instant of $1
 * ($6 the first instant - 30 days, $7 the last):
 * one row per (tenant, instant) where the tenant is live, with the same conditions at each T
 * (see there). The tenants' own rows are read once for the whole span of windows (users' day rows
 * by their primary key, the tenants' name rows by theirs), then counted per instant.
 *
 * The event names of all tenants in (T-30d, T] are found per name and instant with one probe of
 * the raw events' (name, occurred_at) index (the names by a loose scan of it): the day rollups
 * hold the same events, but only by day or by tenant, and a year of every tenant's name rows is
 * millions of rows.
 */
export const SQL_TENANT_HEALTH_HISTORY = `
WITH RECURSIVE all_names AS (
  (SELECT e.name FROM events e ORDER BY e.name LIMIT 1)
  UNION ALL
  SELECT (SELECT e.name FROM events e WHERE e.name > n.name ORDER BY e.name LIMIT 1)
  FROM all_names n WHERE n.name IS NOT NULL
),
pts AS (
  SELECT p.t, w.lo, (w.lo AT TIME ZONE 'UTC')::date AS lo_day, (p.t AT TIME ZONE 'UTC')::date AS hi_day
  FROM unnest($1::timestamptz[]) AS p(t)
  CROSS JOIN LATERAL (SELECT ${sqlDaysBefore('p.t', 30)} AS lo) w
),
span AS (
  SELECT min(lo_day) AS lo_day, max(hi_day) AS hi_day FROM pts
),
-- A scalar subquery with LIMIT 1: one index probe per name and instant (as a semi-join, Postgres
-- read every event of each window); $6, $7 (the span) leave out the other months' partitions.
names_in_window AS (
  SELECT p.t, (
    SELECT count(*) FROM all_names n
    WHERE n.name IS NOT NULL
      AND (SELECT 1 FROM events e
           WHERE e.name = n.name AND e.occurred_at > p.lo AND e.occurred_at <= p.t
             AND e.occurred_at > $6::timestamptz AND e.occurred_at <= $7::timestamptz
           LIMIT 1) IS NOT NULL
  ) AS event_names
  FROM pts p
),
tenant_points AS (
  SELECT t.id, t.name, t.plan, t.segment, t.acquisition_channel, p.t, p.lo, p.lo_day, p.hi_day
  FROM tenants t
  JOIN pts p ON t.created_at <= p.t AND (t.churned_at IS NULL OR t.churned_at > p.t)
  WHERE t.id = ANY($5::text[])
    AND ($2::text[] IS NULL OR t.plan = ANY($2::text[]))
    AND ($3::text[] IS NULL OR t.segment = ANY($3::text[]))
    AND ($4::text[] IS NULL OR t.acquisition_channel = ANY($4::text[]))
),
tenant_users AS MATERIALIZED (
  SELECT u.id, u.tenant_id, u.created_at
  FROM users u
  WHERE u.tenant_id = ANY($5::text[]) AND u.deleted_at IS NULL
),
user_days AS MATERIALIZED (
  SELECT u.tenant_id, u.created_at, d.user_id, d.day, d.first_at, d.last_at
  FROM tenant_users u
  CROSS JOIN span
  CROSS JOIN LATERAL (
    SELECT b.user_id, b.day, b.first_at, b.last_at FROM saasmon_user_days_base b
    WHERE b.user_id = u.id AND b.day >= span.lo_day AND b.day <= span.hi_day
  ) d
  UNION ALL
  SELECT u.tenant_id, u.created_at, d.user_id, d.day, d.first_at, d.last_at
  FROM saasmon_event_deltas d
  JOIN tenant_users u ON u.id = d.user_id
  CROSS JOIN span
  WHERE d.day >= span.lo_day AND d.day <= span.hi_day
),
tenant_names AS MATERIALIZED (
  SELECT d.tenant_id, d.name, d.day, d.first_at, d.last_at
  FROM saasmon_tenant_event_days d
  CROSS JOIN span
  WHERE d.tenant_id = ANY($5::text[]) AND d.day >= span.lo_day AND d.day <= span.hi_day
),
active_per_point AS (
  SELECT tp.id, tp.t, count(DISTINCT d.user_id) AS active_users
  FROM tenant_points tp
  JOIN user_days d ON d.tenant_id = tp.id AND d.created_at <= tp.t
    AND d.day >= tp.lo_day AND d.day <= tp.hi_day AND d.first_at <= tp.t AND d.last_at > tp.lo
  GROUP BY tp.id, tp.t
),
names_per_point AS (
  SELECT tp.id, tp.t, count(DISTINCT n.name) AS event_names
  FROM tenant_points tp
  JOIN tenant_names n ON n.tenant_id = tp.id
    AND n.day >= tp.lo_day AND n.day <= tp.hi_day AND n.last_at > tp.lo AND n.first_at <= tp.t
  GROUP BY tp.id, tp.t
),
tickets AS MATERIALIZED (
  SELECT s.tenant_id, s.priority, s.opened_at, s.resolved_at
  FROM support_tickets s
  WHERE s.tenant_id = ANY($5::text[])
)
SELECT tp.id AS tenant, tp.name, tp.plan, tp.segment, tp.acquisition_channel AS channel, tp.t AS at,
       (SELECT count(*) FROM tenant_users u WHERE u.tenant_id = tp.id AND u.created_at <= tp.t) AS users,
       coalesce(ap.active_users, 0) AS active_users,
       coalesce(np.event_names, 0) AS event_names,
       an.event_names AS all_event_names,
       (SELECT CASE WHEN bool_or(s.status = 'past_due') THEN 'past_due'
                    WHEN bool_or(s.status = 'active') THEN 'active'
                    ELSE min(s.status) END
        FROM subscriptions s
        WHERE s.tenant_id = tp.id AND s.valid_from <= tp.t AND (s.valid_to IS NULL OR s.valid_to > tp.t)) AS subscription_status,
       (SELECT count(*) FROM tickets k
        WHERE k.tenant_id = tp.id AND k.priority IN ('urgent', 'high')
          AND k.opened_at <= tp.t AND (k.resolved_at IS NULL OR k.resolved_at > tp.t)) AS urgent_tickets,
       (SELECT count(*) FROM tickets k
        WHERE k.tenant_id = tp.id AND k.priority NOT IN ('urgent', 'high')
          AND k.opened_at <= tp.t AND (k.resolved_at IS NULL OR k.resolved_at > tp.t)) AS other_tickets
FROM tenant_points tp
JOIN names_in_window an ON an.t = tp.t
LEFT JOIN active_per_point ap ON ap.id = tp.id AND ap.t = tp.t
LEFT JOIN names_per_point np ON np.id = tp.id AND np.t = tp.t
ORDER BY tp.id, tp.t`;

export interface TenantHealthPoint {
  at: Date;
  health: TenantHealth;
}

/**
 * The health of the tenants of `filters.tenant` at each of `instants`, as readTenantHealth would
 * compute it at that instant (without the last activity), in tenant then time order.
 */
export async function readTenantHealthHistory(
  db: Queryable,
  instants: readonly Date[],
  config: Config,
  filters: TenantHealthFilters & { tenant: readonly string[] },
): Promise<TenantHealthPoint[]> {
  const listOrNull = (list: readonly string[] | undefined) => (list?.length ? list : null);
  const times = instants.map((t) => t.getTime());
  const span = [new Date(Math.min(...times) - 30 * 86_400_000), new Date(Math.max(...times))];
  const params = [instants, listOrNull(filters.plan), listOrNull(filters.segment), listOrNull(filters.channel), filters.tenant, ...span];
  const { rows } = await db.query<TenantHealthRow & { at: Date }>(SQL_TENANT_HEALTH_HISTORY, params);
  return rows.map((r) => ({ at: r.at, health: tenantHealthFromRow({ ...r, last_activity: null }, config.tenantHealth) }));
}
