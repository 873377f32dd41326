import { toCount } from '../db/parse';
import { Queryable } from '../db/pool';
import { sqlDaysBefore } from './window';

// The data quality family's reads, for the data_quality collector. Every check reads rollups,
// indexes or the (small) tenants/users tables, never a full scan of events.

/** At most this many users get their raw events of the last 24 h grouped per minute in one run. */
export const MAX_ANOMALY_CANDIDATES = 1000;

// Distinct tenant ids of events by a loose index scan of the tenant rollup's primary key (one
// probe per tenant, not one row per tenant x name x day), then the events of the unknown ones.
export const SQL_EVENTS_UNKNOWN_TENANT = `
WITH RECURSIVE ids AS (
  (SELECT tenant_id FROM saasmon_tenant_event_days_base ORDER BY tenant_id LIMIT 1)
  UNION ALL
  SELECT (SELECT r.tenant_id FROM saasmon_tenant_event_days_base r
          WHERE r.tenant_id > ids.tenant_id ORDER BY r.tenant_id LIMIT 1)
  FROM ids WHERE ids.tenant_id IS NOT NULL
),
-- Tenants of deltas not yet compacted into the base table (a small table).
all_ids AS (
  SELECT tenant_id FROM ids WHERE tenant_id IS NOT NULL
  UNION
  SELECT DISTINCT tenant_id FROM saasmon_event_deltas
),
unknown AS (
  SELECT a.tenant_id FROM all_ids a
  WHERE NOT EXISTS (SELECT 1 FROM tenants t WHERE t.id = a.tenant_id)
)
SELECT count(*) AS tenants,
       (SELECT coalesce(sum(r.events), 0) FROM saasmon_tenant_event_days r
        WHERE r.tenant_id IN (SELECT tenant_id FROM unknown)) AS events
FROM unknown`;

// One pass over live users: unknown tenant, and a missing created_at (the contract says NOT NULL,
// but a view over the product's own tables may not hold to it). Blank tenant names: NULL, '' or
// only white space.
export const SQL_USERS_AND_REQUIRED_FIELDS = `
SELECT count(*) FILTER (WHERE t.id IS NULL) AS users_unknown_tenant,
       count(*) FILTER (WHERE u.created_at IS NULL) AS users_without_created_at,
       (SELECT count(*) FROM tenants WHERE coalesce(name, '') !~ '[^[:space:]]') AS tenants_blank_name
FROM users u
LEFT JOIN tenants t ON t.id = u.tenant_id
WHERE u.deleted_at IS NULL`;

// Live users sharing an email, compared case-insensitively and ignoring surrounding spaces;
// users without an email (or a blank one, e.g. after a GDPR erase) do not collide.
export const SQL_DUPLICATE_EMAILS = `
SELECT count(*) AS emails, coalesce(sum(n), 0) AS users
FROM (
  SELECT lower(btrim(email)) AS email, count(*) AS n
  FROM users
  WHERE deleted_at IS NULL AND email IS NOT NULL AND btrim(email) <> ''
  GROUP BY 1
  HAVING count(*) > 1
) d`;

// Backward scan of events_occurred_idx on each partition.
const SQL_NEWEST_EVENT = `
SELECT max(occurred_at) AS newest FROM events WHERE occurred_at <= $1::timestamptz`;

// Users with more than $2 events in one UTC calendar minute within (T-24h, T]. A minute lies in
// one UTC day, so only users with more than $2 events on a day touching the window can qualify:
// the user-days rollup picks them (normally none), and only their raw events are read, through
// events_user_time_idx. Deleted users are left out; ids unknown to users still count (bots).
export const SQL_EVENT_RATE_ANOMALY = `
WITH candidate_days AS (
  -- A (user, day) may span several rollup rows until compacted: sum them before comparing.
  SELECT d.user_id, sum(d.events) AS events
  FROM saasmon_user_days d
  WHERE d.day >= ((${sqlDaysBefore('$1::timestamptz', 1)}) AT TIME ZONE 'UTC')::date
    AND d.day <= ($1::timestamptz AT TIME ZONE 'UTC')::date
    AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = d.user_id AND u.deleted_at IS NOT NULL)
  GROUP BY d.user_id, d.day
  HAVING sum(d.events) > $2
     AND max(d.last_at) > ${sqlDaysBefore('$1::timestamptz', 1)}
     AND min(d.first_at) <= $1::timestamptz
),
candidates AS (
  SELECT user_id FROM candidate_days
  GROUP BY user_id
  ORDER BY max(events) DESC, user_id
  LIMIT $3
),
minutes AS (
  SELECT e.user_id, date_trunc('minute', e.occurred_at AT TIME ZONE 'UTC') AS minute, count(*) AS n
  FROM candidates c
  JOIN events e ON e.user_id = c.user_id
  WHERE e.occurred_at > ${sqlDaysBefore('$1::timestamptz', 1)} AND e.occurred_at <= $1::timestamptz
  GROUP BY 1, 2
  HAVING count(*) > $2
)
SELECT count(DISTINCT user_id) AS users FROM minutes`;

interface UnknownTenantRow {
  tenants: string;
  events: string;
}
interface UsersRow {
  users_unknown_tenant: string;
  users_without_created_at: string;
  tenants_blank_name: string;
}
interface DuplicateEmailRow {
  emails: string;
  users: string;
}
interface NewestEventRow {
  newest: Date | null;
}
interface AnomalyRow {
  users: string;
}

export interface DataQualityFacts {
  eventsUnknownTenant: number;
  usersUnknownTenant: number;
  usersWithoutCreatedAt: number;
  tenantsBlankName: number;
  /** Live users sharing an email (case-insensitive) with another live user. */
  duplicateEmailUsers: number;
  newestEventAt: Date | null;
  /** Users over the events-per-minute threshold in the last 24 h. */
  anomalousUsers: number;
}

export async function readDataQualityFacts(db: Queryable, now: Date, anomalyEventsPerMinute: number): Promise<DataQualityFacts> {
  const unknownTenant = (await db.query<UnknownTenantRow>(SQL_EVENTS_UNKNOWN_TENANT)).rows[0];
  const users = (await db.query<UsersRow>(SQL_USERS_AND_REQUIRED_FIELDS)).rows[0];
  const duplicates = (await db.query<DuplicateEmailRow>(SQL_DUPLICATE_EMAILS)).rows[0];
  const newest = (await readNewestEvent(db, now)) ?? null;
  const anomaly = (await db.query<AnomalyRow>(SQL_EVENT_RATE_ANOMALY, [now, anomalyEventsPerMinute, MAX_ANOMALY_CANDIDATES])).rows[0];
  return {
    eventsUnknownTenant: toCount(unknownTenant?.events),
    usersUnknownTenant: toCount(users?.users_unknown_tenant),
    usersWithoutCreatedAt: toCount(users?.users_without_created_at),
    tenantsBlankName: toCount(users?.tenants_blank_name),
    duplicateEmailUsers: toCount(duplicates?.users),
    newestEventAt: newest,
    anomalousUsers: toCount(anomaly?.users),
  };
}

/** The newest event at or before `now`; undefined when there is none. */
export async function readNewestEvent(db: Queryable, now: Date): Promise<Date | undefined> {
  return (await db.query<NewestEventRow>(SQL_NEWEST_EVENT, [now])).rows[0]?.newest ?? undefined;
}
