import { featureImpact as contract } from '@saasmon/contract';
import { median } from '../../domain/funnel';
import { riskRatioKatz, wilsonInterval } from '../../domain/intervals';
import { tenantFilterSql, TenantFilters } from './common';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';

// Feature impact (docs/metrics.md "Features and retention"): per feature (event name), over live
// users created in [from, to): the median time from signup to first use (users who used it by
// T), and the day-N retention (active in the week ending on day N, as retention_days) of users
// who used it within `firstDays` of signup against those who did not, with Wilson intervals per
// group and the risk ratio with its Katz interval. Only users whose day N has ended are compared.

/**
 * $1 from, $2 to, $3 T, $4 features, $5 N, $6.. filters: per cohort user, whether they were active in
 * days [s+N-6, s+N] (s = signup day) and, per feature used by T, its first use.
 */
export function featureImpactSql(filters: TenantFilters | undefined) {
  const f = tenantFilterSql('t', filters, 5);
  const sql = `
WITH cohort AS (
  SELECT u.id, u.created_at, (u.created_at AT TIME ZONE 'UTC')::date AS s
  FROM users u
  JOIN tenants t ON t.id = u.tenant_id
  WHERE u.deleted_at IS NULL AND u.created_at >= $1::timestamptz AND u.created_at < $2::timestamptz
    AND u.created_at <= $3::timestamptz AND ${f.sql}
),
first_use AS (
  SELECT u.user_id, u.name, u.created_at, min(u.first_at) AS first_at
  FROM (
    -- The first use of each feature by each cohort user: the activity row's first instant
    -- (migration 016), one primary-key row per (feature, user).
    SELECT c.id AS user_id, a.name, a.first_at, c.created_at
    FROM cohort c
    JOIN saasmon_user_activity a ON a.user_id = c.id AND a.name = ANY($4::text[])
    UNION ALL
    -- and events not folded into the rollups yet
    SELECT c.id, d.name, d.first_at, c.created_at
    FROM saasmon_event_deltas d
    JOIN cohort c ON c.id = d.user_id
    WHERE d.name = ANY($4::text[])
  ) u
  WHERE u.first_at <= $3::timestamptz AND u.first_at >= u.created_at
  GROUP BY u.user_id, u.name, u.created_at
),
-- Per user, before the join: the cohort is then joined once, by hash, with no sort of it. The
-- time from signup to each first use in whole milliseconds as a JavaScript Date would hold the two
-- instants (floored), sent as float8: numbers parse far faster than ~100k timestamps.
first_uses AS (
  SELECT f.user_id, array_agg(f.name) AS features,
         array_agg((floor(extract(epoch FROM f.first_at) * 1000) - floor(extract(epoch FROM f.created_at) * 1000))::float8) AS first_use_ms
  FROM first_use f
  GROUP BY f.user_id
)
SELECT c.id, (c.s - DATE '1970-01-01')::int AS signup_day,
       EXISTS (
         SELECT 1 FROM saasmon_user_days d
         WHERE d.user_id = c.id AND d.day >= c.s + ($5::int - 6) AND d.day <= c.s + $5::int
       ) AS retained,
       coalesce(f.features, '{}') AS features,
       coalesce(f.first_use_ms, '{}') AS first_use_ms
FROM cohort c
LEFT JOIN first_uses f ON f.user_id = c.id`;
  return { sql, params: f.params };
}

interface Row {
  id: string;
  signup_day: number;
  retained: boolean;
  features: string[];
  /** Per feature of `features`: milliseconds from signup to its first use. */
  first_use_ms: number[];
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

const DAY_MS = 86_400_000;

/** Pure: per feature, the counts behind the comparison (see the module comment). */
export function featureImpacts(
  rows: readonly Row[],
  features: readonly string[],
  retentionDay: number,
  firstDays: number,
  nowMs: number,
): FeatureImpact[] {
  return features.map((feature) => {
    const daysToFirstUse: number[] = [];
    const r: FeatureImpact = {
      feature,
      users: rows.length,
      usedEver: 0,
      medianDaysToFirstUse: undefined,
      compared: 0,
      usedEarly: 0,
      usedEarlyRetained: 0,
      notUsedEarly: 0,
      notUsedEarlyRetained: 0,
    };
    for (const u of rows) {
      const i = u.features.indexOf(feature);
      const firstUse = i >= 0 ? u.first_use_ms[i] : undefined;
      if (firstUse !== undefined) {
        r.usedEver++;
        daysToFirstUse.push(firstUse / DAY_MS);
      }
      // Day s+N must have ended for the user to be compared.
      if ((u.signup_day + retentionDay + 1) * DAY_MS > nowMs) continue;
      r.compared++;
      if (firstUse !== undefined && firstUse <= firstDays * DAY_MS) {
        r.usedEarly++;
        if (u.retained) r.usedEarlyRetained++;
      } else {
        r.notUsedEarly++;
        if (u.retained) r.notUsedEarlyRetained++;
      }
    }
    r.medianDaysToFirstUse = median(daysToFirstUse);
    return r;
  });
}

const rate = { unit: 'percentunit', min: 0, max: 1 };

export const featureImpactQuery = defineQuery({
  ...contract,
  async run(q, { db, now }) {
    const features = [...new Set(q.features)];
    const { sql, params } = featureImpactSql(q.filters);
    const { rows } = await db.query<Row>(sql, [q.from, q.to, now, features, q.retentionDay, ...params]);
    const impacts = featureImpacts(rows, features, q.retentionDay, q.firstDays, now.getTime());
    const share = (x: number, n: number) => (n === 0 ? undefined : x / n);
    const frame = frameFromRows('feature_impact', impacts, [
      { name: 'feature', type: 'string', value: (f) => f.feature },
      { name: 'users', type: 'number', value: (f) => f.users },
      { name: 'used', type: 'number', value: (f) => f.usedEver },
      { name: 'median_days_to_first_use', type: 'number', value: (f) => f.medianDaysToFirstUse, config: { unit: 'd', decimals: 1 } },
      { name: 'compared', type: 'number', value: (f) => f.compared },
      { name: 'used_early', type: 'number', value: (f) => f.usedEarly },
      { name: 'used_early_retained', type: 'number', value: (f) => f.usedEarlyRetained },
      { name: 'used_early_retention', type: 'number', value: (f) => share(f.usedEarlyRetained, f.usedEarly), config: rate },
      { name: 'used_early_ci_low', type: 'number', value: (f) => wilsonInterval(f.usedEarlyRetained, f.usedEarly)?.low, config: rate },
      { name: 'used_early_ci_high', type: 'number', value: (f) => wilsonInterval(f.usedEarlyRetained, f.usedEarly)?.high, config: rate },
      { name: 'not_used_early', type: 'number', value: (f) => f.notUsedEarly },
      { name: 'not_used_early_retained', type: 'number', value: (f) => f.notUsedEarlyRetained },
      { name: 'not_used_early_retention', type: 'number', value: (f) => share(f.notUsedEarlyRetained, f.notUsedEarly), config: rate },
      {
        name: 'not_used_early_ci_low',
        type: 'number',
        value: (f) => wilsonInterval(f.notUsedEarlyRetained, f.notUsedEarly)?.low,
        config: rate,
      },
      {
        name: 'not_used_early_ci_high',
        type: 'number',
        value: (f) => wilsonInterval(f.notUsedEarlyRetained, f.notUsedEarly)?.high,
        config: rate,
      },
      ...(['ratio', 'low', 'high'] as const).map((k) => ({
        name: k === 'ratio' ? 'risk_ratio' : `risk_ratio_ci_${k}`,
        type: 'number' as const,
        value: (f: FeatureImpact) => riskRatioKatz(f.usedEarlyRetained, f.usedEarly, f.notUsedEarlyRetained, f.notUsedEarly)?.[k],
        config: { decimals: 2 },
      })),
    ]);
    frame.meta = { custom: { retentionDay: q.retentionDay, firstDays: q.firstDays } };
    return { frames: [frame] };
  },
});
