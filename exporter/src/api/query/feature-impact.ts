import { featureImpact as contract } from '@saasmon/contract';
import { riskRatioKatz, wilsonInterval } from '../../domain/intervals';
import { FeatureImpact, readFeatureImpact } from '../../reads/engagement';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';

// Feature impact (docs/metrics.md "Features and retention"): per feature (event name), over live
// users created in [from, to): the median time from signup to first use (users who used it by
// T), and the day-N retention (active in the week ending on day N, as retention_days) of users
// who used it within `firstDays` of signup against those who did not, with Wilson intervals per
// group and the risk ratio with its Katz interval. Only users whose day N has ended are compared.
// The database counts (reads/engagement.ts, readFeatureImpact): at 5,000 tenants sending every
// cohort user (~58k rows) to the exporter cost more than the counting.

const rate = { unit: 'percentunit', min: 0, max: 1 };

export const featureImpactQuery = defineQuery({
  ...contract,
  async run(q, { db, now }) {
    const features = [...new Set(q.features)];
    const impacts = await readFeatureImpact(db, {
      from: q.from,
      to: q.to,
      now,
      features,
      retentionDay: q.retentionDay,
      firstDays: q.firstDays,
      filters: q.filters,
    });
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
