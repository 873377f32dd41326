import { parseConfig } from '../config/load';
import { AlignmentKpi } from '../config/schema';
import { alignmentScore, alignmentStatus, KpiActuals, kpiActuals, kpiScore } from './alignment';

const { kpis: settings, bands } = parseConfig({}).alignment;
const none: KpiActuals = {
  d7_retention: undefined,
  activation_rate: undefined,
  d30_retention: undefined,
  ltv_cac: undefined,
  account_activation_rate: undefined,
  mrr_growth_30d: undefined,
  customer_churn_30d: undefined,
  viral_coefficient: undefined,
};
const scores = (a: ReturnType<typeof alignmentScore>) =>
  Object.fromEntries(a.kpis.map((k) => [k.kpi, k.score])) as Record<AlignmentKpi, number | undefined>;

it('scores a KPI against its target: clamped ratio, inverted when lower is better', () => {
  expect(kpiScore(0.2, 0.25, 'higher')).toBe(80);
  expect(kpiScore(0.5, 0.4, 'higher')).toBe(100);
  expect(kpiScore(-0.05, 0.15, 'higher')).toBe(0);
  expect(kpiScore(0.1, 0.05, 'lower')).toBe(50);
  expect(kpiScore(0.025, 0.05, 'lower')).toBe(100);
  expect(kpiScore(0, 0.05, 'lower')).toBe(100);
  expect(kpiScore(Infinity, 4, 'higher')).toBe(100);
  expect(kpiScore(Infinity, 0.05, 'lower')).toBe(0);
});

it('weighs every KPI by its default weight when all are defined', () => {
  const a = alignmentScore(
    {
      d7_retention: 0.2, // 80, weight .20
      activation_rate: 0.5, // 100 (capped), .15
      d30_retention: 0.03, // 20, .15
      ltv_cac: 2, // 50, .15
      account_activation_rate: 0.45, // 75, .10
      mrr_growth_30d: -0.05, // 0, .10
      customer_churn_30d: 0.1, // 0.05 / 0.1 = 50, .10
      viral_coefficient: 0.5, // 100, .05
    },
    settings,
    bands,
  );
  // 16 + 15 + 3 + 7.5 + 7.5 + 0 + 5 + 5 = 59
  expect(a.score).toBe(59);
  expect(a.status).toBe('at_risk');
  expect(scores(a)).toEqual({
    d7_retention: 80,
    activation_rate: 100,
    d30_retention: 20,
    ltv_cac: 50,
    account_activation_rate: 75,
    mrr_growth_30d: 0,
    customer_churn_30d: 50,
    viral_coefficient: 100,
  });
  expect(a.kpis.find((k) => k.kpi === 'd7_retention')?.effectiveWeight).toBeCloseTo(0.2, 12);
});

it('leaves undefined KPIs out and renormalises the remaining weights', () => {
  // d7 0.1 -> 40 (weight .2), churn 0 with lower is better -> 100 (weight .1):
  // (.2 * 40 + .1 * 100) / .3 = 18 / .3 = 60; effective weights 2/3 and 1/3, to 9 decimals
  const a = alignmentScore({ ...none, d7_retention: 0.1, customer_churn_30d: 0 }, settings, bands);
  expect(a.score).toBe(60);
  expect(a.status).toBe('at_risk');
  const byKpi = Object.fromEntries(a.kpis.map((k) => [k.kpi, k]));
  expect(byKpi.d7_retention?.effectiveWeight).toBe(0.666666667);
  expect(byKpi.customer_churn_30d?.effectiveWeight).toBe(0.333333333);
  expect(byKpi.ltv_cac).toEqual({
    kpi: 'ltv_cac',
    actual: undefined,
    target: 4,
    direction: 'higher',
    weight: 0.15,
    effectiveWeight: undefined,
    score: undefined,
  });
});

it('has no score and no status when no KPI is defined, or only KPIs of weight 0', () => {
  expect(alignmentScore(none, settings, bands)).toEqual(expect.objectContaining({ score: undefined, status: undefined }));
  const zeroWeight = { ...settings, viral_coefficient: { ...settings.viral_coefficient, weight: 0 } };
  expect(alignmentScore({ ...none, viral_coefficient: 1 }, zeroWeight, bands).score).toBeUndefined();
  expect(alignmentScore({ ...none, viral_coefficient: NaN }, settings, bands).score).toBeUndefined();
});

it('maps scores to statuses at the band edges', () => {
  expect([100, 80, 79.99, 50, 49.99, 0].map((s) => alignmentStatus(s, bands))).toEqual([
    'on_track',
    'on_track',
    'at_risk',
    'at_risk',
    'off_track',
    'off_track',
  ]);
});

it('maps revenue and engagement KPI inputs onto the config keys', () => {
  expect(
    kpiActuals(
      { mrrGrowth30d: 1, customerChurn30d: 2, ltvCac: 3 },
      { activationRate: 4, accountActivationRate: 5, retentionD7: 6, retentionD30: 7, viralCoefficient: 8 },
    ),
  ).toEqual({
    mrr_growth_30d: 1,
    customer_churn_30d: 2,
    ltv_cac: 3,
    activation_rate: 4,
    account_activation_rate: 5,
    d7_retention: 6,
    d30_retention: 7,
    viral_coefficient: 8,
  });
});
