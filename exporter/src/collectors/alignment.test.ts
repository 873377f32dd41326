import { Config } from '../config/schema';
import { Queryable } from '../db/pool';
import { EngagementKpis, RevenueKpis } from '../domain/kpi-inputs';
import { collectLines, runCollector } from '../testing/collect';
import { createTestSchema, TestSchema } from '../testing/db';
import { allCollectors } from '.';
import { alignmentCollector, createAlignmentCollector } from './alignment';
import { LatestKpis } from './latest-kpis';

const T = new Date('2026-06-15T12:00:00Z');
let db: TestSchema;

const NO_REVENUE: RevenueKpis = { mrrGrowth30d: undefined, customerChurn30d: undefined, ltvCac: undefined };
const NO_ENGAGEMENT: EngagementKpis = {
  activationRate: undefined,
  accountActivationRate: undefined,
  retentionD7: undefined,
  retentionD30: undefined,
  viralCoefficient: undefined,
};

/** Readers returning fixed values, recording the instant they were asked about. */
function readers(revenue: Partial<RevenueKpis>, engagement: Partial<EngagementKpis>) {
  const asked: Date[] = [];
  return {
    asked,
    revenue: async (_db: Queryable, now: Date, _config: Config) => (asked.push(now), { ...NO_REVENUE, ...revenue }),
    engagement: async (_db: Queryable, now: Date, _config: Config) => (asked.push(now), { ...NO_ENGAGEMENT, ...engagement }),
  };
}

const TARGETS_AND_WEIGHTS = [
  'saasmon_alignment_kpi_target{kpi="account_activation_rate"} 0.6',
  'saasmon_alignment_kpi_target{kpi="activation_rate"} 0.4',
  'saasmon_alignment_kpi_target{kpi="customer_churn_30d"} 0.05',
  'saasmon_alignment_kpi_target{kpi="d30_retention"} 0.15',
  'saasmon_alignment_kpi_target{kpi="d7_retention"} 0.25',
  'saasmon_alignment_kpi_target{kpi="ltv_cac"} 4',
  'saasmon_alignment_kpi_target{kpi="mrr_growth_30d"} 0.15',
  'saasmon_alignment_kpi_target{kpi="viral_coefficient"} 0.5',
  'saasmon_alignment_kpi_weight{kpi="account_activation_rate"} 0.1',
  'saasmon_alignment_kpi_weight{kpi="activation_rate"} 0.15',
  'saasmon_alignment_kpi_weight{kpi="customer_churn_30d"} 0.1',
  'saasmon_alignment_kpi_weight{kpi="d30_retention"} 0.15',
  'saasmon_alignment_kpi_weight{kpi="d7_retention"} 0.2',
  'saasmon_alignment_kpi_weight{kpi="ltv_cac"} 0.15',
  'saasmon_alignment_kpi_weight{kpi="mrr_growth_30d"} 0.1',
  'saasmon_alignment_kpi_weight{kpi="viral_coefficient"} 0.05',
];

beforeAll(async () => {
  db = await createTestSchema('align');
});
afterAll(() => db.close());

it('scores the defined KPIs, renormalising their weights, and flags the status', async () => {
  const r = readers({ ltvCac: 3 }, { retentionD7: 0.2, retentionD30: 0.15 });
  // d7 0.2/0.25 -> 80 (weight .2), d30 0.15/0.15 -> 100 (.15), LTV:CAC 3/4 -> 75 (.15)
  // (16 + 15 + 11.25) / .5 = 84.5: on track; effective weights .4, .3, .3
  expect(await collectLines(createAlignmentCollector(r), db.config(), T, /score|status|value|effective/)).toEqual([
    'saasmon_alignment_kpi_effective_weight{kpi="d30_retention"} 0.3',
    'saasmon_alignment_kpi_effective_weight{kpi="d7_retention"} 0.4',
    'saasmon_alignment_kpi_effective_weight{kpi="ltv_cac"} 0.3',
    'saasmon_alignment_kpi_score{kpi="d30_retention"} 100',
    'saasmon_alignment_kpi_score{kpi="d7_retention"} 80',
    'saasmon_alignment_kpi_score{kpi="ltv_cac"} 75',
    'saasmon_alignment_kpi_value{kpi="d30_retention"} 0.15',
    'saasmon_alignment_kpi_value{kpi="d7_retention"} 0.2',
    'saasmon_alignment_kpi_value{kpi="ltv_cac"} 3',
    'saasmon_alignment_score 84.5',
    'saasmon_alignment_status{status="at_risk"} 0',
    'saasmon_alignment_status{status="off_track"} 0',
    'saasmon_alignment_status{status="on_track"} 1',
  ]);
  expect(r.asked).toEqual([T, T]);
});

it('takes targets from config', async () => {
  // d7 target 0.4: 0.2 -> 50; (10 + 15 + 11.25) / .5 = 72.5: at risk
  const config = db.config({ alignment: { kpis: { d7_retention: { weight: 0.2, target: 0.4, direction: 'higher' } } } });
  const r = readers({ ltvCac: 3 }, { retentionD7: 0.2, retentionD30: 0.15 });
  expect(await collectLines(createAlignmentCollector(r), config, T, /alignment_score|status|target\{kpi="d7/)).toEqual([
    'saasmon_alignment_kpi_target{kpi="d7_retention"} 0.4',
    'saasmon_alignment_score 72.5',
    'saasmon_alignment_status{status="at_risk"} 1',
    'saasmon_alignment_status{status="off_track"} 0',
    'saasmon_alignment_status{status="on_track"} 0',
  ]);
});

it('scores lower-is-better churn of 0 as 100 and goes off track below 50', async () => {
  // churn 0 -> 100 (weight .1); MRR growth -0.1 -> 0 (.1); activation 0.1/0.4 -> 25 (.15)
  // (10 + 0 + 3.75) / .35 = 39.2857...: off track
  const r = readers({ customerChurn30d: 0, mrrGrowth30d: -0.1 }, { activationRate: 0.1 });
  const lines = await collectLines(createAlignmentCollector(r), db.config(), T, /kpi_score|status/);
  expect(lines).toEqual([
    'saasmon_alignment_kpi_score{kpi="activation_rate"} 25',
    'saasmon_alignment_kpi_score{kpi="customer_churn_30d"} 100',
    'saasmon_alignment_kpi_score{kpi="mrr_growth_30d"} 0',
    'saasmon_alignment_status{status="at_risk"} 0',
    'saasmon_alignment_status{status="off_track"} 1',
    'saasmon_alignment_status{status="on_track"} 0',
  ]);
  const [score] = await collectLines(createAlignmentCollector(r), db.config(), T, /alignment_score/);
  expect(Number(score?.split(' ')[1])).toBeCloseTo(13.75 / 0.35, 8);
});

it('leaves score, status and KPI values absent when no KPI is defined', async () => {
  expect(await collectLines(createAlignmentCollector(readers({}, {})), db.config(), T)).toEqual(TARGETS_AND_WEIGHTS);
});

it('runs with the real revenue and engagement readers', async () => {
  const lines = await collectLines(alignmentCollector, db.config(), T);
  expect(lines).toEqual(expect.arrayContaining(TARGETS_AND_WEIGHTS));
});

it("scores the revenue and engagement collectors' last KPIs while fresh, without querying again", async () => {
  const latest = new LatestKpis();
  latest.revenue.record(new Date(T.getTime() - 60_000), { ...NO_REVENUE, ltvCac: 3 });
  latest.engagement.record(new Date(T.getTime() - 120_000), { ...NO_ENGAGEMENT, retentionD7: 0.2, retentionD30: 0.15 });
  const r = readers({}, {});
  expect(await collectLines(createAlignmentCollector(r, latest), db.config(), T, /alignment_score/)).toEqual([
    'saasmon_alignment_score 84.5',
  ]);
  expect(r.asked).toEqual([]);
  // Older than two of the collector's intervals (60 s by default): read again at T.
  latest.engagement.record(new Date(T.getTime() - 121_000), { ...NO_ENGAGEMENT, retentionD7: 0.2 });
  await collectLines(createAlignmentCollector(r, latest), db.config(), T);
  expect(r.asked).toEqual([T]);
  // A longer engagement interval keeps it fresh longer; a result from after T is never used.
  const slow = db.config({ collectors: { engagement: { intervalSeconds: 300 } } });
  await collectLines(createAlignmentCollector(readers({}, {}), latest), slow, T);
  latest.revenue.record(new Date(T.getTime() + 1), NO_REVENUE);
  const r2 = readers({}, {});
  await collectLines(createAlignmentCollector(r2, latest), slow, T);
  expect(r2.asked).toEqual([T]);
});

it('in allCollectors(), runs no query of its own after the revenue and engagement collectors ran', async () => {
  const [revenue, engagement, , alignment] = allCollectors();
  const config = db.config();
  await runCollector(revenue!, config, T);
  await runCollector(engagement!, config, T);
  let queries = 0;
  const counting: Queryable = {
    query: async () => {
      queries++;
      throw new Error('no query expected');
    },
  };
  const families = await alignment!.collect({ db: counting, now: T, config });
  expect(queries).toBe(0);
  expect(families.map((f) => f.name)).toContain('saasmon_alignment_kpi_target');
});
