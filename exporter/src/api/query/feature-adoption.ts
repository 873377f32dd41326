import { z } from 'zod';
import { key } from '../validators';
import { toCount } from '../../db/parse';
import { checkRange, eventName, timeRange } from './common';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';

// Feature adoption matrix, features x plans: among tenants active in [from, to) (at least one
// event), the share that used the feature (an event of that name) in the same range. Plan is the
// tenant's current plan; the column "all" is every plan together. Features: the ones asked for,
// else the `top` names by number of tenants using them.

const schema = checkRange(
  z
    .object({
      type: z.literal('feature_adoption'),
      ...timeRange,
      features: z.array(eventName).min(1).max(200).optional(),
      plans: z.array(key).max(100).optional(),
      top: z.number().int().min(1).max(200).default(20),
    })
    .strict(),
);

export const SQL_FEATURE_ADOPTION = `
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

interface Row {
  feature: string;
  plan: string;
  active_tenants: string;
  tenants_using: string;
  plan_count: string;
}

export const featureAdoptionQuery = defineQuery({
  type: 'feature_adoption',
  schema,
  async run(q, { db, config }) {
    const cap = config.api.maxBreakdownGroups;
    const { rows } = await db.query<Row>(SQL_FEATURE_ADOPTION, [q.from, q.to, q.features ?? null, q.plans ?? null, q.top, cap]);
    const planCount = rows.length ? toCount(rows[0]?.plan_count) : 0;
    const parsed = rows.map((r) => ({
      feature: r.feature,
      plan: r.plan,
      active: toCount(r.active_tenants),
      using: toCount(r.tenants_using),
    }));
    return {
      frames: [
        frameFromRows('feature_adoption', parsed, [
          { name: 'feature', type: 'string', value: (r) => r.feature },
          { name: 'plan', type: 'string', value: (r) => r.plan },
          { name: 'adoption', type: 'number', value: (r) => (r.active > 0 ? r.using / r.active : undefined), config: { unit: 'percentunit', min: 0, max: 1 } },
          { name: 'tenants_using', type: 'number', value: (r) => r.using },
          { name: 'active_tenants', type: 'number', value: (r) => r.active },
        ]),
      ].map((frame) =>
        planCount > cap
          ? {
              ...frame,
              meta: {
                notices: [
                  {
                    severity: 'warning' as const,
                    text: `${planCount} plans have active tenants; showing the ${cap} with the most (api.maxBreakdownGroups), and "all" over every plan. Filter with plans to see others.`,
                  },
                ],
              },
            }
          : frame,
      ),
    };
  },
});
