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

/**
 * Feature impact (docs/metrics.md "Power users and features"), counted in the database: $1 from,
 * $2 to, $3 T, $4 features (distinct), $5 N (retentionDay), $6 firstDays, $7.. filters. One row
 * per feature, in the order of $4.
 *
 * Cohort: live users created in [from, to) and by T. A user is compared once day s+N has ended
 * (midnight after it <= T); retained when active on a day of [s+N-6, s+N]: a bit of their
 * activity string (saasmon_user_activity, name '') or a pending delta (one short row per user,
 * not one rollup lookup per user). First use of a feature: the least first_at of its activity row
 * and pending deltas, by T and not before signup, in whole milliseconds after signup as a
 * JavaScript Date would hold the two instants (floored). The median's one or two middle values
 * are returned (in milliseconds, sorted as the days they become), so that the exporter halves the
 * same two numbers it did when it received every user.
 */
export function featureImpactSql(filters: TenantFilters | undefined) {
  const f = tenantFilterSql('t', filters, 6);
  const sql = `
WITH cohort AS MATERIALIZED (
  SELECT u.id, u.created_at, (u.created_at AT TIME ZONE 'UTC')::date AS s,
         (((u.created_at AT TIME ZONE 'UTC')::date + $5::int + 1)::timestamp AT TIME ZONE 'UTC') <= $3::timestamptz AS compared
  FROM users u
  JOIN tenants t ON t.id = u.tenant_id
  WHERE u.deleted_at IS NULL AND u.created_at >= $1::timestamptz AND u.created_at < $2::timestamptz
    AND u.created_at <= $3::timestamptz AND ${f.sql}
),
status AS MATERIALIZED (
  SELECT c.id, c.created_at, c.compared,
         c.compared AND (
           coalesce(bit_count(substring(a.days FROM (c.s + ($5::int - 6)) - a.first_day + 1 FOR 7)) > 0, false)
           OR EXISTS (SELECT 1 FROM saasmon_event_deltas d
                      WHERE d.user_id = c.id AND d.day >= c.s + ($5::int - 6) AND d.day <= c.s + $5::int)) AS retained
  FROM cohort c
  LEFT JOIN saasmon_user_activity a ON a.name = '' AND a.user_id = c.id
),
first_use AS (
  SELECT u.user_id, u.name, u.created_at, min(u.first_at) AS first_at
  FROM (
    SELECT c.id AS user_id, a.name, a.first_at, c.created_at
    FROM cohort c
    JOIN saasmon_user_activity a ON a.user_id = c.id AND a.name = ANY($4::text[])
    UNION ALL
    SELECT c.id, d.name, d.first_at, c.created_at
    FROM saasmon_event_deltas d
    JOIN cohort c ON c.id = d.user_id
    WHERE d.name = ANY($4::text[])
  ) u
  WHERE u.first_at <= $3::timestamptz AND u.first_at >= u.created_at
  GROUP BY u.user_id, u.name, u.created_at
),
uses AS (
  SELECT f.name,
         (floor(extract(epoch FROM f.first_at) * 1000) - floor(extract(epoch FROM f.created_at) * 1000))::float8 AS ms,
         s.compared, s.retained
  FROM first_use f
  JOIN status s ON s.id = f.user_id
),
per_feature AS (
  SELECT name, count(*) AS used_ever,
         count(*) FILTER (WHERE compared AND ms <= $6::float8 * 86400000) AS used_early,
         count(*) FILTER (WHERE compared AND ms <= $6::float8 * 86400000 AND retained) AS used_early_retained,
         array_agg(ms ORDER BY ms) AS sorted_ms
  FROM uses
  GROUP BY name
),
totals AS (
  SELECT count(*) AS users, count(*) FILTER (WHERE compared) AS compared, count(*) FILTER (WHERE retained) AS compared_retained
  FROM status
)
SELECT f.name AS feature, x.users, x.compared, x.compared_retained,
       coalesce(p.used_ever, 0) AS used_ever, coalesce(p.used_early, 0) AS used_early,
       coalesce(p.used_early_retained, 0) AS used_early_retained,
       p.sorted_ms[(p.used_ever + 1) / 2] AS median_low_ms, p.sorted_ms[p.used_ever / 2 + 1] AS median_high_ms
FROM unnest($4::text[]) WITH ORDINALITY AS f(name, ord)
CROSS JOIN totals x
LEFT JOIN per_feature p ON p.name = f.name
ORDER BY f.ord`;
  return { sql, params: f.params };
}

interface FeatureImpactRow {
  feature: string;
  users: string;
  compared: string;
  compared_retained: string;
  used_ever: string;
  used_early: string;
  used_early_retained: string;
  median_low_ms: number | null;
  median_high_ms: number | null;
}

export interface FeatureImpact {
  feature: string;
  users: number;
  usedEver: number;
  medianDaysToFirstUse: number | undefined;
  compared: number;
  usedEarly: number;
  usedEarlyRetained: number;
  notUsedEarly: number;
  notUsedEarlyRetained: number;
}

export interface FeatureImpactAsk {
  from: string | Date;
  to: string | Date;
  now: Date;
  /** Distinct event names. */
  features: readonly string[];
  retentionDay: number;
  firstDays: number;
  filters?: TenantFilters;
}

const DAY_MS = 86_400_000;

/** Per feature of `ask.features` (in that order), the counts behind the comparison. */
export async function readFeatureImpact(db: Queryable, ask: FeatureImpactAsk): Promise<FeatureImpact[]> {
  const { sql, params } = featureImpactSql(ask.filters);
  // ~100k first uses sorted and grouped at 5,000 tenants: they spill at the default 4MB.
  await db.query("SET LOCAL work_mem = '32MB'");
  // The planner costs the per-user look into pending deltas (a handful of rows) as if each read
  // hundreds, ~100x the real cost, and then JIT-compiles the query: at 200k users that took longer
  // than running it (1.2 s with, 0.7 s without, on a quiet machine).
  await db.query('SET LOCAL jit = off');
  const args = [ask.from, ask.to, ask.now, ask.features, ask.retentionDay, ask.firstDays, ...params];
  const { rows } = await db.query<FeatureImpactRow>(sql, args);
  return rows.map((r) => {
    const [compared, comparedRetained] = [toCount(r.compared), toCount(r.compared_retained)];
    const [usedEver, usedEarly, usedEarlyRetained] = [toCount(r.used_ever), toCount(r.used_early), toCount(r.used_early_retained)];
    // As median() of domain/funnel over every user's days: the middle one, or the mean of two.
    const [low, high] = [r.median_low_ms, r.median_high_ms];
    const median = low === null || high === null ? undefined : usedEver % 2 ? low / DAY_MS : (low / DAY_MS + high / DAY_MS) / 2;
    return {
      feature: r.feature,
      users: toCount(r.users),
      usedEver,
      medianDaysToFirstUse: median,
      compared,
      usedEarly,
      usedEarlyRetained,
      notUsedEarly: compared - usedEarly,
      notUsedEarlyRetained: comparedRetained - usedEarlyRetained,
    };
  });
}

/**
 * Power users (docs/metrics.md "Power users and features"): the top `share` percent of the live
 * users active in (T-30d, T], ranked by active days, then events in the window, then user id, each
 * with their tenant (the least tenant id of their rows in the window, as the rollups choose).
 *
 * Days strictly inside the window count whole. The two edge days count when the user had an event
 * inside the window (a row with last_at > T-30d and first_at <= T); their events are the rollup
 * rows' when every row of that user-day lies inside the window, and are counted from the raw events
 * (one index range) only for the few user-days that straddle T-30d or T. Pending deltas add their
 * events and the days the base rollup lacks.
 *
 * Grouping the ~600k user-day rows of 30 days per user cost most of a second at 200k users, so
 * the active days come from the activity bit strings (one row per user) and only the users who can
 * reach the top share (as many active days as the last one in it, or more: ~10% of them) have their
 * rows summed. That needs no user's tenant when nothing is filtered and every tenant id of the
 * rollups names a tenant (the usual case): every active live user is then ranked. Otherwise the
 * users of the member tenants are summed from their rows (SQL_POWER_USERS_BY_ROWS), as before.
 */

/**
 * Whether some tenant id of the user-day rollups (base and pending) names no tenant: then a user's
 * tenant decides whether they are ranked at all. Distinct ids by a loose scan of the (tenant_id,
 * day) index, one probe per tenant, rather than reading the window's rows.
 */
export const SQL_ROLLUP_TENANTS_UNKNOWN = `
WITH RECURSIVE ids AS (
  (SELECT d.tenant_id FROM saasmon_user_days_base d ORDER BY d.tenant_id LIMIT 1)
  UNION ALL
  SELECT (SELECT d.tenant_id FROM saasmon_user_days_base d WHERE d.tenant_id > ids.tenant_id ORDER BY d.tenant_id LIMIT 1)
  FROM ids WHERE ids.tenant_id IS NOT NULL
)
SELECT EXISTS (
  SELECT 1 FROM (SELECT tenant_id FROM ids UNION SELECT tenant_id FROM saasmon_event_deltas) x
  WHERE x.tenant_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tenants t WHERE t.id = x.tenant_id)
) AS unknown`;

/** $1.. filters: the tenants a user's tenant must be one of, and how many tenants there are. */
export function memberTenantsSql(filters: TenantFilters | undefined) {
  const f = tenantFilterSql('t', filters, 0);
  const sql = `SELECT coalesce(array_agg(t.id) FILTER (WHERE ${f.sql}), '{}') AS ids, count(*) AS tenants FROM tenants t`;
  return { sql, params: f.params };
}

// $1 T, $2 T-30d, $3 its day, $4 the day of T (in every statement below).
/** The edge user-days; `users`, when given, an SQL array of the only users wanted. */
function edgeDays(users?: string): string {
  const only = users ? ` AND d.user_id = ANY(${users})` : '';
  return `
edge_rows AS (
  SELECT d.user_id, d.day, d.tenant_id, d.first_at, d.last_at, d.events
  FROM saasmon_user_days_base d
  WHERE d.day IN ($3::date, $4::date) AND d.last_at > $2::timestamptz AND d.first_at <= $1::timestamptz${only}
  UNION ALL
  SELECT d.user_id, d.day, d.tenant_id, d.first_at, d.last_at, d.events
  FROM saasmon_event_deltas d
  WHERE d.user_id IS NOT NULL AND d.day IN ($3::date, $4::date) AND d.last_at > $2::timestamptz AND d.first_at <= $1::timestamptz${only}
),
edge_days AS (
  SELECT e.user_id, e.day, min(e.tenant_id) AS tenant_id, sum(e.events::float8) AS events,
         bool_or(e.first_at <= $2::timestamptz OR e.last_at > $1::timestamptz) AS straddles
  FROM edge_rows e
  GROUP BY e.user_id, e.day
)`;
}

/** Events of an edge user-day (a row of edge_days `e`) inside the window. */
const EDGE_EVENTS = `CASE WHEN NOT e.straddles THEN e.events ELSE (
  SELECT count(*) FROM events r
  WHERE r.user_id = e.user_id AND r.occurred_at > $2::timestamptz AND r.occurred_at <= $1::timestamptz
    AND r.occurred_at >= e.day::timestamp AT TIME ZONE 'UTC' AND r.occurred_at < (e.day + 1)::timestamp AT TIME ZONE 'UTC')
END`;

const TOP_SHARE = `
top AS (
  SELECT r.user_id, r.tenant_id, r.active_days, r.events
  FROM ranked r
  ORDER BY r.active_days DESC, r.events DESC, r.user_id COLLATE "C"
  LIMIT (SELECT n FROM cut)
)
SELECT p.user_id, p.tenant_id, t.name AS tenant_name, t.plan, p.active_days, p.events,
       row_number() OVER (ORDER BY p.active_days DESC, p.events DESC, p.user_id COLLATE "C") AS rank,
       (SELECT active_users FROM cut) AS active_users
FROM top p
JOIN tenants t ON t.id = p.tenant_id
ORDER BY rank`;

/**
 * $1..$4 as above, $5 share, when every tenant of the window is a member: each active live user's
 * active days, for the users who can reach the top share (as many active days as its last one, or
 * more), and the number of active live users.
 */
export const SQL_POWER_USER_CANDIDATES = `
WITH inner_bits AS (
  SELECT a.user_id, bit_count(substring(a.days FROM ($3::date + 1) - a.first_day + 1 FOR $4::date - $3::date - 1)) AS days
  FROM saasmon_user_activity a
  WHERE a.name = '' AND a.first_day < $4::date AND a.first_day + length(a.days) > $3::date + 1
),
inner_delta_days AS (
  SELECT d.user_id, count(DISTINCT d.day) AS days
  FROM saasmon_event_deltas d
  WHERE d.user_id IS NOT NULL AND d.day > $3::date AND d.day < $4::date
    AND NOT EXISTS (SELECT 1 FROM saasmon_user_days_base x WHERE x.user_id = d.user_id AND x.day = d.day)
  GROUP BY d.user_id
),${edgeDays()},
edge_users AS (
  SELECT e.user_id, count(*) AS days FROM edge_days e GROUP BY e.user_id
),
active AS MATERIALIZED (
  SELECT coalesce(i.user_id, n.user_id, e.user_id) AS user_id,
         coalesce(i.days, 0) + coalesce(n.days, 0) + coalesce(e.days, 0) AS active_days
  FROM (SELECT user_id, days FROM inner_bits WHERE days > 0) i
  FULL JOIN inner_delta_days n ON n.user_id = i.user_id
  FULL JOIN edge_users e ON e.user_id = coalesce(i.user_id, n.user_id)
  WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = coalesce(i.user_id, n.user_id, e.user_id) AND u.deleted_at IS NOT NULL)
),
cut AS (
  SELECT ceil(count(*) * $5::numeric / 100)::bigint AS n, count(*) AS active_users FROM active
),
threshold AS (
  SELECT a.active_days FROM active a ORDER BY a.active_days DESC OFFSET (SELECT greatest(n - 1, 0) FROM cut) LIMIT 1
)
SELECT coalesce(array_agg(a.user_id), '{}') AS users, coalesce(array_agg(a.active_days), '{}') AS active_days,
       (SELECT n FROM cut) AS n, (SELECT active_users FROM cut) AS active_users
FROM active a
WHERE a.active_days >= (SELECT active_days FROM threshold)`;

/**
 * $1..$4 as above, $5 the candidates' ids, $6 their active days, $7 how many make the top share,
 * $8 the active live users: the candidates' events and tenants from their rows, ranked.
 */
export const SQL_POWER_USERS_OF_CANDIDATES = `
WITH candidates AS (
  SELECT c.user_id, c.active_days FROM unnest($5::text[], $6::int[]) AS c(user_id, active_days)
),
-- The window's range of the (day, first_at) index, kept by a hash of the candidates' ids.
candidate_inner AS (
  SELECT d.user_id, min(d.tenant_id) AS tenant_id, sum(d.events::float8) AS events
  FROM saasmon_user_days_base d
  WHERE d.day > $3::date AND d.day < $4::date AND d.user_id = ANY($5::text[])
  GROUP BY d.user_id
),
candidate_deltas AS (
  SELECT d.user_id, min(d.tenant_id) AS tenant_id, sum(d.events::float8) AS events
  FROM saasmon_event_deltas d
  JOIN candidates c ON c.user_id = d.user_id
  WHERE d.day > $3::date AND d.day < $4::date
  GROUP BY d.user_id
),${edgeDays('$5::text[]')},
candidate_edges AS (
  SELECT e.user_id, min(e.tenant_id) AS tenant_id, sum(${EDGE_EVENTS}) AS events
  FROM edge_days e
  JOIN candidates c ON c.user_id = e.user_id
  GROUP BY e.user_id
),
ranked AS (
  SELECT c.user_id, least(b.tenant_id, n.tenant_id, e.tenant_id) AS tenant_id, c.active_days,
         (coalesce(b.events, 0) + coalesce(n.events, 0) + coalesce(e.events, 0))::bigint AS events
  FROM candidates c
  LEFT JOIN candidate_inner b ON b.user_id = c.user_id
  LEFT JOIN candidate_deltas n ON n.user_id = c.user_id
  LEFT JOIN candidate_edges e ON e.user_id = c.user_id
),
cut AS (
  SELECT $7::bigint AS n, $8::bigint AS active_users
),${TOP_SHARE}`;

/**
 * $1..$5 as above, $6 the member tenants, $7 whether to sum only the users with a row of a member
 * tenant in the window (a few tenants: found by the (tenant_id, day) index) rather than everyone:
 * each user summed from their rows, ranked when their tenant is a member.
 */
export const SQL_POWER_USERS_BY_ROWS = `
WITH members AS (
  SELECT d.user_id FROM saasmon_user_days_base d
  WHERE d.tenant_id = ANY($6::text[]) AND d.day >= $3::date AND d.day <= $4::date
  UNION
  SELECT d.user_id FROM saasmon_event_deltas d
  WHERE d.user_id IS NOT NULL AND d.tenant_id = ANY($6::text[]) AND d.day >= $3::date AND d.day <= $4::date
),
inner_base AS (
  SELECT d.user_id, min(d.tenant_id) AS tenant_id, count(*) AS days, sum(d.events::float8) AS events
  FROM saasmon_user_days_base d
  WHERE d.day > $3::date AND d.day < $4::date AND (NOT $7::boolean OR d.user_id IN (SELECT m.user_id FROM members m))
  GROUP BY d.user_id
),
inner_deltas AS (
  SELECT d.user_id, min(d.tenant_id) AS tenant_id, sum(d.events::float8) AS events,
         count(DISTINCT d.day) FILTER (WHERE NOT EXISTS (
           SELECT 1 FROM saasmon_user_days_base x WHERE x.user_id = d.user_id AND x.day = d.day)) AS days
  FROM saasmon_event_deltas d
  WHERE d.user_id IS NOT NULL AND d.day > $3::date AND d.day < $4::date
    AND (NOT $7::boolean OR d.user_id IN (SELECT m.user_id FROM members m))
  GROUP BY d.user_id
),${edgeDays()},
edges AS (
  SELECT e.user_id, min(e.tenant_id) AS tenant_id, count(*) AS days, sum(${EDGE_EVENTS}) AS events
  FROM edge_days e
  WHERE NOT $7::boolean OR e.user_id IN (SELECT m.user_id FROM members m)
  GROUP BY e.user_id
),
per_user AS (
  SELECT coalesce(b.user_id, n.user_id, e.user_id) AS user_id,
         least(b.tenant_id, n.tenant_id, e.tenant_id) AS tenant_id,
         coalesce(b.days, 0) + coalesce(n.days, 0) + coalesce(e.days, 0) AS active_days,
         (coalesce(b.events, 0) + coalesce(n.events, 0) + coalesce(e.events, 0))::bigint AS events
  FROM inner_base b
  FULL JOIN inner_deltas n ON n.user_id = b.user_id
  FULL JOIN edges e ON e.user_id = coalesce(b.user_id, n.user_id)
),
ranked AS MATERIALIZED (
  SELECT p.user_id, p.tenant_id, p.active_days, p.events
  FROM per_user p
  WHERE p.active_days > 0 AND p.tenant_id = ANY($6::text[])
    AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = p.user_id AND u.deleted_at IS NOT NULL)
),
cut AS (
  SELECT ceil(count(*) * $5::numeric / 100)::bigint AS n, count(*) AS active_users FROM ranked
),${TOP_SHARE}`;

interface PowerUserRow {
  user_id: string;
  tenant_id: string;
  tenant_name: string;
  plan: string;
  active_days: string;
  events: string;
  rank: string;
  active_users: string;
}

export interface PowerUser {
  rank: number;
  user: string;
  tenant: string;
  tenantName: string;
  plan: string;
  activeDays: number;
  events: number;
}

/** The power users at `now`, best first, and how many live users were active (the base of the share). */
export async function readPowerUsers(
  db: Queryable,
  now: Date,
  share: number,
  filters: TenantFilters | undefined,
): Promise<{ users: PowerUser[]; activeUsers: number }> {
  const lo = new Date(now.getTime() - 30 * DAY_MS);
  const [loDay, hiDay] = [lo, now].map((d) => d.toISOString().slice(0, 10));
  const filtered = Object.values(filters ?? {}).some((list) => list && list.length > 0);
  const everyTenantKnown = !filtered && !(await db.query<{ unknown: boolean }>(SQL_ROLLUP_TENANTS_UNKNOWN)).rows[0]?.unknown;
  const params = [now, lo, loDay, hiDay, share];
  let rows: PowerUserRow[];
  if (everyTenantKnown) {
    const { rows: c } = await db.query<{ users: string[]; active_days: number[]; n: string | null; active_users: string }>(
      SQL_POWER_USER_CANDIDATES,
      params,
    );
    const found = c[0];
    if (!found || found.users.length === 0) return { users: [], activeUsers: 0 };
    const ranked = [now, lo, loDay, hiDay, found.users, found.active_days, found.n, found.active_users];
    // One process: Postgres' parallel plan for this scan (each worker hashing the ids, then a merge
    // of their sorted groups) took twice as long on two busy cores.
    await db.query('SET LOCAL max_parallel_workers_per_gather = 0');
    rows = (await db.query<PowerUserRow>(SQL_POWER_USERS_OF_CANDIDATES, ranked)).rows;
  } else {
    const members = memberTenantsSql(filters);
    const { rows: m } = await db.query<{ ids: string[]; tenants: string }>(members.sql, members.params);
    const ids = m[0]?.ids ?? [];
    const few = ids.length * 10 <= toCount(m[0]?.tenants);
    // Everyone's rows grouped per user: ~70k groups at 200k users, which spill at the default 4MB.
    if (!few) await db.query("SET LOCAL work_mem = '64MB'");
    rows = (await db.query<PowerUserRow>(SQL_POWER_USERS_BY_ROWS, [...params, ids, few])).rows;
  }
  return {
    users: rows.map((r) => ({
      rank: toCount(r.rank),
      user: r.user_id,
      tenant: r.tenant_id,
      tenantName: r.tenant_name,
      plan: r.plan,
      activeDays: toCount(r.active_days),
      events: toCount(r.events),
    })),
    activeUsers: rows.length ? toCount(rows[0]?.active_users) : 0,
  };
}
