import { churnRisk as contract } from '@saasmon/contract';
import { CHURN_RISK_INTERVAL_SECONDS, computeChurnRisk } from '../../collectors/churn-risk';
import { TenantRisk } from '../../domain/churn-risk';
import { readMatchingTenants } from '../../reads/tenants';
import { Frame, frameFromRows } from './frames';
import { defineQuery } from './registry';

// Churn risk per paying tenant (docs/metrics.md "Churn risk"): the probability of not paying 30
// and 90 days from now, beside the rule-based health score, with the three signals that push the
// 30-day probability up most; and the model's evaluation. Answers from the churn_risk collector's
// last model while it is at most two collector intervals old, else trains at the query instant
// (slow: it reads every month start of the history).

const probability = { unit: 'percentunit', min: 0, max: 1, decimals: 1 };
const driverText = (t: TenantRisk, i: number) => {
  const d = t.drivers[i];
  return d ? `${d.signal} (+${d.contribution.toFixed(2)})` : undefined;
};

export const churnRiskQuery = defineQuery({
  ...contract,
  readsCollectorSnapshots: true,
  async run(q, { db, now, config, churnRisk }) {
    const intervalSeconds = config.collectors.churn_risk?.intervalSeconds ?? CHURN_RISK_INTERVAL_SECONDS;
    const result =
      churnRisk?.freshAt(now, intervalSeconds * 1000) ??
      (await computeChurnRisk(db, now, config, config.churnRisk.historyMonths, config.churnRisk.l2));
    // Filters are tenant attributes: one small read decides which of the scored tenants are listed.
    const wanted = await readMatchingTenants(
      db,
      result.tenants.map((t) => t.tenant),
      q.filters,
    );
    const matching = result.tenants
      .filter((t) => wanted.has(t.tenant))
      .sort((a, b) => (b.probability[30] ?? -1) - (a.probability[30] ?? -1) || (a.tenant < b.tenant ? -1 : a.tenant > b.tenant ? 1 : 0));
    const page = matching.slice(q.offset, q.offset + q.limit);
    const tenants = frameFromRows('churn_risk', page, [
      { name: 'tenant', type: 'string', value: (t) => t.tenant },
      { name: 'name', type: 'string', value: (t) => t.name },
      { name: 'plan', type: 'string', value: (t) => t.plan },
      { name: 'churn_probability_30d', type: 'number', value: (t) => t.probability[30], config: probability },
      { name: 'churn_probability_90d', type: 'number', value: (t) => t.probability[90], config: probability },
      { name: 'health_score', type: 'number', value: (t) => t.score, config: { min: 0, max: 100, decimals: 0 } },
      { name: 'health_risk', type: 'string', value: (t) => t.risk },
      { name: 'driver_1', type: 'string', value: (t) => driverText(t, 0) },
      { name: 'driver_2', type: 'string', value: (t) => driverText(t, 1) },
      { name: 'driver_3', type: 'string', value: (t) => driverText(t, 2) },
    ]);
    tenants.meta = { custom: { total: matching.length, limit: q.limit, offset: q.offset, asOf: result.asOf.toISOString() } };
    const evaluation: Frame = frameFromRows('churn_risk_model', result.horizons, [
      { name: 'horizon_days', type: 'number', value: (h) => h.horizonDays },
      { name: 'auc', type: 'number', value: (h) => h.auc, config: { decimals: 3 } },
      { name: 'brier', type: 'number', value: (h) => h.brier, config: { decimals: 4 } },
      { name: 'calibration_ratio', type: 'number', value: (h) => h.calibrationRatio, config: { decimals: 2 } },
      { name: 'train_samples', type: 'number', value: (h) => h.trainSamples },
      { name: 'train_churned', type: 'number', value: (h) => h.trainChurned },
      { name: 'eval_samples', type: 'number', value: (h) => h.evalSamples },
      { name: 'eval_churned', type: 'number', value: (h) => h.evalChurned },
    ]);
    evaluation.meta = { custom: { coefficients: Object.fromEntries(result.horizons.map((h) => [`${h.horizonDays}d`, h.coefficients])) } };
    return { frames: [tenants, evaluation] };
  },
});
