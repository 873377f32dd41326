import { powerUsers as contract } from '@saasmon/contract';
import { toCount } from '../../db/parse';
import { tenantFilterSql, TenantFilters } from './common';
import { Frame, frameFromRows } from './frames';
import { defineQuery } from './registry';
import { sqlDaysBefore } from '../../reads/window';

// Power users (docs/metrics.md "Power users"): live users with an event in (T-30d, T], ranked by
// distinct active days in the window, then events, then user id; the top `share` percent of them
// (10%, rounded up), with their tenants. Active days come from the user-day rollups (a boundary
// day counts when it had an event inside the window: last_at > T-30d, first_at <= T); events of
// the two partial boundary days are counted from the raw events of those days only.
//
// Shape, for speed at scale (issue #18): the base rollup has one row per (user, day), so it is
// aggregated straight per user (its window bounds written inline, so the planner sees how many
// rows the range holds and hashes them); the not-yet-folded deltas, a handful of rows, add their
// events and only the days the base does not already count. Events sum as float8 (exact below
// 2^53, a by-value state) rather than bigint's numeric, which made the per-user hash spill.

/** $1 T, $2 share (percent), $3.. filters. */
export function powerUsersSql(filters: TenantFilters | undefined) {
  const f = tenantFilterSql('t', filters, 2);
  const lo = sqlDaysBefore('$1::timestamptz', 30);
  const sql = `
WITH b AS (
  SELECT ${lo} AS lo, $1::timestamptz AS hi, (${lo} AT TIME ZONE 'UTC')::date AS lo_day, ($1::timestamptz AT TIME ZONE 'UTC')::date AS hi_day
),
base AS (
  SELECT d.user_id, min(d.tenant_id) AS tenant_id, count(*) AS active_days,
         (sum(d.events::float8) FILTER (WHERE d.day > b.lo_day AND d.day < b.hi_day))::bigint AS inner_events
  FROM saasmon_user_days_base d, b
  WHERE d.day >= (${lo} AT TIME ZONE 'UTC')::date AND d.day <= ($1::timestamptz AT TIME ZONE 'UTC')::date
    AND d.last_at > ${lo} AND d.first_at <= $1::timestamptz
  GROUP BY d.user_id
),
delta_days AS (
  SELECT d.user_id, d.day, min(d.tenant_id) AS tenant_id, sum(d.events)::bigint AS events,
         EXISTS (SELECT 1 FROM saasmon_user_days_base x
                 WHERE x.user_id = d.user_id AND x.day = d.day AND x.last_at > b.lo AND x.first_at <= b.hi) AS in_base
  FROM saasmon_event_deltas d, b
  WHERE d.user_id IS NOT NULL AND d.day >= b.lo_day AND d.day <= b.hi_day AND d.last_at > b.lo AND d.first_at <= b.hi
  GROUP BY d.user_id, d.day, b.lo, b.hi
),
deltas AS (
  SELECT d.user_id, min(d.tenant_id) AS tenant_id, count(*) FILTER (WHERE NOT d.in_base) AS active_days,
         (sum(d.events) FILTER (WHERE d.day > b.lo_day AND d.day < b.hi_day))::bigint AS inner_events
  FROM delta_days d, b
  GROUP BY d.user_id
),
edges AS (
  SELECT e.user_id, count(*) AS events
  FROM events e, b
  WHERE e.user_id IS NOT NULL
    AND ((e.occurred_at > b.lo AND e.occurred_at < (b.lo_day + 1)::timestamp AT TIME ZONE 'UTC')
      OR (e.occurred_at >= b.hi_day::timestamp AT TIME ZONE 'UTC' AND e.occurred_at <= b.hi))
  GROUP BY e.user_id
),
per_user AS (
  SELECT coalesce(s.user_id, n.user_id) AS user_id, least(s.tenant_id, n.tenant_id) AS tenant_id,
         coalesce(s.active_days, 0) + coalesce(n.active_days, 0) AS active_days,
         coalesce(s.inner_events, 0) + coalesce(n.inner_events, 0) AS inner_events
  FROM base s FULL JOIN deltas n ON n.user_id = s.user_id
),
-- Ranked on narrow rows (the tenant's name and plan are joined to the top share only).
ranked AS (
  SELECT p.user_id, p.tenant_id, p.active_days,
         p.inner_events + coalesce(x.events, 0) AS events,
         row_number() OVER (ORDER BY p.active_days DESC, p.inner_events + coalesce(x.events, 0) DESC, p.user_id COLLATE "C") AS rank,
         count(*) OVER () AS active_users
  FROM per_user p
  JOIN tenants t ON t.id = p.tenant_id
  LEFT JOIN edges x ON x.user_id = p.user_id
  WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = p.user_id AND u.deleted_at IS NOT NULL)
    AND ${f.sql}
)
SELECT r.user_id, r.tenant_id, t.name AS tenant_name, t.plan, r.active_days, r.events, r.rank, r.active_users
FROM ranked r
JOIN tenants t ON t.id = r.tenant_id
WHERE r.rank <= ceil(r.active_users * $2::numeric / 100)
ORDER BY r.rank`;
  return { sql, params: f.params };
}

interface Row {
  user_id: string;
  tenant_id: string;
  tenant_name: string;
  plan: string;
  active_days: string;
  events: string;
  rank: string;
  active_users: string;
}

export const powerUsersQuery = defineQuery({
  ...contract,
  async run(q, { db, now }) {
    const { sql, params } = powerUsersSql(q.filters);
    const { rows } = await db.query<Row>(sql, [now, q.share, ...params]);
    const users = frameFromRows('power_users', rows, [
      { name: 'rank', type: 'number', value: (r) => toCount(r.rank) },
      { name: 'user', type: 'string', value: (r) => r.user_id },
      { name: 'tenant', type: 'string', value: (r) => r.tenant_id },
      { name: 'tenant_name', type: 'string', value: (r) => r.tenant_name },
      { name: 'plan', type: 'string', value: (r) => r.plan },
      { name: 'active_days', type: 'number', value: (r) => toCount(r.active_days) },
      { name: 'events', type: 'number', value: (r) => toCount(r.events) },
    ]);
    users.meta = { custom: { activeUsers: rows.length ? toCount(rows[0]?.active_users) : 0, share: q.share } };
    return { frames: [users, byTenant(rows)] };
  },
});

/** Power users per tenant, most first (ties by tenant id). */
function byTenant(rows: readonly Row[]): Frame {
  const tenants = new Map<string, { tenant: string; name: string; plan: string; users: number }>();
  for (const r of rows) {
    const t = tenants.get(r.tenant_id) ?? { tenant: r.tenant_id, name: r.tenant_name, plan: r.plan, users: 0 };
    t.users++;
    tenants.set(r.tenant_id, t);
  }
  const list = [...tenants.values()].sort((a, b) => b.users - a.users || (a.tenant < b.tenant ? -1 : a.tenant > b.tenant ? 1 : 0));
  return frameFromRows('power_users_by_tenant', list, [
    { name: 'tenant', type: 'string', value: (t) => t.tenant },
    { name: 'name', type: 'string', value: (t) => t.name },
    { name: 'plan', type: 'string', value: (t) => t.plan },
    { name: 'power_users', type: 'number', value: (t) => t.users },
  ]);
}
