import { readRevenueKpis, revenueCollector } from './revenue';
import { collectLines } from '../testing/collect';
import { createTestSchema, TestSchema } from '../testing/db';

// T at midnight UTC on a month start: T-30d = 2026-06-01T00:00Z (the movement window [A, T) is
// exactly June), T-365d = 2025-07-01T00:00Z, and the last complete month for CAC is June 2026.
const T = new Date('2026-07-01T00:00:00Z');
const A = '2026-06-01T00:00:00Z';

/**
 * Compares exposition lines: the same series must be present (absence is part of the contract),
 * values equal up to float rounding (expected values are written as the hand computation).
 */
function expectSeries(lines: string[], expected: Record<string, number>): void {
  const actual = Object.fromEntries(
    lines.map((l) => {
      const at = l.lastIndexOf(' ');
      const v = l.slice(at + 1);
      return [l.slice(0, at), v === '+Inf' ? Number.POSITIVE_INFINITY : Number(v)];
    }),
  );
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [series, value] of Object.entries(expected)) {
    if (!Number.isFinite(value)) expect([series, actual[series]]).toEqual([series, value]);
    else if (Math.abs((actual[series] as number) - value) > 1e-9 * Math.max(1, Math.abs(value)))
      expect([series, actual[series]]).toEqual([series, value]);
  }
}

const tenant = (id: string, channel: string | null) => ({
  id,
  name: id,
  plan: 'starter',
  acquisition_channel: channel,
  created_at: '2024-12-01T00:00:00Z',
});

let n = 0;
const sub = (tenantId: string, plan: string, status: string, amount: string, months: number, from: string, to: string | null = null) => ({
  id: `s${++n}`,
  tenant_id: tenantId,
  plan,
  status,
  amount,
  interval_months: months,
  valid_from: from,
  valid_to: to,
});

describe('with a hand-computed fixture', () => {
  let db: TestSchema;
  beforeAll(async () => {
    db = await createTestSchema('revenue');
    await db.insert('tenants', [
      tenant('t_up', 'paid'),
      tenant('t_down', 'organic'),
      tenant('t_trial', 'paid'),
      tenant('t_pastdue', 'referral'),
      tenant('t_react', 'organic'),
      tenant('t_blip', 'referral'),
      tenant('t_ends_t', 'partner'),
      tenant('t_starts_a', null),
      tenant('t_starts_t', 'organic'),
      tenant('t_churned_y', 'paid'),
      tenant('t_third', 'referral'),
      tenant('t_free', 'organic'),
    ]);
    await db.insert('subscriptions', [
      // upgrade mid-window: starter 100 -> business 300 on 06-10: expansion 200; paying at T-365d (100)
      sub('t_up', 'starter', 'active', '100.00', 1, '2025-01-01T00:00:00Z', '2026-06-10T00:00:00Z'),
      sub('t_up', 'business', 'active', '300.00', 1, '2026-06-10T00:00:00Z'),
      // downgrade: annual business 2400/12 = 200 -> quarterly starter 300/3 = 100 on 06-20: contraction 100
      sub('t_down', 'business', 'active', '2400.00', 12, '2025-03-01T00:00:00Z', '2026-06-20T00:00:00Z'),
      sub('t_down', 'starter', 'active', '300.00', 3, '2026-06-20T00:00:00Z'),
      // trial (MRR 0 although priced) then paid from 06-19: new 300; first paying instant in June
      sub('t_trial', 'business', 'trialing', '300.00', 1, '2026-06-05T00:00:00Z', '2026-06-19T00:00:00Z'),
      sub('t_trial', 'business', 'active', '300.00', 1, '2026-06-19T00:00:00Z'),
      // past_due still pays: 50 at both ends, no movement
      sub('t_pastdue', 'starter', 'past_due', '50.00', 1, '2026-01-01T00:00:00Z'),
      // paid 2025-01 .. 2026-03, pays again from 06-25: reactivation 80 (not new, not a June customer)
      sub('t_react', 'starter', 'active', '80.00', 1, '2025-01-01T00:00:00Z', '2026-03-01T00:00:00Z'),
      sub('t_react', 'starter', 'active', '80.00', 1, '2026-06-25T00:00:00Z'),
      // starts and stops inside the window: moves nothing, but first pays in June (a CAC customer)
      sub('t_blip', 'starter', 'active', '60.00', 1, '2026-06-05T00:00:00Z', '2026-06-12T00:00:00Z'),
      // ends exactly at T: not in force at T: churn 120
      sub('t_ends_t', 'business', 'active', '120.00', 1, '2025-06-01T00:00:00Z', '2026-07-01T00:00:00Z'),
      // starts exactly at A: in force at A (300 at both ends, no movement); first pays 06-01 00:00, in June
      sub('t_starts_a', 'enterprise', 'active', '900.00', 3, A),
      // starts exactly at T: in force at T: new 40; first pays in July, not a June customer
      sub('t_starts_t', 'starter', 'active', '40.00', 1, '2026-07-01T00:00:00Z'),
      // paying at T-365d (70), churned 2025-12-01
      sub('t_churned_y', 'starter', 'active', '70.00', 1, '2025-01-01T00:00:00Z', '2025-12-01T00:00:00Z'),
      // quarterly 100/3 = 33.333333 (rounded to 6 places in SQL), at both ends
      sub('t_third', 'starter', 'active', '100.00', 3, '2026-02-01T00:00:00Z'),
      // a free plan: active at 0, never paying
      sub('t_free', 'free', 'active', '0.00', 1, '2025-01-01T00:00:00Z'),
    ]);
    await db.insert('marketing_spend', [
      { channel: 'paid', month: '2026-05-01', amount: '9999.00' }, // not the last complete month
      { channel: 'paid', month: '2026-06-01', amount: '1000.00' },
      { channel: 'partner', month: '2026-06-01', amount: '500.00' }, // spend, no new customer: CAC absent
      { channel: 'podcast', month: '2026-06-01', amount: '250.00' }, // no tenant has it: blended only
      { channel: 'paid', month: '2026-07-01', amount: '7777.00' }, // the current, incomplete month
    ]);
  });
  afterAll(() => db.close());

  // MRR_T = up 300 + down 100 + trial 300 + pastdue 50 + react 80 + starts_a 300 + starts_t 40
  //         + third 33.333333 = 1203.333333, over 8 paying tenants
  // MRR_A = up 100 + down 200 + pastdue 50 + ends_t 120 + starts_a 300 + third 33.333333
  //         = 803.333333, over 6 paying tenants
  // movements over [A, T): new 300 + 40 = 340, reactivation 80, expansion 200, contraction 100,
  //   churn 120; check: 803.333333 + 340 + 80 + 200 - 100 - 120 = 1203.333333
  const MRR_T = 1203.333333;
  const MRR_A = 803.333333;
  const ARPA = MRR_T / 8;
  // customer churn: ends_t of the 6 paying at A = 1/6; LTV = ARPA * 1.0 / (1/6)
  const LTV = ARPA * 6;
  // June: first paying tenants trial (paid), blip (referral), starts_a (no channel) = 3;
  // spend 1000 + 500 + 250 = 1750 -> blended 1750 / 3; paid 1000 / 1; referral 0 / 1 = 0
  const CAC = 1750 / 3;

  it('reports MRR, movements, churn, retention, LTV and CAC', async () => {
    expectSeries(await collectLines(revenueCollector, db.config(), T), {
      'saasmon_mrr{currency="USD"}': MRR_T,
      'saasmon_arr{currency="USD"}': 14439.999996, // 12 * 1203.333333, exactly
      // plans of the rows in force at T: business = up 300 + trial 300; starter = 100 + 50 + 80
      // + 40 + 33.333333; enterprise = starts_a 300; free = 0
      'saasmon_mrr_by_plan{currency="USD",plan="business"}': 600,
      'saasmon_mrr_by_plan{currency="USD",plan="enterprise"}': 300,
      'saasmon_mrr_by_plan{currency="USD",plan="free"}': 0,
      'saasmon_mrr_by_plan{currency="USD",plan="starter"}': 303.333333,
      saasmon_paying_customers: 8,
      'saasmon_arpa{currency="USD"}': ARPA,
      'saasmon_mrr_movement_30d{currency="USD",type="new"}': 340,
      'saasmon_mrr_movement_30d{currency="USD",type="expansion"}': 200,
      'saasmon_mrr_movement_30d{currency="USD",type="contraction"}': 100,
      'saasmon_mrr_movement_30d{currency="USD",type="churn"}': 120,
      'saasmon_mrr_movement_30d{currency="USD",type="reactivation"}': 80,
      // the last 24 h [06-30, 07-01): ends_t churns 120 at T, starts_t is new 40 at T; starts_t is
      // the one tenant first paying in (T-24h, T] (at T exactly)
      'saasmon_mrr_movement_24h{currency="USD",type="new"}': 40,
      'saasmon_mrr_movement_24h{currency="USD",type="expansion"}': 0,
      'saasmon_mrr_movement_24h{currency="USD",type="contraction"}': 0,
      'saasmon_mrr_movement_24h{currency="USD",type="churn"}': 120,
      'saasmon_mrr_movement_24h{currency="USD",type="reactivation"}': 0,
      saasmon_new_paying_tenants_24h: 1,
      saasmon_mrr_growth_30d_ratio: MRR_T / MRR_A - 1,
      saasmon_customer_churn_30d_ratio: 1 / 6,
      saasmon_gross_mrr_churn_30d_ratio: (120 + 100) / MRR_A,
      saasmon_net_mrr_churn_30d_ratio: (120 + 100 - 200 - 80) / MRR_A,
      // tenants paying at T-365d: up 100 -> 300, down 200 -> 100, react 80 -> 80, ends_t 120 -> 0,
      // churned_y 70 -> 0: NRR 480 / 570; GRR (100 + 100 + 80) / 570
      saasmon_net_revenue_retention_12m_ratio: 480 / 570,
      saasmon_gross_revenue_retention_12m_ratio: 280 / 570,
      saasmon_quick_ratio_30d: (340 + 80 + 200) / (100 + 120),
      'saasmon_ltv{currency="USD"}': LTV,
      'saasmon_cac{currency="USD",channel="paid"}': 1000,
      'saasmon_cac{currency="USD",channel="referral"}': 0,
      'saasmon_cac_blended{currency="USD"}': CAC,
      saasmon_ltv_cac: LTV / CAC,
    });
  });

  it('prints money exactly as the SQL rounded it', async () => {
    const lines = await collectLines(revenueCollector, db.config(), T, /^saasmon_(mrr|arr)\{/);
    expect(lines).toEqual(['saasmon_arr{currency="USD"} 14439.999996', 'saasmon_mrr{currency="USD"} 1203.333333']);
  });

  it('takes the currency label and the gross margin from config', async () => {
    const config = db.config({ currency: 'EUR', revenue: { grossMargin: 0.5 } });
    expectSeries(await collectLines(revenueCollector, config, T, /^saasmon_ltv/), {
      'saasmon_ltv{currency="EUR"}': LTV * 0.5,
      saasmon_ltv_cac: (LTV * 0.5) / CAC,
    });
  });

  it('gives the alignment collector the same KPIs', async () => {
    const kpis = await readRevenueKpis(db.pool, T, db.config());
    expect(kpis.mrrGrowth30d).toBeCloseTo(MRR_T / MRR_A - 1, 12);
    expect(kpis.customerChurn30d).toBeCloseTo(1 / 6, 12);
    expect(kpis.ltvCac).toBeCloseTo(LTV / CAC, 12);
  });

  it('a second before T, the row ending at T is still in force and the new one at T not yet', async () => {
    // T' = T - 1 s: ends_t pays 120 (no churn), starts_t does not pay yet (no new 40);
    // A' = 05-31T23:59:59Z, where starts_a (from 06-01) does not pay yet,
    // so it moves as new 300: new = trial 300 + starts_a 300 = 600
    const lines = await collectLines(revenueCollector, db.config(), new Date(T.getTime() - 1000), /movement|cac_blended/);
    expectSeries(lines, {
      'saasmon_mrr_movement_30d{currency="USD",type="new"}': 600,
      'saasmon_mrr_movement_30d{currency="USD",type="expansion"}': 200,
      'saasmon_mrr_movement_30d{currency="USD",type="contraction"}': 100,
      'saasmon_mrr_movement_30d{currency="USD",type="churn"}': 0,
      'saasmon_mrr_movement_30d{currency="USD",type="reactivation"}': 80,
      // nothing moves in the 24 h before T'
      'saasmon_mrr_movement_24h{currency="USD",type="new"}': 0,
      'saasmon_mrr_movement_24h{currency="USD",type="expansion"}': 0,
      'saasmon_mrr_movement_24h{currency="USD",type="contraction"}': 0,
      'saasmon_mrr_movement_24h{currency="USD",type="churn"}': 0,
      'saasmon_mrr_movement_24h{currency="USD",type="reactivation"}': 0,
      // June is not complete at T': the CAC month is May 2026, spend 9999 and no tenant first
      // paying in May: blended CAC absent
    });
  });
});

describe('edge cases', () => {
  let db: TestSchema;
  beforeAll(async () => {
    db = await createTestSchema('revenue_edge');
  });
  afterAll(() => db.close());

  it('reports zeroes and leaves every ratio absent on an empty database', async () => {
    expect(await collectLines(revenueCollector, db.config(), T)).toEqual([
      'saasmon_arr{currency="USD"} 0',
      'saasmon_mrr_movement_24h{currency="USD",type="churn"} 0',
      'saasmon_mrr_movement_24h{currency="USD",type="contraction"} 0',
      'saasmon_mrr_movement_24h{currency="USD",type="expansion"} 0',
      'saasmon_mrr_movement_24h{currency="USD",type="new"} 0',
      'saasmon_mrr_movement_24h{currency="USD",type="reactivation"} 0',
      'saasmon_mrr_movement_30d{currency="USD",type="churn"} 0',
      'saasmon_mrr_movement_30d{currency="USD",type="contraction"} 0',
      'saasmon_mrr_movement_30d{currency="USD",type="expansion"} 0',
      'saasmon_mrr_movement_30d{currency="USD",type="new"} 0',
      'saasmon_mrr_movement_30d{currency="USD",type="reactivation"} 0',
      'saasmon_mrr{currency="USD"} 0',
      'saasmon_new_paying_tenants_24h 0',
      'saasmon_paying_customers 0',
    ]);
    expect(await readRevenueKpis(db.pool, T, db.config())).toEqual({
      mrrGrowth30d: undefined,
      customerChurn30d: undefined,
      ltvCac: undefined,
    });
  });

  it('gives quick ratio +Inf when nothing was lost, and no LTV without churn', async () => {
    await db.insert('tenants', [tenant('a', 'paid'), tenant('b', 'paid')]);
    await db.insert('subscriptions', [
      // a pays 100 throughout; b is new in the window (50): quick ratio 50 / 0 = +Inf
      sub('a', 'starter', 'active', '100.00', 1, '2026-01-01T00:00:00Z'),
      sub('b', 'starter', 'active', '50.00', 1, '2026-06-15T00:00:00Z'),
    ]);
    // no spend in June: CAC paid = 0 / 1 = 0; blended 0: LTV:CAC absent (and LTV absent: churn 0)
    expectSeries(await collectLines(revenueCollector, db.config(), T), {
      'saasmon_mrr{currency="USD"}': 150,
      'saasmon_arr{currency="USD"}': 1800,
      'saasmon_mrr_by_plan{currency="USD",plan="starter"}': 150,
      saasmon_paying_customers: 2,
      'saasmon_arpa{currency="USD"}': 75,
      'saasmon_mrr_movement_30d{currency="USD",type="new"}': 50,
      'saasmon_mrr_movement_30d{currency="USD",type="expansion"}': 0,
      'saasmon_mrr_movement_30d{currency="USD",type="contraction"}': 0,
      'saasmon_mrr_movement_30d{currency="USD",type="churn"}': 0,
      'saasmon_mrr_movement_30d{currency="USD",type="reactivation"}': 0,
      'saasmon_mrr_movement_24h{currency="USD",type="new"}': 0,
      'saasmon_mrr_movement_24h{currency="USD",type="expansion"}': 0,
      'saasmon_mrr_movement_24h{currency="USD",type="contraction"}': 0,
      'saasmon_mrr_movement_24h{currency="USD",type="churn"}': 0,
      'saasmon_mrr_movement_24h{currency="USD",type="reactivation"}': 0,
      saasmon_new_paying_tenants_24h: 0,
      saasmon_mrr_growth_30d_ratio: 0.5,
      saasmon_customer_churn_30d_ratio: 0,
      saasmon_gross_mrr_churn_30d_ratio: 0,
      saasmon_net_mrr_churn_30d_ratio: 0,
      saasmon_quick_ratio_30d: Number.POSITIVE_INFINITY,
      'saasmon_cac{currency="USD",channel="paid"}': 0,
      'saasmon_cac_blended{currency="USD"}': 0,
    });
    expect((await collectLines(revenueCollector, db.config(), T, /quick/))[0]).toBe('saasmon_quick_ratio_30d +Inf');
  });
});
