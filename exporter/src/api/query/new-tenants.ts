import { newTenants as contract } from '@saasmon/contract';
import { toCount } from '../../db/parse';
import { PAYING_ROW } from '../../reads/revenue';
import { tenantFilterSql, TenantFilters } from './common';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';

// Tenants created in (now - days, now] and how far each got in onboarding (docs/metrics.md
// "Drill-downs"): users invited, users activated and when the first one was, distinct features
// (event names) used, the first paying instant, and the furthest stage reached:
// paid > activated > trialing > signed_up. Newest first.

/** $1 now, $2 days, $3 limit, $4.. filters. Everything is as known at $1. */
export function newTenantsSql(filters: TenantFilters | undefined) {
  const f = tenantFilterSql('t', filters, 3);
  const sql = `
WITH recent AS (
  SELECT t.id, t.name, t.plan, t.segment, t.acquisition_channel, t.created_at
  FROM tenants t
  WHERE t.created_at > $1::timestamptz - make_interval(days => $2::int) AND t.created_at <= $1::timestamptz
    AND ${f.sql}
  ORDER BY t.created_at DESC, t.id
  LIMIT $3
),
people AS (
  SELECT u.tenant_id, count(*) AS users,
         count(*) FILTER (WHERE u.activated_at <= $1::timestamptz) AS activated_users,
         min(u.activated_at) FILTER (WHERE u.activated_at <= $1::timestamptz) AS activated_at
  FROM users u
  JOIN recent r ON r.id = u.tenant_id
  WHERE u.deleted_at IS NULL AND u.created_at <= $1::timestamptz
  GROUP BY u.tenant_id
),
features AS (
  -- Per recent tenant, its own rows of the tenant-day rollup (LATERAL: a primary-key range each;
  -- joined, the planner hashes the whole rollup, every tenant's history).
  SELECT r.id AS tenant_id, x.features_used, x.last_activity
  FROM recent r
  CROSS JOIN LATERAL (
    SELECT count(DISTINCT d.name) AS features_used, max(d.last_at) AS last_activity
    FROM saasmon_tenant_event_days d
    WHERE d.tenant_id = r.id AND d.day >= (r.created_at AT TIME ZONE 'UTC')::date AND d.first_at <= $1::timestamptz
  ) x
),
billing AS (
  SELECT s.tenant_id,
         min(s.valid_from) FILTER (WHERE ${PAYING_ROW}) AS first_paid_at,
         bool_or(s.status = 'trialing') AS trialed
  FROM subscriptions s
  JOIN recent r ON r.id = s.tenant_id
  WHERE s.valid_from <= $1::timestamptz
  GROUP BY s.tenant_id
)
SELECT r.id, r.name, r.plan, r.segment, r.acquisition_channel AS channel, r.created_at,
       coalesce(p.users, 0) AS users, coalesce(p.activated_users, 0) AS activated_users, p.activated_at,
       coalesce(f.features_used, 0) AS features_used, f.last_activity,
       b.first_paid_at, coalesce(b.trialed, false) AS trialed
FROM recent r
LEFT JOIN people p ON p.tenant_id = r.id
LEFT JOIN features f ON f.tenant_id = r.id
LEFT JOIN billing b ON b.tenant_id = r.id
ORDER BY r.created_at DESC, r.id`;
  return { sql, params: f.params };
}

interface Row {
  id: string;
  name: string;
  plan: string;
  segment: string | null;
  channel: string | null;
  created_at: Date;
  users: string;
  activated_users: string;
  activated_at: Date | null;
  features_used: string;
  last_activity: Date | null;
  first_paid_at: Date | null;
  trialed: boolean;
}

export type OnboardingStage = 'paid' | 'activated' | 'trialing' | 'signed_up';

/** The furthest onboarding stage: paying beats activation, which beats a trial alone. */
export function onboardingStage(r: { first_paid_at: Date | null; activated_at: Date | null; trialed: boolean }): OnboardingStage {
  if (r.first_paid_at) return 'paid';
  if (r.activated_at) return 'activated';
  return r.trialed ? 'trialing' : 'signed_up';
}

const DAY_S = 86_400;
const daysSince = (from: Date, at: Date | null) => (at ? (at.getTime() - from.getTime()) / 1000 / DAY_S : undefined);

export const newTenantsQuery = defineQuery({
  ...contract,
  async run(q, { db, now }) {
    const { sql, params } = newTenantsSql(q.filters);
    const { rows } = await db.query<Row>(sql, [now, q.days, q.limit, ...params]);
    const days = { unit: 'd', decimals: 1 };
    return {
      frames: [
        frameFromRows('new_tenants', rows, [
          { name: 'created_at', type: 'time', value: (r) => r.created_at.getTime() },
          { name: 'tenant', type: 'string', value: (r) => r.id },
          { name: 'name', type: 'string', value: (r) => r.name },
          { name: 'plan', type: 'string', value: (r) => r.plan },
          { name: 'segment', type: 'string', value: (r) => r.segment },
          { name: 'channel', type: 'string', value: (r) => r.channel },
          { name: 'stage', type: 'string', value: (r) => onboardingStage(r) },
          { name: 'users', type: 'number', value: (r) => toCount(r.users) },
          { name: 'activated_users', type: 'number', value: (r) => toCount(r.activated_users) },
          { name: 'features_used', type: 'number', value: (r) => toCount(r.features_used) },
          { name: 'days_to_activation', type: 'number', value: (r) => daysSince(r.created_at, r.activated_at), config: days },
          { name: 'days_to_paid', type: 'number', value: (r) => daysSince(r.created_at, r.first_paid_at), config: days },
          { name: 'last_activity', type: 'time', value: (r) => r.last_activity?.getTime() },
        ]),
      ],
    };
  },
});
