import { Config } from '../config/schema';
import { toCount } from '../db/parse';
import { Queryable } from '../db/pool';

// Tenant health (metric-definitions.md "Tenant health"): four 0-100 components per tenant that is
// not churned at T, a weighted mean rounded to an integer, and a risk level from config bands.
// One SQL and these functions serve both the tenant_health collector and the query API, so the
// two can never disagree about a tenant.

export type HealthComponent = 'activity' | 'adoption' | 'payment' | 'support';
export const HEALTH_COMPONENTS: readonly HealthComponent[] = ['activity', 'adoption', 'payment', 'support'];

/** From best to worst; every level is always reported, even with no tenant in it. */
export const RISK_LEVELS = ['healthy', 'watch', 'at_risk', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export type HealthComponents = Record<HealthComponent, number>;
export type HealthWeights = Config['tenantHealth']['weights'];
export type RiskBands = Config['tenantHealth']['bands'];

/** What the SQL knows about one tenant at T, already parsed. */
export interface TenantHealthInputs {
  /** Live users (not deleted) created at or before T. */
  users: number;
  /** Of those, users with at least one event in (T-30d, T]. */
  activeUsers30d: number;
  /** Distinct event names of the tenant in (T-30d, T]. */
  eventNames30d: number;
  /** Distinct event names of all tenants in (T-30d, T]. */
  allEventNames30d: number;
  /** Status of the subscription row in force at T; undefined when none (a free tenant). */
  subscriptionStatus: string | undefined;
  /** Tickets open at T with priority urgent or high. */
  urgentTickets: number;
  /** Tickets open at T with any other priority. */
  otherTickets: number;
}

export interface TenantHealth {
  tenant: string;
  name: string;
  plan: string;
  /** Tenant attributes, for filtering a computed table. */
  segment: string | null;
  channel: string | null;
  components: HealthComponents;
  score: number;
  risk: RiskLevel;
  /** Newest event of a live user of the tenant at or before T; undefined when there is none. */
  lastActivity: Date | undefined;
}

export function healthComponents(i: TenantHealthInputs): HealthComponents {
  return {
    activity: i.users > 0 ? (100 * i.activeUsers30d) / i.users : 0,
    // No event anywhere in 30 days: nobody adopted anything, like activity with no users.
    adoption: i.allEventNames30d > 0 ? (100 * i.eventNames30d) / i.allEventNames30d : 0,
    // Only 'past_due' costs points; 'active', 'trialing' and no subscription (free) are all fine.
    payment: i.subscriptionStatus === 'past_due' ? 0 : 100,
    support: Math.max(0, 100 - 25 * i.urgentTickets - 10 * i.otherTickets),
  };
}

/**
 * Weighted mean of the components, rounded to the nearest integer with halves rounded up
 * (74.5 -> 75). The mean is first snapped to 1e-9 so that float noise (74.49999999999999 from
 * 0.4 * 100 / 3 ...) cannot move a tenant across a band.
 */
export function healthScore(c: HealthComponents, weights: HealthWeights): number {
  const total = HEALTH_COMPONENTS.reduce((sum, k) => sum + weights[k], 0);
  if (!(total > 0)) throw new Error('tenantHealth.weights: at least one weight must be above 0');
  const mean = HEALTH_COMPONENTS.reduce((sum, k) => sum + weights[k] * c[k], 0) / total;
  return Math.floor(Math.round(mean * 1e9) / 1e9 + 0.5);
}

export function riskLevel(score: number, bands: RiskBands): RiskLevel {
  if (score >= bands.healthy) return 'healthy';
  if (score >= bands.watch) return 'watch';
  if (score >= bands.atRisk) return 'at_risk';
  return 'critical';
}

/** Lowest score first, ties by tenant id: the order of the series cap and of the query API. */
export function byScoreThenTenant(a: TenantHealth, b: TenantHealth): number {
  if (a.score !== b.score) return a.score - b.score;
  return a.tenant < b.tenant ? -1 : a.tenant > b.tenant ? 1 : 0;
}

/** Tenant attribute filters ($2 plan, $3 segment, $4 acquisition channel, $5 tenant id); absent or empty does not filter. */
export interface TenantHealthFilters {
  plan?: readonly string[];
  segment?: readonly string[];
  channel?: readonly string[];
  tenant?: readonly string[];
}

/** Whether a tenant passes the filters, as the SQL's $2..$5 would decide. */
export function matchesFilters(t: TenantHealth, f: TenantHealthFilters = {}): boolean {
  const passes = (list: readonly string[] | undefined, value: string | null) => !list?.length || (value !== null && list.includes(value));
  return passes(f.plan, t.plan) && passes(f.segment, t.segment) && passes(f.channel, t.channel) && passes(f.tenant, t.tenant);
}

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
         count(DISTINCT d.user_id) FILTER (WHERE d.last_at > $1::timestamptz - interval '30 days') AS active_users,
         max(d.last_at) FILTER (WHERE d.last_at <= $1::timestamptz) AS last_at,
         min(d.first_at) FILTER (WHERE d.last_at > $1::timestamptz) AS straddle_from
  FROM saasmon_user_days d
  JOIN users u ON u.id = d.user_id AND u.deleted_at IS NULL AND u.created_at <= $1::timestamptz
  WHERE d.day >= (($1::timestamptz - interval '30 days') AT TIME ZONE 'UTC')::date
    AND d.day <= ($1::timestamptz AT TIME ZONE 'UTC')::date
    AND d.first_at <= $1::timestamptz
  GROUP BY u.tenant_id
),
name_window AS (
  SELECT d.tenant_id, d.name
  FROM saasmon_tenant_event_days d
  WHERE d.day >= (($1::timestamptz - interval '30 days') AT TIME ZONE 'UTC')::date
    AND d.day <= ($1::timestamptz AT TIME ZONE 'UTC')::date
    AND d.last_at > $1::timestamptz - interval '30 days'
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
    AND d.day < (($2::timestamptz - interval '30 days') AT TIME ZONE 'UTC')::date
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
