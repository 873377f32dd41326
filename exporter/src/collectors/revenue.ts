import { Config } from '../config/schema';
import { Queryable } from '../db/pool';
import { RevenueKpis } from '../domain/kpi-inputs';
import { moneyToNumber, sumMoney } from '../domain/money';
import {
  acquisitionCost,
  arpa,
  changesBetween,
  classifyMovements,
  customerChurnRate,
  grossMrrChurnRate,
  lastCompleteMonth,
  lifetimeValue,
  ltvToCac,
  MOVEMENT_TYPES,
  MrrMovements,
  mrrGrowth,
  netMrrChurnRate,
  quickRatio,
  revenueRetention,
  RevenueRetention,
  TenantMrrAtInstants,
} from '../domain/mrr';
import { ChannelAcquisition, readAcquisition, readMrrByPlan, readNewPayingTenants, readTenantMrr } from '../reads/revenue';
import { family, gauge, MetricFamily } from '../metrics/family';
import { CollectContext, Collector } from './collector';
import { LatestKpis } from './latest-kpis';
import { readTrialConversion } from '../reads/lifecycle';

// Revenue: MRR, movements, churn, retention, LTV and CAC (docs/metrics.md, "Revenue").

const NAME = 'revenue' as const;
export const REVENUE_INTERVAL_SECONDS = 60;

const metrics = {
  mrr: gauge('saasmon_mrr', 'Monthly recurring revenue at T (amount / interval_months of the subscription rows in force; trials 0).', [
    'currency',
  ]),
  arr: gauge('saasmon_arr', 'Annual recurring revenue: 12 * MRR.', ['currency']),
  mrrByPlan: gauge(
    'saasmon_mrr_by_plan',
    'MRR at T by the plan of the subscription row in force; 0 for a known plan with nothing in force.',
    ['currency', 'plan'],
  ),
  payingCustomers: gauge('saasmon_paying_customers', 'Tenants with MRR > 0 at T (past_due counts, trialing does not).'),
  arpa: gauge('saasmon_arpa', 'Average revenue per paying account: MRR / paying customers; absent when none.', ['currency']),
  movement: gauge(
    'saasmon_mrr_movement_30d',
    'MRR movements over [T-30d, T) by type (new, expansion, contraction, churn, reactivation), each as a positive amount.',
    ['currency', 'type'],
  ),
  movement24h: gauge(
    'saasmon_mrr_movement_24h',
    'MRR movements over [T-24h, T) by type (new, expansion, contraction, churn, reactivation), each as a positive amount (real-time figure).',
    ['currency', 'type'],
  ),
  newPayingTenants24h: gauge('saasmon_new_paying_tenants_24h', 'Tenants whose first paying instant ever is in (T-24h, T].'),
  growth: gauge('saasmon_mrr_growth_30d_ratio', 'MRR_T / MRR_(T-30d) - 1; absent when MRR 30 days ago was 0.'),
  customerChurn: gauge('saasmon_customer_churn_30d_ratio', 'Tenants paying at T-30d and not at T, over tenants paying at T-30d.'),
  grossMrrChurn: gauge('saasmon_gross_mrr_churn_30d_ratio', '(churn + contraction) over [T-30d, T) / MRR at T-30d.'),
  netMrrChurn: gauge(
    'saasmon_net_mrr_churn_30d_ratio',
    '(churn + contraction - expansion - reactivation) over [T-30d, T) / MRR at T-30d; negative when expansion wins.',
  ),
  nrr: gauge('saasmon_net_revenue_retention_12m_ratio', 'Over tenants paying at T-365d: their MRR at T / their MRR at T-365d.'),
  grr: gauge(
    'saasmon_gross_revenue_retention_12m_ratio',
    'Over tenants paying at T-365d: sum min(MRR_T, MRR_(T-365d)) / sum MRR_(T-365d).',
  ),
  quickRatio: gauge(
    'saasmon_quick_ratio_30d',
    '(new + reactivation + expansion) / (contraction + churn) over [T-30d, T); +Inf when nothing was lost, absent when nothing moved.',
  ),
  ltv: gauge('saasmon_ltv', 'Customer lifetime value: ARPA * gross margin / customer churn rate (30d); absent when churn is 0.', [
    'currency',
  ]),
  cac: gauge(
    'saasmon_cac',
    'Customer acquisition cost of the last complete UTC month by acquisition channel: spend / tenants first paying in that month.',
    ['currency', 'channel'],
  ),
  cacBlended: gauge(
    'saasmon_cac_blended',
    'Customer acquisition cost of the last complete UTC month: all marketing spend / all tenants first paying in that month.',
    ['currency'],
  ),
  ltvCac: gauge('saasmon_ltv_cac', 'LTV / blended CAC; absent when either is undefined or CAC is 0.'),
  trialConversion: gauge(
    'saasmon_trial_conversion_ratio',
    "Trials (a tenant's first subscription row, trialing) that ended in [T-37d, T-7d] and were followed by a paying instant within 7 days, over those trials; absent when none.",
  ),
};

// SQL: shared with the query API (mrr_movements, revenue_by_plan, cac_by_channel), so that the
// charts and these gauges agree; see SQL_TENANT_MRR_AT, SQL_MRR_BY_PLAN_AT and
// SQL_ACQUISITION_BY_MONTH in ../reads/revenue.ts.

const DAY_MS = 86_400_000;
// Indexes into the instants the per-tenant MRR is read at.
const AT_T = 0;
const AT_30D = 1;
const AT_365D = 2;
const AT_24H = 3;

/** Every revenue number at T, before it becomes series. */
export interface RevenueFigures {
  movements30d: MrrMovements;
  /** Movements over [T-24h, T) (the real-time figures: new MRR in the last 24 h). */
  movements24h: MrrMovements;
  /** Tenants first paying in (T-24h, T]. */
  newPayingTenants24h: number;
  retention12m: RevenueRetention;
  arpa: number | undefined;
  ltv: number | undefined;
  cacByChannel: Array<{ channel: string; cac: number | undefined }>;
  cacBlended: number | undefined;
  ltvCac: number | undefined;
}

/** Pure: figures from per-tenant MRR at [T, T-30d, T-365d, T-24h] and last month's acquisition rows. */
export function revenueFigures(
  tenants: readonly TenantMrrAtInstants[],
  acquisition: readonly ChannelAcquisition[],
  now: Date,
  grossMargin: number,
  newPayingTenants24h = 0,
): RevenueFigures {
  const movements30d = classifyMovements(changesBetween(tenants, AT_30D, AT_T, now.getTime() - 30 * DAY_MS));
  const arpaValue = arpa(movements30d.endingMrr, movements30d.payingAtEnd);
  const ltv = lifetimeValue(arpaValue, grossMargin, customerChurnRate(movements30d));
  const cacBlended = acquisitionCost(
    sumMoney(acquisition.map((a) => a.spend)),
    acquisition.reduce((n, a) => n + a.newCustomers, 0),
  );
  return {
    movements30d,
    movements24h: classifyMovements(changesBetween(tenants, AT_24H, AT_T, now.getTime() - DAY_MS)),
    newPayingTenants24h,
    retention12m: revenueRetention(changesBetween(tenants, AT_365D, AT_T, now.getTime() - 365 * DAY_MS)),
    arpa: arpaValue,
    ltv,
    // Tenants without a channel count in the blended figure only.
    cacByChannel: acquisition.flatMap((a) =>
      a.channel === null ? [] : [{ channel: a.channel, cac: acquisitionCost(a.spend, a.newCustomers) }],
    ),
    cacBlended,
    ltvCac: ltvToCac(ltv, cacBlended),
  };
}

export async function readRevenueFigures(db: Queryable, now: Date, config: Config): Promise<RevenueFigures> {
  const dayAgo = new Date(now.getTime() - DAY_MS);
  const instants = [now, new Date(now.getTime() - 30 * DAY_MS), new Date(now.getTime() - 365 * DAY_MS), dayAgo];
  const tenants = await readTenantMrr(db, instants);
  const month = lastCompleteMonth(now);
  const acquisition = await readAcquisition(db, month.start, month.end);
  const newPaying = await readNewPayingTenants(db, dayAgo, now);
  return revenueFigures(tenants, acquisition, now, config.revenue.grossMargin, newPaying);
}

/** The revenue KPIs the alignment score weighs (same numbers as the gauges). */
export async function readRevenueKpis(db: Queryable, now: Date, config: Config): Promise<RevenueKpis> {
  return revenueKpisOf(await readRevenueFigures(db, now, config));
}

/** The alignment score's revenue KPIs out of figures already read. */
export function revenueKpisOf(f: RevenueFigures): RevenueKpis {
  return {
    mrrGrowth30d: mrrGrowth(f.movements30d),
    customerChurn30d: customerChurnRate(f.movements30d),
    ltvCac: f.ltvCac,
  };
}

/** With `latest`, each run's KPIs are kept there for the alignment collector. */
export function createRevenueCollector(latest?: LatestKpis): Collector {
  return {
    name: NAME,
    defaultIntervalSeconds: REVENUE_INTERVAL_SECONDS,
    metrics: Object.values(metrics),
    collect: (ctx) => collectRevenue(ctx, latest),
  };
}

export const revenueCollector = createRevenueCollector();

async function collectRevenue({ db, now, config }: CollectContext, latest?: LatestKpis): Promise<MetricFamily[]> {
  // One client, one transaction: queries run one after another.
  const f = await readRevenueFigures(db, now, config);
  latest?.revenue.record(now, revenueKpisOf(f));
  const [plans = []] = await readMrrByPlan(db, [now]);
  const trialConversion = await readTrialConversion(db, now);
  const currency = config.currency;
  const m = f.movements30d;
  return [
    family(metrics.mrr, [{ labels: { currency }, value: moneyToNumber(m.endingMrr) }]),
    family(metrics.arr, [{ labels: { currency }, value: moneyToNumber(12n * m.endingMrr) }]),
    family(
      metrics.mrrByPlan,
      plans.map((p) => ({ labels: { currency, plan: p.plan }, value: moneyToNumber(p.mrr) })),
    ),
    family(metrics.payingCustomers, m.payingAtEnd),
    family(metrics.arpa, [{ labels: { currency }, value: f.arpa }]),
    family(
      metrics.movement,
      MOVEMENT_TYPES.map((type) => ({ labels: { currency, type }, value: moneyToNumber(m.totals[type]) })),
    ),
    family(
      metrics.movement24h,
      MOVEMENT_TYPES.map((type) => ({ labels: { currency, type }, value: moneyToNumber(f.movements24h.totals[type]) })),
    ),
    family(metrics.newPayingTenants24h, f.newPayingTenants24h),
    family(metrics.growth, mrrGrowth(m)),
    family(metrics.customerChurn, customerChurnRate(m)),
    family(metrics.grossMrrChurn, grossMrrChurnRate(m)),
    family(metrics.netMrrChurn, netMrrChurnRate(m)),
    family(metrics.nrr, f.retention12m.nrr),
    family(metrics.grr, f.retention12m.grr),
    family(metrics.quickRatio, quickRatio(m)),
    family(metrics.ltv, [{ labels: { currency }, value: f.ltv }]),
    family(
      metrics.cac,
      f.cacByChannel.map((c) => ({ labels: { currency, channel: c.channel }, value: c.cac })),
    ),
    family(metrics.cacBlended, [{ labels: { currency }, value: f.cacBlended }]),
    family(metrics.ltvCac, f.ltvCac),
    family(metrics.trialConversion, trialConversion),
  ];
}
