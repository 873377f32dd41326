import { parseConfig } from '../config/load';
import { alignmentScore, KpiActuals } from '../domain/alignment';
import { DEFAULT_ACTIONS, priorityActions } from './priority-actions';

const NONE: KpiActuals = {
  d7_retention: undefined,
  activation_rate: undefined,
  d30_retention: undefined,
  ltv_cac: undefined,
  account_activation_rate: undefined,
  mrr_growth_30d: undefined,
  customer_churn_30d: undefined,
  viral_coefficient: undefined,
};

// Defined: d7 0.2/0.25 -> 80 (w .2), d30 0.15/0.15 -> 100 (w .15), LTV:CAC 3/4 -> 75 (w .15),
// churn 0.1 vs 0.05 lower -> 50 (w .1), viral 0.1/0.5 -> 20 (w .05). Weights defined: .65.
// Weighted gaps (effective weight * (100 - score)): d7 .2/.65*20 = 6.1538..., LTV:CAC .15/.65*25 = 5.769...,
// churn .1/.65*50 = 7.692..., viral .05/.65*80 = 6.1538...; d30 has none. They sum to 100 - score;
// d7 and viral tie, d7 first (larger weight).
const config = parseConfig({});
const alignment = alignmentScore(
  { ...NONE, d7_retention: 0.2, d30_retention: 0.15, ltv_cac: 3, customer_churn_30d: 0.1, viral_coefficient: 0.1 },
  config.alignment.kpis,
  config.alignment.bands,
);

it('ranks KPIs by weighted gap, ties by larger weight then name, and leaves met or undefined KPIs out', () => {
  const actions = priorityActions(alignment, config);
  expect(actions.map((a) => [a.rank, a.kpi])).toEqual([
    [1, 'customer_churn_30d'],
    [2, 'd7_retention'],
    [3, 'viral_coefficient'],
    [4, 'ltv_cac'],
  ]);
  expect(actions[0]?.weightedGap).toBeCloseTo((0.1 / 0.65) * 50, 6);
  expect(actions[3]?.weightedGap).toBeCloseTo((0.15 / 0.65) * 25, 6);
  const lost = actions.reduce((s, a) => s + a.weightedGap, 0);
  expect(lost).toBeCloseTo(100 - (alignment.score as number), 6);
  expect(actions[0]?.action).toBe(DEFAULT_ACTIONS.customer_churn_30d);
});

it('cuts to the limit and takes action texts from config', () => {
  const custom = parseConfig({ priorityActions: { topN: 2, actions: { d7_retention: 'Call the week-one leavers.' } } });
  const actions = priorityActions(alignment, custom);
  expect(actions.map((a) => a.kpi)).toEqual(['customer_churn_30d', 'd7_retention']);
  expect(actions[1]?.action).toBe('Call the week-one leavers.');
  expect(() => parseConfig({ priorityActions: { actions: { nps: 'x' } } })).toThrow(/priorityActions\.actions/);
});

it('has a default action for every alignment KPI', () => {
  for (const kpi of Object.keys(config.alignment.kpis))
    expect(DEFAULT_ACTIONS[kpi as keyof typeof DEFAULT_ACTIONS]?.length).toBeGreaterThan(40);
});
