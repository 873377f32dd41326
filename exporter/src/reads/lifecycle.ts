import { TenantFilters } from '@saasmon/contract';
import { Queryable } from '../db/pool';
import { toCount } from '../db/parse';
import { TenantLifecycle, TRIAL_DECISION_DAYS } from '../domain/lifecycle';
import { PAYING_ROW } from './revenue';
import { tenantFilterSql } from './tenant-filter';
import { sqlDaysAfter, sqlDaysBefore } from './window';

// The lifecycle family's reads (docs/metrics.md "Lifecycle of accounts"), for the lifecycle_funnel
// query and saasmon_trial_conversion_ratio (the math is domain/lifecycle.ts). The trial outcome SQL
// is shared by both (trials of a signup cohort; trials that ended in [T-37d, T-7d]), so both
// decide "converted" the same way.

/**
 * CTEs `first_rows` and `trials` (tenant_id, trial_end, converted) for the tenants of the CTE
 * named `scope` (column id), as of the instant `now` (an SQL expression). A trial is the tenant's
 * first subscription row (earliest valid_from, ties by id) when it is 'trialing'; it is decided
 * when it ended at least 7 days before now, and converted when the tenant pays at some instant of
 * [trial_end, trial_end + 7 days].
 */
export function trialOutcomesCte(scope: string, now: string): string {
  return `
first_rows AS (
  SELECT DISTINCT ON (s.tenant_id) s.tenant_id, s.status, s.valid_to
  FROM subscriptions s
  JOIN ${scope} sc ON sc.id = s.tenant_id
  WHERE s.valid_from <= ${now}
  ORDER BY s.tenant_id, s.valid_from, s.id
),
trials AS (
  SELECT f.tenant_id, f.valid_to AS trial_end,
         EXISTS (
           SELECT 1 FROM subscriptions s
           WHERE s.tenant_id = f.tenant_id AND ${PAYING_ROW}
             AND s.valid_from <= ${sqlDaysAfter('f.valid_to', TRIAL_DECISION_DAYS)}
             AND coalesce(s.valid_to, 'infinity') > f.valid_to
         ) AS converted
  FROM first_rows f
  WHERE f.status = 'trialing' AND f.valid_to IS NOT NULL
    AND f.valid_to <= ${sqlDaysBefore(now, TRIAL_DECISION_DAYS)}
)`;
}

/** Trials that ended in [$1 - 37d, $1 - 7d] (decided by $1): decided and converted counts. */
export const SQL_TRIAL_CONVERSION = `
WITH everyone AS (SELECT id FROM tenants),
${trialOutcomesCte('everyone', '$1::timestamptz')}
SELECT count(*) AS decided, count(*) FILTER (WHERE converted) AS converted
FROM trials
WHERE trial_end >= ${sqlDaysBefore('$1::timestamptz', TRIAL_DECISION_DAYS + 30)}`;

/** saasmon_trial_conversion_ratio: converted / decided trials of the window; undefined when none. */
export async function readTrialConversion(db: Queryable, now: Date): Promise<number | undefined> {
  const { rows } = await db.query<{ decided: string; converted: string }>(SQL_TRIAL_CONVERSION, [now]);
  const decided = toCount(rows[0]?.decided);
  return decided === 0 ? undefined : toCount(rows[0]?.converted) / decided;
}

/** $1 from, $2 to, $3 T, $4 N (days), $5 interval, $6.. filters: one row per cohort tenant. */
export function lifecycleTenantsSql(filters: TenantFilters | undefined) {
  const f = tenantFilterSql('t', filters, 5);
  const sql = `
WITH cohort AS (
  SELECT t.id, t.created_at,
         date_trunc($5::text, t.created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS cohort
  FROM tenants t
  WHERE t.created_at >= $1::timestamptz AND t.created_at < $2::timestamptz AND t.created_at <= $3::timestamptz
    AND ${f.sql}
),
activation AS (
  SELECT u.tenant_id, min(u.activated_at) AS activated_at
  FROM users u
  JOIN cohort c ON c.id = u.tenant_id
  WHERE u.deleted_at IS NULL AND u.activated_at <= $3::timestamptz
  GROUP BY u.tenant_id
),
paid AS (
  SELECT s.tenant_id, min(s.valid_from) AS first_paid_at
  FROM subscriptions s
  JOIN cohort c ON c.id = s.tenant_id
  WHERE ${PAYING_ROW} AND s.valid_from <= $3::timestamptz
  GROUP BY s.tenant_id
),
${trialOutcomesCte('cohort', '$3::timestamptz')}
SELECT c.cohort, c.created_at, a.activated_at, p.first_paid_at,
       CASE WHEN ${sqlDaysAfter('p.first_paid_at', '$4::int')} <= $3::timestamptz THEN EXISTS (
         SELECT 1 FROM subscriptions s
         WHERE s.tenant_id = c.id AND ${PAYING_ROW}
           AND s.valid_from <= ${sqlDaysAfter('p.first_paid_at', '$4::int')}
           AND coalesce(s.valid_to, 'infinity') > ${sqlDaysAfter('p.first_paid_at', '$4::int')}
       ) END AS retained,
       tr.converted AS trial_converted
FROM cohort c
LEFT JOIN activation a ON a.tenant_id = c.id
LEFT JOIN paid p ON p.tenant_id = c.id
LEFT JOIN trials tr ON tr.tenant_id = c.id`;
  return { sql, params: f.params };
}

interface LifecycleTenantRow {
  cohort: Date;
  created_at: Date;
  activated_at: Date | null;
  first_paid_at: Date | null;
  retained: boolean | null;
  trial_converted: boolean | null;
}

export interface LifecycleRange {
  from: string;
  to: string;
  retainedDays: number;
  interval: string;
  filters?: TenantFilters;
}

/** Every tenant of the signup cohorts of [from, to), as known at `now`. */
export async function readLifecycleTenants(db: Queryable, now: Date, r: LifecycleRange): Promise<TenantLifecycle[]> {
  const { sql, params } = lifecycleTenantsSql(r.filters);
  const { rows } = await db.query<LifecycleTenantRow>(sql, [r.from, r.to, now, r.retainedDays, r.interval, ...params]);
  return rows.map((row) => ({
    cohortMs: row.cohort.getTime(),
    createdMs: row.created_at.getTime(),
    activatedMs: row.activated_at?.getTime(),
    firstPaidMs: row.first_paid_at?.getTime(),
    retained: row.retained ?? undefined,
    trialConverted: row.trial_converted ?? undefined,
  }));
}
