import { subscriptionSchema } from './objects';
import { initialSegments, pricedSegments, PricingContext, UnmappableError } from './pricing';
import { at, price, subscription } from './stripe-fixtures';

const ctx: PricingContext = {
  reportingCurrency: 'USD',
  currencyRates: { JPY: 0.0067, EUR: 1.08 },
  planMetadataKey: 'saasmon_plan',
  pastDueGraceDays: 30,
  knownPrice: () => undefined,
  knownDiscount: () => undefined,
};
const T0 = at('2026-03-01T00:00:00Z');
const sub = (patch: Partial<Parameters<typeof subscription>[0]>, raw: Record<string, unknown> = {}) =>
  subscriptionSchema.parse({ ...subscription({ id: 'sub_1', customer: 'cus_1', created: T0, items: [], ...patch }), ...raw });
const amounts = (s: ReturnType<typeof sub>, from = T0 * 1000) =>
  pricedSegments(s, from, ctx).map((x) => [x.status, x.amount, x.intervalMonths]);

describe('amount per billing period', () => {
  it('sums licensed items x quantity and leaves metered items out', () => {
    const metered = {
      ...price({ id: 'price_api', amount: 5 }),
      recurring: { interval: 'month', interval_count: 1, usage_type: 'metered' },
    };
    const s = sub({
      items: [
        { price: price({ id: 'p_seat', amount: 1500, plan: 'team' }), quantity: 4 },
        { price: metered as never, quantity: 0 },
      ],
    });
    expect(amounts(s)).toEqual([['active', '60.00', 1]]);
    expect(pricedSegments(s, T0 * 1000, ctx)[0]?.plan).toBe('team');
  });

  it('prices graduated and volume tiers for the quantity, and transform_quantity packs', () => {
    const tiers = [
      { up_to: 5, unit_amount: 1000, unit_amount_decimal: '1000', flat_amount: 500, flat_amount_decimal: '500' },
      { up_to: null, unit_amount: 800, unit_amount_decimal: '800', flat_amount: null, flat_amount_decimal: null },
    ];
    const tiered = (mode: 'graduated' | 'volume') => ({
      ...price({ id: `p_${mode}`, amount: 0 }),
      billing_scheme: 'tiered',
      tiers_mode: mode,
      tiers,
      unit_amount: null,
      unit_amount_decimal: null,
    });
    // graduated, 8 seats: 5 x 10 + 5 flat + 3 x 8 = 79
    expect(amounts(sub({ items: [{ price: tiered('graduated') as never, quantity: 8 }] }))).toEqual([['active', '79.00', 1]]);
    // volume, 8 seats: all at the second tier: 8 x 8 = 64
    expect(amounts(sub({ items: [{ price: tiered('volume') as never, quantity: 8 }] }))).toEqual([['active', '64.00', 1]]);
    // packs of 5 rounded up: 12 seats bill 3 packs of $20
    const packs = { ...price({ id: 'p_pack', amount: 2000 }), transform_quantity: { divide_by: 5, round: 'up' } };
    expect(amounts(sub({ items: [{ price: packs as never, quantity: 12 }] }))).toEqual([['active', '60.00', 1]]);
  });

  it('refuses a tiered price whose tiers it has not seen', () => {
    const p = {
      ...price({ id: 'p_t', amount: 0 }),
      billing_scheme: 'tiered',
      tiers_mode: 'volume',
      unit_amount: null,
      unit_amount_decimal: null,
    };
    expect(() => amounts(sub({ items: [{ price: p as never }] }))).toThrow(/tiers are not in the event/);
  });

  it('normalises intervals: quarterly and annual keep their length, weekly and daily become monthly', () => {
    expect(amounts(sub({ items: [{ price: price({ id: 'q', amount: 30000, interval: 'month', count: 3 }) }] }))).toEqual([
      ['active', '300.00', 3],
    ]);
    expect(amounts(sub({ items: [{ price: price({ id: 'y2', amount: 240000, interval: 'year', count: 2 }) }] }))).toEqual([
      ['active', '2400.00', 24],
    ]);
    // 7 x 365 / 12 / 2 = 106.458... -> 106.46
    expect(amounts(sub({ items: [{ price: price({ id: 'd', amount: 700, interval: 'day', count: 2 }) }] }))).toEqual([
      ['active', '106.46', 1],
    ]);
  });

  it('converts zero-decimal currencies at the configured rate and refuses one without a rate', () => {
    // JPY 15,000 x 0.0067 = 100.50
    expect(amounts(sub({ currency: 'jpy', items: [{ price: price({ id: 'jp', amount: 15000, currency: 'jpy' }) }] }))).toEqual([
      ['active', '100.50', 1],
    ]);
    expect(() => amounts(sub({ currency: 'chf', items: [{ price: price({ id: 'ch', amount: 100, currency: 'chf' }) }] }))).toThrow(
      UnmappableError,
    );
  });

  it('refuses items billed at different intervals and item-level discounts', () => {
    const mixed = sub({
      items: [{ price: price({ id: 'm', amount: 100 }) }, { price: price({ id: 'y', amount: 100, interval: 'year' }) }],
    });
    expect(() => amounts(mixed)).toThrow(/different intervals/);
    const s = sub({ items: [{ price: price({ id: 'm', amount: 100 }) }] });
    (s.items.data[0] as { discounts: unknown[] }).discounts = ['di_item'];
    expect(() => amounts(s)).toThrow(/item-level discounts/);
  });
});

describe('discounts', () => {
  const p = price({ id: 'p', amount: 10000 });
  const coupon = (c: Record<string, unknown>) => ({ id: 'C', object: 'coupon', percent_off: null, amount_off: null, currency: null, ...c });
  it('leaves once coupons out, makes a 100% coupon non-paying, and ends a repeating coupon when it ends', () => {
    expect(amounts(sub({ items: [{ price: p }], discount: { coupon: coupon({ percent_off: 50, duration: 'once' }), start: T0 } }))).toEqual(
      [['active', '100.00', 1]],
    );
    expect(
      amounts(sub({ items: [{ price: p }], discount: { coupon: coupon({ percent_off: 100, duration: 'forever' }), start: T0 } })),
    ).toEqual([['active', '0.00', 1]]);
    const end = at('2026-06-01T00:00:00Z');
    const segs = pricedSegments(
      sub({ items: [{ price: p }], discount: { coupon: coupon({ percent_off: 12.5, duration: 'repeating' }), start: T0, end } }),
      T0 * 1000,
      ctx,
    );
    expect(segs.map((s) => [s.amount, s.fromMs / 1000, s.toMs === null ? null : s.toMs / 1000])).toEqual([
      ['87.50', T0, end],
      ['100.00', end, null],
    ]);
  });

  it('takes the coupon from discount.source (newer API versions) and a known discount by id', () => {
    const d = {
      id: 'di_1',
      object: 'discount',
      source: { coupon: coupon({ amount_off: 2500, currency: 'usd', duration: 'forever' }), type: 'coupon' },
      start: T0,
      end: null,
    };
    expect(amounts(sub({ items: [{ price: p }] }, { discounts: [d] }))).toEqual([['active', '75.00', 1]]);
    const byId = { ...ctx, knownDiscount: (id: string) => (id === 'di_1' ? (d as never) : undefined) };
    expect(pricedSegments(sub({ items: [{ price: p }] }, { discounts: ['di_1'] }), T0 * 1000, byId)[0]?.amount).toBe('75.00');
    expect(() => amounts(sub({ items: [{ price: p }] }, { discounts: ['di_unknown'] }))).toThrow(/discount di_unknown is not known/);
  });
});

describe('status', () => {
  const p = price({ id: 'p', amount: 5000 });
  it('stops counting a past_due subscription after the grace', () => {
    const since = T0 * 1000 - 10 * 86_400_000;
    const segs = pricedSegments(sub({ status: 'past_due', items: [{ price: p }] }), T0 * 1000, ctx, since);
    expect(segs).toEqual([expect.objectContaining({ status: 'past_due', amount: '50.00', toMs: since + 30 * 86_400_000 })]);
    expect(pricedSegments(sub({ status: 'past_due', items: [{ price: p }] }), T0 * 1000, ctx, T0 * 1000 - 31 * 86_400_000)).toEqual([]);
  });

  it('gives a first-seen subscription its trial then its paid state, and an ended one its end', () => {
    const trialEnd = at('2026-03-15T00:00:00Z');
    const ended = at('2026-05-15T00:00:00Z');
    const s = sub({ status: 'canceled', items: [{ price: p }], trialStart: T0, trialEnd, endedAt: ended });
    expect(
      initialSegments(s, ctx, ended * 1000 + 1).map((x) => [x.status, x.fromMs / 1000, x.toMs === null ? null : x.toMs / 1000]),
    ).toEqual([
      ['trialing', T0, trialEnd],
      ['active', trialEnd, ended],
    ]);
  });

  it('counts the grace of a first-seen past_due subscription from when it was seen', () => {
    const seen = at('2026-06-01T00:00:00Z');
    const segs = initialSegments(sub({ status: 'past_due', items: [{ price: p }] }), ctx, seen * 1000);
    expect(segs.map((x) => [x.status, x.fromMs / 1000, x.toMs === null ? null : x.toMs / 1000])).toEqual([
      ['active', T0, seen],
      ['past_due', seen, seen + 30 * 86_400],
    ]);
  });
});
