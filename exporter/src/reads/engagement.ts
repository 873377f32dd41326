import { Config } from '../config/schema';
import { toCount } from '../db/parse';
import { Queryable } from '../db/pool';
import { activationCohort, dayNRetentionCohort, daysBefore, NpsCounts, shareOf } from '../domain/engagement';
import { EngagementKpis } from '../domain/kpi-inputs';
import { sqlDaysAfter, sqlDaysBefore } from './window';
import { TenantFilters } from '@saasmon/contract';
import { tenantFilterSql } from './tenant-filter';
import { planInForceSql } from './revenue';

// The engagement family's reads (SQL and row parsing), for the engagement collector, the alignment
// KPIs and the feature_adoption query. Users are the live rows of `users` (deleted_at null).
// Event windows read the daily rollups, never raw events; an edge day of (T - w, T] counts when its
// last_at > T - w (first day) or its first_at <= T (day of T).

/** Rolling windows of active users and signups, in days, and their `window` label. */
export const ACTIVITY_WINDOWS_DAYS = [1, 7, 30] as const;
export const RETENTION_DAYS = [1, 7, 30] as const;
const VIRAL_WINDOW_DAYS = 30;
const ADOPTION_WINDOW_DAYS = 30;
const NPS_WINDOW_DAYS = 90;

/**
 * Per window w in $2 (days), the live users whose latest event at or before T is later than T - w.
 * That instant, per user: the last_at of their latest day before T's day, or on T's day the
 * first_at when it is <= T (any event of T's day is later than T - 1d, so it counts for every w).
 * $3 is the longest window, a plain parameter so that the planner sees how many days are read.
 */
export const SQL_ACTIVE_USERS = `
WITH last_seen AS (
  SELECT d.user_id,
         max(CASE WHEN d.day = ($1::timestamptz AT TIME ZONE 'UTC')::date THEN d.first_at ELSE d.last_at END) AS seen_at
  FROM saasmon_user_days d
  JOIN users u ON u.id = d.user_id AND u.deleted_at IS NULL
  WHERE d.day >= ((${sqlDaysBefore('$1::timestamptz', '$3::int')}) AT TIME ZONE 'UTC')::date
    AND d.day <= ($1::timestamptz AT TIME ZONE 'UTC')::date
    AND d.first_at <= $1::timestamptz
  GROUP BY d.user_id
)
SELECT w.days, count(s.user_id) AS users
FROM unnest($2::int[]) AS w(days)
LEFT JOIN last_seen s ON s.seen_at > ${sqlDaysBefore('$1::timestamptz', 'w.days')}
GROUP BY w.days`;

// Real-time activity from raw events (events_occurred_idx): the day rollups cannot tell the last
// hour apart. $1 = T. Deleted users make no one active and their events do not count.
export const SQL_RECENT_ACTIVITY = `
SELECT (SELECT count(DISTINCT e.user_id)
        FROM events e
        JOIN users u ON u.id = e.user_id AND u.deleted_at IS NULL
        WHERE e.occurred_at > $1::timestamptz - interval '1 hour' AND e.occurred_at <= $1::timestamptz) AS active_users_1h,
       (SELECT count(*)
        FROM events e
        WHERE e.occurred_at > $1::timestamptz - interval '5 minutes' AND e.occurred_at <= $1::timestamptz
          AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = e.user_id AND u.deleted_at IS NOT NULL)) AS events_5m`;

export const SQL_SIGNUPS = `
SELECT w.days, count(u.id) AS users
FROM unnest($2::int[]) AS w(days)
LEFT JOIN users u ON u.deleted_at IS NULL
  AND u.created_at > ${sqlDaysBefore('$1::timestamptz', 'w.days')}
  AND u.created_at <= $1::timestamptz
GROUP BY w.days`;

// $1, $2: the cohort [from, to); $3: the activation window N in days. An activated_at before
// created_at (clock skew upstream) counts as activated at sign-up.
export const SQL_USER_ACTIVATION = `
SELECT count(*) AS cohort,
       count(*) FILTER (WHERE activated_at <= ${sqlDaysAfter('created_at', '$3::int')}) AS activated
FROM users
WHERE deleted_at IS NULL AND created_at >= $1::timestamptz AND created_at < $2::timestamptz`;

export const SQL_ACCOUNT_ACTIVATION = `
SELECT count(*) AS cohort,
       count(*) FILTER (WHERE EXISTS (
         SELECT 1 FROM users u
         WHERE u.tenant_id = t.id AND u.deleted_at IS NULL
           AND u.activated_at <= ${sqlDaysAfter('t.created_at', '$3::int')}
       )) AS activated
FROM tenants t
WHERE t.created_at >= $1::timestamptz AND t.created_at < $2::timestamptz`;

// One row per N of $1 with its signup days [$2, $3]; the return day is the signup day + N.
export const SQL_RETENTION = `
SELECT c.n, count(u.id) AS cohort,
       count(u.id) FILTER (WHERE EXISTS (
         -- EXISTS, not a join: a user-day may span several rollup rows until compacted.
         SELECT 1 FROM saasmon_user_days d
         WHERE d.user_id = u.id AND d.day = (u.created_at AT TIME ZONE 'UTC')::date + c.n
       )) AS returned
FROM unnest($1::int[], $2::date[], $3::date[]) AS c(n, first_day, last_day)
LEFT JOIN users u ON u.deleted_at IS NULL
  AND u.created_at >= c.first_day::timestamp AT TIME ZONE 'UTC'
  AND u.created_at < (c.last_day + 1)::timestamp AT TIME ZONE 'UTC'
GROUP BY c.n`;

// $2: T - 30d. referred_by '' is treated as not set.
export const SQL_VIRAL = `
SELECT count(*) FILTER (WHERE created_at > $2::timestamptz AND referred_by <> '') AS referred,
       count(*) FILTER (WHERE created_at <= $2::timestamptz) AS base
FROM users
WHERE deleted_at IS NULL AND created_at <= $1::timestamptz`;

/**
 * Tenants (known to `tenants`) with an event in (T - 30d, T], from tenant-event-days; $2 = T - 30d.
 * Features: the configured names $3 (reported even when unused), else every name used, ranked
 * by tenants using it then by name, cut to $4.
 */
export const SQL_FEATURE_ADOPTION_ROLLING = `
WITH used AS (
  SELECT DISTINCT r.tenant_id, r.name
  FROM saasmon_tenant_event_days r
  JOIN tenants t ON t.id = r.tenant_id
  WHERE r.day >= ($2::timestamptz AT TIME ZONE 'UTC')::date
    AND r.day <= ($1::timestamptz AT TIME ZONE 'UTC')::date
    AND r.last_at > $2::timestamptz
    AND r.first_at <= $1::timestamptz
),
candidates AS (
  SELECT name FROM unnest($3::text[]) AS f(name)
  UNION
  SELECT name FROM used WHERE cardinality($3::text[]) = 0
)
SELECT c.name AS feature,
       count(u.tenant_id) AS tenants_using,
       (SELECT count(DISTINCT tenant_id) FROM used) AS active_tenants
FROM candidates c
LEFT JOIN used u ON u.name = c.name
GROUP BY c.name
ORDER BY tenants_using DESC, c.name
LIMIT $4`;

export const SQL_NPS = `
SELECT count(*) FILTER (WHERE score >= 9) AS promoters,
       count(*) FILTER (WHERE score <= 6) AS detractors,
       count(*) AS responses
FROM nps_responses
WHERE responded_at > $2::timestamptz AND responded_at <= $1::timestamptz`;

// Every priority of the contract is listed so that a priority going to zero shows 0, not absent.
export const SQL_SUPPORT_TICKETS_OPEN = `
SELECT p.priority, count(s.id) AS open
FROM unnest(ARRAY['urgent', 'high', 'normal', 'low']) AS p(priority)
LEFT JOIN support_tickets s ON s.priority = p.priority AND s.resolved_at IS NULL
GROUP BY p.priority
UNION ALL
SELECT priority, count(*) FROM support_tickets
WHERE resolved_at IS NULL AND priority NOT IN ('urgent', 'high', 'normal', 'low')
GROUP BY priority`;

interface WindowCountRow {
  days: number;
  users: string;
}
interface RecentActivityRow {
  active_users_1h: string;
  events_5m: string;
}
interface CohortRow {
  cohort: string;
  activated: string;
}
interface RetentionRow {
  n: number;
  cohort: string;
  returned: string;
}
interface ViralRow {
  referred: string;
  base: string;
}
interface FeatureAdoptionRow {
  feature: string;
  tenants_using: string;
  active_tenants: string;
}
interface NpsRow {
  promoters: string;
  detractors: string;
  responses: string;
}
interface TicketsOpenRow {
  priority: string;
  open: string;
}

// Readers: one query each, typed results. The KPI reader and the collector share them.

/** Per window of ACTIVITY_WINDOWS_DAYS, its count. */
async function readWindowCounts(db: Queryable, sql: string, values: unknown[]): Promise<Map<number, number>> {
  const { rows } = await db.query<WindowCountRow>(sql, values);
  return new Map(rows.map((r) => [r.days, toCount(r.users)]));
}

export function readActiveUsers(db: Queryable, now: Date): Promise<Map<number, number>> {
  return readWindowCounts(db, SQL_ACTIVE_USERS, [now, ACTIVITY_WINDOWS_DAYS, Math.max(...ACTIVITY_WINDOWS_DAYS)]);
}

export interface RecentActivity {
  activeUsers1h: number;
  /** Events in (T-5m, T] / 5. */
  eventsPerMinute: number;
}

/** Active users in the last hour and events per minute over the last 5 minutes at T. */
export async function readRecentActivity(db: Queryable, now: Date): Promise<RecentActivity> {
  const { rows } = await db.query<RecentActivityRow>(SQL_RECENT_ACTIVITY, [now]);
  return { activeUsers1h: toCount(rows[0]?.active_users_1h), eventsPerMinute: toCount(rows[0]?.events_5m) / 5 };
}

export function readSignups(db: Queryable, now: Date): Promise<Map<number, number>> {
  return readWindowCounts(db, SQL_SIGNUPS, [now, ACTIVITY_WINDOWS_DAYS]);
}

export async function readCohortShare(db: Queryable, sql: string, now: Date, config: Config): Promise<number | undefined> {
  const days = config.engagement.activationWindowDays;
  const cohort = activationCohort(now, days);
  const { rows } = await db.query<CohortRow>(sql, [cohort.from, cohort.to, days]);
  return shareOf(toCount(rows[0]?.activated), toCount(rows[0]?.cohort));
}

/** D_N retention for each N: undefined where the cohort is empty. */
export async function readRetention(db: Queryable, now: Date, ns: readonly number[]): Promise<Map<number, number | undefined>> {
  const cohorts = ns.map((n) => dayNRetentionCohort(now, n));
  const { rows } = await db.query<RetentionRow>(SQL_RETENTION, [
    cohorts.map((c) => c.n),
    cohorts.map((c) => c.firstSignupDay),
    cohorts.map((c) => c.lastSignupDay),
  ]);
  const byN = new Map(rows.map((r) => [r.n, shareOf(toCount(r.returned), toCount(r.cohort))]));
  return new Map(ns.map((n) => [n, byN.get(n)]));
}

export async function readViralCoefficient(db: Queryable, now: Date): Promise<number | undefined> {
  const { rows } = await db.query<ViralRow>(SQL_VIRAL, [now, daysBefore(now, VIRAL_WINDOW_DAYS)]);
  return shareOf(toCount(rows[0]?.referred), toCount(rows[0]?.base));
}

export async function readFeatureAdoption(db: Queryable, now: Date, config: Config): Promise<Map<string, number | undefined>> {
  const configured = config.engagement.adoptionFeatures;
  const limit = configured.length > 0 ? configured.length : config.engagement.adoptionTopN;
  const { rows } = await db.query<FeatureAdoptionRow>(SQL_FEATURE_ADOPTION_ROLLING, [
    now,
    daysBefore(now, ADOPTION_WINDOW_DAYS),
    configured,
    limit,
  ]);
  return new Map(rows.map((r) => [r.feature, shareOf(toCount(r.tenants_using), toCount(r.active_tenants))]));
}

export async function readNps(db: Queryable, now: Date): Promise<NpsCounts> {
  const { rows } = await db.query<NpsRow>(SQL_NPS, [now, daysBefore(now, NPS_WINDOW_DAYS)]);
  return {
    promoters: toCount(rows[0]?.promoters),
    detractors: toCount(rows[0]?.detractors),
    responses: toCount(rows[0]?.responses),
  };
}

/** Open support tickets per priority (every priority of the contract listed, 0 when none). */
export async function readSupportTicketsOpen(db: Queryable): Promise<Array<{ priority: string; open: number }>> {
  const { rows } = await db.query<TicketsOpenRow>(SQL_SUPPORT_TICKETS_OPEN);
  return rows.map((r) => ({ priority: r.priority, open: toCount(r.open) }));
}

/** The engagement KPIs of the alignment score, from the same queries as the gauges. */
export async function readEngagementKpis(db: Queryable, now: Date, config: Config): Promise<EngagementKpis> {
  const activationRate = await readCohortShare(db, SQL_USER_ACTIVATION, now, config);
  const accountActivationRate = await readCohortShare(db, SQL_ACCOUNT_ACTIVATION, now, config);
  const retention = await readRetention(db, now, [7, 30]);
  const viralCoefficient = await readViralCoefficient(db, now);
  return {
    activationRate,
    accountActivationRate,
    retentionD7: retention.get(7),
    retentionD30: retention.get(30),
    viralCoefficient,
  };
}

/**
 * The feature_adoption query: among tenants active in [$1, $2) (an event), by their current plan
 * and all together ('all'), the tenants that used each feature. Features: $3, else the $5 names
 * used by most active tenants; plans: $4, else all, capped to the $6 with most active tenants
 * (plan_count tells how many there were).
 */
export const SQL_FEATURE_ADOPTION_BY_PLAN = `
WITH used AS (
  -- Tenant-event-days rollup: a day row is in [from, to) exactly when it spans a day boundary of
  -- the range (edge days by their first/last instant). A range inside one UTC day reads raw events.
  SELECT DISTINCT d.tenant_id, d.name
  FROM saasmon_tenant_event_days d
  WHERE ($1::timestamptz AT TIME ZONE 'UTC')::date <> ($2::timestamptz AT TIME ZONE 'UTC')::date
    AND d.day >= ($1::timestamptz AT TIME ZONE 'UTC')::date AND d.day <= ($2::timestamptz AT TIME ZONE 'UTC')::date
    AND d.last_at >= $1::timestamptz AND d.first_at < $2::timestamptz
  UNION
  SELECT DISTINCT e.tenant_id, e.name
  FROM events e
  WHERE ($1::timestamptz AT TIME ZONE 'UTC')::date = ($2::timestamptz AT TIME ZONE 'UTC')::date
    AND e.occurred_at >= $1::timestamptz AND e.occurred_at < $2::timestamptz
),
active AS (
  SELECT DISTINCT u.tenant_id, t.plan
  FROM used u JOIN tenants t ON t.id = u.tenant_id
  WHERE $4::text[] IS NULL OR t.plan = ANY($4::text[])
),
features AS (
  SELECT u.name FROM used u JOIN active a ON a.tenant_id = u.tenant_id
  WHERE $3::text[] IS NULL OR u.name = ANY($3::text[])
  GROUP BY u.name
  ORDER BY count(*) DESC, u.name
  LIMIT $5
),
plan_counts AS (
  SELECT plan, count(*) AS active_tenants FROM active GROUP BY plan
),
plans AS (
  -- Cardinality cap: the $6 plans with the most active tenants ("all" still counts every plan).
  (SELECT plan, active_tenants FROM plan_counts ORDER BY active_tenants DESC, plan LIMIT $6)
  UNION ALL
  SELECT 'all', count(*) FROM active
)
SELECT f.name AS feature, p.plan, p.active_tenants,
       count(a.tenant_id) AS tenants_using,
       (SELECT count(*) FROM plan_counts) AS plan_count
FROM features f
CROSS JOIN plans p
LEFT JOIN used u ON u.name = f.name
LEFT JOIN active a ON a.tenant_id = u.tenant_id AND (p.plan = 'all' OR a.plan = p.plan)
GROUP BY f.name, p.plan, p.active_tenants
ORDER BY f.name, p.plan`;

interface FeatureAdoptionByPlanRow {
  feature: string;
  plan: string;
  active_tenants: string;
  tenants_using: string;
  plan_count: string;
}

export interface FeatureAdoptionByPlan {
  feature: string;
  plan: string;
  /** Active tenants of the plan. */
  active: number;
  /** Of those, tenants that used the feature. */
  using: number;
}

export async function readFeatureAdoptionByPlan(
  db: Queryable,
  q: { from: string; to: string; features?: string[]; plans?: string[]; top: number },
  maxPlans: number,
): Promise<{ rows: FeatureAdoptionByPlan[]; planCount: number }> {
  const { rows } = await db.query<FeatureAdoptionByPlanRow>(SQL_FEATURE_ADOPTION_BY_PLAN, [
    q.from,
    q.to,
    q.features ?? null,
    q.plans ?? null,
    q.top,
    maxPlans,
  ]);
  return {
    rows: rows.map((r) => ({ feature: r.feature, plan: r.plan, active: toCount(r.active_tenants), using: toCount(r.tenants_using) })),
    planCount: rows.length ? toCount(rows[0]?.plan_count) : 0,
  };
}

// date_trunc in UTC: 'week' is the ISO week starting Monday. Filters are tenant attributes
// ($4..$7); a response whose tenant is unknown counts only when no filter is given (LEFT JOIN:
// the conditions are true for absent lists). The breakdown bucket is a fixed expression per
// choice (plan in force at the response, or the tenant's segment), never client text.
export function npsByPeriodSql(filters: TenantFilters | undefined, breakdown?: 'plan' | 'segment') {
  const f = tenantFilterSql('t', filters, 3);
  const bucket = breakdown === 'plan' ? planInForceSql('r.tenant_id', 'r.responded_at') : breakdown === 'segment' ? 't.segment' : "'all'";
  const sql = `
SELECT date_trunc($3, r.responded_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS period,
       coalesce(${bucket}, '(none)') AS bucket,
       count(*) FILTER (WHERE r.score >= 9) AS promoters,
       count(*) FILTER (WHERE r.score BETWEEN 7 AND 8) AS passives,
       count(*) FILTER (WHERE r.score <= 6) AS detractors,
       count(*) AS responses
FROM nps_responses r
LEFT JOIN tenants t ON t.id = r.tenant_id
WHERE r.responded_at >= $1::timestamptz AND r.responded_at < $2::timestamptz
  AND ${f.sql}
GROUP BY 1, 2
ORDER BY 1, coalesce(${bucket}, '(none)') COLLATE "C"`;
  return { sql, params: f.params };
}

interface NpsByPeriodRow {
  period: Date;
  bucket: string;
  promoters: string;
  passives: string;
  detractors: string;
  responses: string;
}

export interface NpsPeriod extends NpsCounts {
  /** Start of the period (UTC), Unix ms. */
  periodMs: number;
  /** The breakdown's plan or segment ('(none)' when unknown); 'all' without a breakdown. */
  bucket: string;
  passives: number;
}

/** NPS answers per period ('day', 'week', 'month') of [from, to), for the nps query. */
export async function readNpsByPeriod(
  db: Queryable,
  from: string,
  to: string,
  interval: string,
  filters?: TenantFilters,
  breakdown?: 'plan' | 'segment',
): Promise<NpsPeriod[]> {
  const { sql, params } = npsByPeriodSql(filters, breakdown);
  const { rows } = await db.query<NpsByPeriodRow>(sql, [from, to, interval, ...params]);
  return rows.map((r) => ({
    periodMs: r.period.getTime(),
    bucket: r.bucket,
    promoters: toCount(r.promoters),
    passives: toCount(r.passives),
    detractors: toCount(r.detractors),
    responses: toCount(r.responses),
  }));
}
