import { TenantFilters } from '@saasmon/contract';
import { CopyOut, setLocal, withCopyOut } from '../db/copy-binary';
import { PoolClient } from 'pg';
import { tenantFilterSettings, tenantFilterSettingsSql } from './tenant-filter';

// Per-user activity from the activity bit strings (saasmon_user_activity) and the deltas not
// compacted yet, for the active_users, retention and retention_days queries. The rows come as
// binary COPY; the caller's `decode` reads them (CPU-bound, next to its query: in the compute
// worker) while the read owns the COPY and gives its memory back after.

/**
 * Per live user active in the days [lo, hi] (days since 1970-01-01, written in as numbers by our
 * code; COPY takes no parameters): the day their activity bits start at, the bits of
 * saasmon_user_activity cut to the window (bit i = active on start_day + i), and the active days
 * of deltas not compacted yet. One short row per active user instead of one row per user-day:
 * at 200k users the user-day form took seconds.
 */
export function activeUsersSql(lo: number, hi: number): string {
  for (const d of [lo, hi]) if (!Number.isSafeInteger(d)) throw new Error(`not a day number: ${d}`);
  const [loDate, hiDate] = [`(DATE '1970-01-01' + ${lo})`, `(DATE '1970-01-01' + ${hi})`];
  return `
WITH activity AS (
  SELECT user_id, greatest(first_day, ${loDate}) AS start_day,
         substring(days FROM greatest(first_day, ${loDate}) - first_day + 1 FOR ${hiDate} - greatest(first_day, ${loDate}) + 1) AS days
  FROM saasmon_user_activity
  WHERE name = '' AND first_day <= ${hiDate} AND first_day + length(days) > ${loDate}
),
pending AS (
  SELECT user_id, array_agg(DISTINCT day - DATE '1970-01-01')::int4[] AS days
  FROM saasmon_event_deltas
  WHERE user_id IS NOT NULL AND day >= ${loDate} AND day <= ${hiDate}
  GROUP BY user_id
)
SELECT (a.start_day - DATE '1970-01-01')::int4 AS start_day, a.days, p.days AS extra_days
FROM activity a
FULL JOIN pending p ON p.user_id = a.user_id
JOIN users u ON u.id = coalesce(a.user_id, p.user_id) AND u.deleted_at IS NULL`;
}

/** The rows of activeUsersSql(lo, hi), handed to `decode`. */
export function readActiveUserActivity<T>(db: PoolClient, lo: number, hi: number, decode: (copy: CopyOut) => T): Promise<T> {
  return withCopyOut(db, activeUsersSql(lo, hi), decode);
}

/**
 * One row per cohort user: their cohort day, their activity bit string (saasmon_user_activity:
 * bit i = active on first_day + i), the active days not in it yet (pending deltas, before the
 * horizon instant), all as days since 1970-01-01, and whether the horizon's own day must be left
 * out: a day counts when activity began before the horizon instant (exact at day granularity), so
 * a user whose activity that day all began at or after it is `late` (looked up by the day rollups'
 * (day, first_at) index: few users, usually none). A user with no activity still appears, so cohort
 * sizes come from the same rows. Never raw events. Run as a binary COPY (tens of thousands of rows
 * decoded in place). COPY takes no parameters: the instants are written in as integers of
 * milliseconds (numbers, never text from the request), so that the planner sees constants and
 * estimates the cohort well; the return event and filters travel in settings (setLocal).
 */
export interface RetentionBounds {
  fromMs: number;
  toMs: number;
  horizonMs: number;
  interval: 'day' | 'week' | 'month';
}

const TRUNC_UNIT: Record<RetentionBounds['interval'], string> = { day: "'day'", week: "'week'", month: "'month'" };

export function retentionSql(b: RetentionBounds, filters: TenantFilters | undefined): string {
  const instant = (ms: number) => {
    if (!Number.isSafeInteger(ms)) throw new Error(`not an instant: ${ms}`);
    return `to_timestamp(${ms} / 1000.0)`;
  };
  const [from, to, horizon, interval] = [instant(b.fromMs), instant(b.toMs), instant(b.horizonMs), TRUNC_UNIT[b.interval]];
  // A scalar subquery is evaluated once (an InitPlan); current_setting() alone would run per row.
  const returnEvent = "(SELECT nullif(current_setting('saasmon.retention_event'), ''))";
  return `
WITH cohort AS (
  SELECT u.id AS user_id, date_trunc(${interval}, u.created_at AT TIME ZONE 'UTC')::date AS cohort_day
  FROM users u
  JOIN tenants t ON t.id = u.tenant_id
  WHERE u.deleted_at IS NULL
    AND u.created_at >= date_trunc(${interval}, ${from} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
    AND u.created_at < ${to}
    AND ${tenantFilterSettingsSql('t', filters)}
),
horizon AS (
  SELECT (${horizon} AT TIME ZONE 'UTC')::date AS day, date_trunc(${interval}, ${from} AT TIME ZONE 'UTC')::date AS first_cohort_day,
         ${horizon} AS instant, ${returnEvent} AS return_event
),
pending AS (
  SELECT d.user_id, array_agg(DISTINCT d.day - DATE '1970-01-01') AS days
  FROM saasmon_event_deltas d, horizon h
  WHERE d.user_id IS NOT NULL AND (h.return_event IS NULL OR d.name = h.return_event)
    AND d.day >= h.first_cohort_day AND d.day <= h.day AND d.first_at < h.instant
  GROUP BY d.user_id
),
late AS (
  SELECT DISTINCT d.user_id FROM saasmon_user_days d, horizon h
  WHERE h.return_event IS NULL AND d.day = h.day AND d.first_at >= h.instant
    AND NOT EXISTS (SELECT 1 FROM saasmon_user_days e WHERE e.user_id = d.user_id AND e.day = h.day AND e.first_at < h.instant)
  UNION
  SELECT DISTINCT d.user_id FROM saasmon_user_event_days d, horizon h
  WHERE d.name = h.return_event AND d.day = h.day AND d.first_at >= h.instant
    AND NOT EXISTS (SELECT 1 FROM saasmon_user_event_days e
                    WHERE e.user_id = d.user_id AND e.name = h.return_event AND e.day = h.day AND e.first_at < h.instant)
)
SELECT (c.cohort_day - DATE '1970-01-01')::int4 AS cohort_day,
       (a.first_day - DATE '1970-01-01')::int4 AS first_day,
       a.days,
       p.days::int4[] AS extra_days,
       l.user_id IS NOT NULL AS late
FROM cohort c
LEFT JOIN saasmon_user_activity a ON a.user_id = c.user_id AND a.name = coalesce(${returnEvent}, '')
LEFT JOIN pending p ON p.user_id = c.user_id
LEFT JOIN late l ON l.user_id = c.user_id`;
}

/** The rows of retentionSql, handed to `decode`; the return event and filters travel in settings. */
export async function readRetentionActivity<T>(
  db: PoolClient,
  bounds: RetentionBounds,
  what: { returnEvent: string | undefined; filters: TenantFilters | undefined },
  decode: (copy: CopyOut) => T,
): Promise<T> {
  await setLocal(db, { retention_event: what.returnEvent ?? '', ...tenantFilterSettings(what.filters) });
  return withCopyOut(db, retentionSql(bounds, what.filters), decode);
}
