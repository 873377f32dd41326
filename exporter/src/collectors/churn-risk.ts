import { Config } from '../config/schema';
import { Queryable } from '../db/pool';
import { churnRiskFromHistory, churnRiskInstants, ChurnRiskResult, signalsAt } from '../domain/churn-risk';
import { readSignalInputs } from '../reads/churn-risk';
import { readTenantMrr } from '../reads/revenue';
import { family, gauge } from '../metrics/family';
import { capSeries } from './cardinality-cap';
import { Collector } from './collector';
import { LatestChurnRisk } from './latest-churn-risk';

// Churn risk model quality (docs/metrics.md "Churn risk"): trained hourly on the company's own
// tenant-months; the per-tenant probabilities are the churn_risk query (tenant ids never become
// labels here).

export const CHURN_RISK_INTERVAL_SECONDS = 3600;

const metrics = {
  auc: gauge(
    'saasmon_churn_risk_auc_ratio',
    'Area under the ROC curve of the churn risk model on the last 6 labelled months, trained on the months before them.',
    ['horizon'],
  ),
  brier: gauge(
    'saasmon_churn_risk_brier_score',
    'Brier score (mean squared error of the probabilities) of the churn risk model on the last 6 labelled months.',
    ['horizon'],
  ),
  calibration: gauge(
    'saasmon_churn_risk_calibration_ratio',
    'Mean predicted churn probability / observed churn rate on the last 6 labelled months (1 = calibrated in the large).',
    ['horizon'],
  ),
  samples: gauge('saasmon_churn_risk_evaluation_samples', 'Tenant-months the churn risk model was evaluated on.', ['horizon']),
  tenant: gauge(
    'saasmon_tenant_churn_probability_ratio',
    'Probability that the paying tenant stops paying within the horizon (churn risk model); for at most tenantHealth.maxSeries tenants, highest 30-day risk kept.',
    ['tenant', 'horizon'],
  ),
  expected: gauge(
    'saasmon_churn_risk_expected_churned_tenants',
    'Sum over paying tenants of their churn probability: tenants expected to stop paying within the horizon.',
    ['horizon'],
  ),
};

/** Reads the company's history and trains: month starts of the last `historyMonths`, and now. */
export async function computeChurnRisk(
  db: Queryable,
  now: Date,
  config: Config,
  historyMonths: number,
  l2: number,
): Promise<ChurnRiskResult> {
  const { starts, instants, mrrInstants } = churnRiskInstants(now, historyMonths);
  const signals = signalsAt(await readSignalInputs(db, instants, config));
  const mrr = await readTenantMrr(db, mrrInstants);
  return churnRiskFromHistory(now, starts, signals, mrrInstants, mrr, l2);
}

export function churnRiskFamilies(r: ChurnRiskResult, maxSeries: number) {
  const per = <T>(f: (h: ChurnRiskResult['horizons'][number]) => T) =>
    r.horizons.map((h) => ({ labels: { horizon: `${h.horizonDays}d` }, value: f(h) }));
  return [
    family(
      metrics.auc,
      per((h) => h.auc),
    ),
    family(
      metrics.brier,
      per((h) => h.brier),
    ),
    family(
      metrics.calibration,
      per((h) => h.calibrationRatio),
    ),
    family(
      metrics.samples,
      per((h) => h.evalSamples),
    ),
    family(
      metrics.tenant,
      capSeries(
        r.tenants,
        maxSeries,
        (a, b) => (b.probability[30] ?? 0) - (a.probability[30] ?? 0) || (a.tenant < b.tenant ? -1 : 1),
      ).kept.flatMap((t) =>
        r.horizons.map((h) => ({ labels: { tenant: t.tenant, horizon: `${h.horizonDays}d` }, value: t.probability[h.horizonDays] })),
      ),
    ),
    family(
      metrics.expected,
      per((h) => (h.model ? r.tenants.reduce((s, t) => s + (t.probability[h.horizonDays] ?? 0), 0) : undefined)),
    ),
  ];
}

export function createChurnRiskCollector(latest?: LatestChurnRisk): Collector {
  return {
    name: 'churn_risk',
    metrics: Object.values(metrics),
    defaultIntervalSeconds: CHURN_RISK_INTERVAL_SECONDS,
    async collect({ db, now, config }) {
      const result = await computeChurnRisk(db, now, config, config.churnRisk.historyMonths, config.churnRisk.l2);
      latest?.record(result.asOf, result);
      return churnRiskFamilies(result, config.tenantHealth.maxSeries);
    },
  };
}
