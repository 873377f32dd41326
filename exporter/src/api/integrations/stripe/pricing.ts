import { add, cmp, decimal, div, mul, rat, Rational, sub, toFixed, ZERO } from './rational';
import { StripeCoupon, StripeDiscount, StripePrice, StripeSubscription } from './objects';

/**
 * A Stripe subscription as priced states (rows of `subscriptions`), the way the project's MRR
 * counts them: amount per billing period = licensed items' unit price x quantity (tiers as Stripe
 * bills them), metered items left out; forever and repeating coupons (while in effect) reduce it,
 * once coupons do not; month/year intervals keep their length, week/day prices become monthly
 * rows; other currencies are converted at a configured fixed rate or refused.
 */

/** Something in the Stripe object that saasmon cannot map without guessing: refused with this message. */
export class UnmappableError extends Error {}

export type RowStatus = 'trialing' | 'active' | 'past_due';

export interface PricedSegment {
  plan: string;
  status: RowStatus;
  /** Per billing period in the reporting currency, 2 decimals. */
  amount: string;
  intervalMonths: number;
  fromMs: number;
  /** null: open (until a later event ends it). */
  toMs: number | null;
}

export interface PricingContext {
  reportingCurrency: string;
  currencyRates: Readonly<Record<string, number>>;
  planMetadataKey: string;
  pastDueGraceDays: number;
  /** A price with its tiers, when the subscription's copy has none (from price events or a backfill). */
  knownPrice(id: string): StripePrice | undefined;
  /** A discount by id, when the subscription lists ids only (from customer.discount.* events). */
  knownDiscount(id: string): StripeDiscount | undefined;
}

const ZERO_DECIMAL = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'JPY',
  'KMF',
  'KRW',
  'MGA',
  'PYG',
  'RWF',
  'UGX',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
]);
const THREE_DECIMAL = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);
const MAX_AMOUNT = decimal('999999999999.99');
const DAY_MS = 86_400_000;

/** Stripe amounts are in the currency's smallest unit. */
export function minorUnitScale(currency: string): Rational {
  const c = currency.toUpperCase();
  return rat(ZERO_DECIMAL.has(c) ? 1n : THREE_DECIMAL.has(c) ? 1000n : 100n);
}

const amountOf = (integer: number | null | undefined, text: string | null | undefined): Rational | undefined =>
  text !== null && text !== undefined ? decimal(text) : integer !== null && integer !== undefined ? rat(BigInt(integer)) : undefined;

/** The quantity Stripe bills: transform_quantity divides and rounds it (per-seat packs). */
function billedQuantity(price: StripePrice, quantity: number): bigint {
  const t = price.transform_quantity;
  if (!t) return BigInt(quantity);
  const q = quantity / t.divide_by;
  return BigInt(t.round === 'up' ? Math.ceil(q) : Math.floor(q));
}

/** One item's amount per period, in minor units. */
function itemAmount(price: StripePrice, quantity: number, ctx: PricingContext): Rational {
  const q = billedQuantity(price, quantity);
  if (price.billing_scheme !== 'tiered') {
    const unit = amountOf(price.unit_amount, price.unit_amount_decimal);
    if (unit === undefined) throw new UnmappableError(`price ${price.id}: no unit_amount (custom or unset prices cannot be priced)`);
    return mul(unit, rat(q));
  }
  const tiers = price.tiers ?? ctx.knownPrice(price.id)?.tiers;
  if (!tiers || tiers.length === 0) {
    throw new UnmappableError(
      `price ${price.id} is tiered and its tiers are not in the event; send price events to the webhook or run stripe-backfill with the prices listed (expand[]=data.tiers)`,
    );
  }
  const tierUnit = (t: (typeof tiers)[number]) => amountOf(t.unit_amount, t.unit_amount_decimal) ?? ZERO;
  const tierFlat = (t: (typeof tiers)[number]) => amountOf(t.flat_amount, t.flat_amount_decimal) ?? ZERO;
  if (q === 0n) return ZERO;
  if (price.tiers_mode === 'volume') {
    const tier = tiers.find((t) => t.up_to === null || BigInt(t.up_to) >= q) ?? tiers[tiers.length - 1];
    return tier ? add(mul(tierUnit(tier), rat(q)), tierFlat(tier)) : ZERO;
  }
  // graduated: each tier bills the units that fall in it, plus its flat fee when any do
  let total = ZERO;
  let below = 0n;
  for (const t of tiers) {
    if (q <= below) break;
    const upTo = t.up_to === null ? q : BigInt(t.up_to);
    const units = (q < upTo ? q : upTo) - below;
    if (units > 0n) total = add(total, add(mul(tierUnit(t), rat(units)), tierFlat(t)));
    below = upTo;
  }
  return total;
}

const couponOf = (d: StripeDiscount): StripeCoupon | undefined =>
  d.coupon ?? (d.source && typeof d.source.coupon === 'object' && d.source.coupon ? d.source.coupon : undefined);

interface ActiveDiscount {
  coupon: StripeCoupon;
  startMs: number;
  endMs: number;
}

function subscriptionDiscounts(sub: StripeSubscription, ctx: PricingContext): ActiveDiscount[] {
  const listed: Array<string | StripeDiscount> =
    sub.discounts && sub.discounts.length > 0 ? sub.discounts : sub.discount ? [sub.discount] : [];
  for (const item of sub.items.data) {
    if (item.discounts && item.discounts.length > 0) {
      throw new UnmappableError(`subscription ${sub.id}: item ${item.id} has item-level discounts, which saasmon does not map yet`);
    }
  }
  const out: ActiveDiscount[] = [];
  for (const entry of listed) {
    const d = typeof entry === 'string' ? ctx.knownDiscount(entry) : entry;
    if (!d) {
      throw new UnmappableError(
        `subscription ${sub.id}: discount ${String(entry)} is not known; send customer.discount.* events to the webhook (or expand discounts)`,
      );
    }
    const coupon = couponOf(d);
    if (!coupon) throw new UnmappableError(`subscription ${sub.id}: discount ${d.id ?? '?'} has no coupon object`);
    // A once coupon lowers one invoice, not the recurring revenue.
    if (coupon.duration === 'once') continue;
    out.push({ coupon, startMs: (d.start ?? 0) * 1000, endMs: coupon.duration === 'forever' || !d.end ? Infinity : d.end * 1000 });
  }
  return out;
}

function applyDiscounts(amount: Rational, discounts: readonly ActiveDiscount[], atMs: number, sub: StripeSubscription): Rational {
  let a = amount;
  for (const d of discounts) {
    if (atMs < d.startMs || atMs >= d.endMs) continue;
    if (d.coupon.percent_off !== null && d.coupon.percent_off !== undefined) {
      a = mul(a, div(sub_(decimal(100), decimal(d.coupon.percent_off)), decimal(100)));
    } else if (d.coupon.amount_off !== null && d.coupon.amount_off !== undefined) {
      if ((d.coupon.currency ?? '').toLowerCase() !== sub.currency.toLowerCase()) {
        throw new UnmappableError(
          `subscription ${sub.id}: coupon ${d.coupon.id} is in ${d.coupon.currency ?? '?'}, the subscription in ${sub.currency}`,
        );
      }
      a = sub_(a, rat(BigInt(d.coupon.amount_off)));
      if (cmp(a, ZERO) < 0) a = ZERO;
    } else {
      throw new UnmappableError(`subscription ${sub.id}: coupon ${d.coupon.id} has neither percent_off nor amount_off`);
    }
  }
  return a;
}
const sub_ = sub;

/** The plan key of an item: configured metadata, else lookup_key, nickname, product name or id. */
export function planKey(price: StripePrice, metadataKey: string): string {
  const product = typeof price.product === 'object' && price.product ? price.product : undefined;
  return (
    price.metadata?.[metadataKey] ??
    product?.metadata?.[metadataKey] ??
    price.lookup_key ??
    price.nickname ??
    product?.name ??
    (typeof price.product === 'string' ? price.product : product?.id) ??
    price.id
  );
}

/** Units of the reporting currency per unit of `currency`. */
function conversionRate(currency: string, ctx: PricingContext): Rational {
  const c = currency.toUpperCase();
  if (c === ctx.reportingCurrency) return rat(1n);
  const rate = ctx.currencyRates[c];
  if (rate === undefined) {
    throw new UnmappableError(
      `currency ${c} has no rate to ${ctx.reportingCurrency}: add integrations.stripe.currencyRates.${c} (amounts are never summed across currencies)`,
    );
  }
  return decimal(rate);
}

/** When the subscription stops being billed at its current state, if it is known now. */
export function cancelAtMs(sub: StripeSubscription): number | null {
  if (sub.cancel_at) return sub.cancel_at * 1000;
  if (sub.cancel_at_period_end) {
    const end = sub.current_period_end ?? sub.items.data[0]?.current_period_end;
    if (end) return end * 1000;
  }
  return null;
}

export const ENDED_STATUSES = new Set(['canceled', 'unpaid', 'incomplete', 'incomplete_expired', 'paused']);

/**
 * The priced segments of `sub` from `fromMs` on, in its current state (status, items, discounts).
 * Split where a discount starts or ends; ended at the trial's end (trialing), at the end of the
 * past-due grace (past_due, counted from `pastDueSinceMs`) and at a scheduled cancellation.
 * An ended subscription has none.
 */
export function pricedSegments(sub: StripeSubscription, fromMs: number, ctx: PricingContext, pastDueSinceMs = fromMs): PricedSegment[] {
  if (ENDED_STATUSES.has(sub.status)) return [];
  const status = sub.status as RowStatus;
  const items = sub.items.data;
  if (items.length === 0) throw new UnmappableError(`subscription ${sub.id} has no items`);
  const licensed = items.filter((i) => i.price.recurring?.usage_type !== 'metered');
  const intervals = new Set(
    items.map((i) => (i.price.recurring ? `${i.price.recurring.interval}/${i.price.recurring.interval_count}` : 'none')),
  );
  if (intervals.has('none')) throw new UnmappableError(`subscription ${sub.id}: an item's price is not recurring`);
  if (intervals.size > 1)
    throw new UnmappableError(`subscription ${sub.id}: items bill at different intervals (${[...intervals].join(', ')})`);
  for (const i of items) {
    if (i.price.currency.toLowerCase() !== sub.currency.toLowerCase()) {
      throw new UnmappableError(
        `subscription ${sub.id}: item ${i.id} is priced in ${i.price.currency}, the subscription in ${sub.currency}`,
      );
    }
  }
  const recurring = items[0]!.price.recurring!;
  const perItem = licensed.map((i) => ({ item: i, amount: itemAmount(i.price, i.quantity ?? 1, ctx) }));
  const periodMinor = perItem.reduce((acc, x) => add(acc, x.amount), ZERO);
  // The plan is the item that weighs most (the first when equal); a metered-only subscription takes its first item.
  const main = perItem.reduce<(typeof perItem)[number] | undefined>(
    (best, x) => (!best || cmp(x.amount, best.amount) > 0 ? x : best),
    undefined,
  );
  const plan = planKey((main?.item ?? items[0]!).price, ctx.planMetadataKey);

  let intervalMonths: number;
  let toMonthly: Rational;
  switch (recurring.interval) {
    case 'month':
      intervalMonths = recurring.interval_count;
      toMonthly = rat(1n);
      break;
    case 'year':
      intervalMonths = 12 * recurring.interval_count;
      toMonthly = rat(1n);
      break;
    case 'week':
      intervalMonths = 1;
      toMonthly = rat(52n, 12n * BigInt(recurring.interval_count));
      break;
    case 'day':
      intervalMonths = 1;
      toMonthly = rat(365n, 12n * BigInt(recurring.interval_count));
      break;
  }
  const factor = mul(div(toMonthly, minorUnitScale(sub.currency)), conversionRate(sub.currency, ctx));
  const discounts = subscriptionDiscounts(sub, ctx);

  let endMs: number | null = cancelAtMs(sub);
  const cap = (t: number | null) => {
    if (t !== null && (endMs === null || t < endMs)) endMs = t;
  };
  if (status === 'trialing' && sub.trial_end) cap(sub.trial_end * 1000);
  if (status === 'past_due') cap(pastDueSinceMs + ctx.pastDueGraceDays * DAY_MS);
  if (endMs !== null && endMs <= fromMs) return [];

  const cuts = new Set<number>([fromMs]);
  for (const d of discounts)
    for (const t of [d.startMs, d.endMs]) if (t > fromMs && (endMs === null || t < endMs) && Number.isFinite(t)) cuts.add(t);
  const starts = [...cuts].sort((a, b) => a - b);
  const segments: PricedSegment[] = [];
  starts.forEach((start, k) => {
    const amount = mul(applyDiscounts(periodMinor, discounts, start, sub), factor);
    if (cmp(amount, MAX_AMOUNT) > 0) throw new UnmappableError(`subscription ${sub.id}: amount ${toFixed(amount)} exceeds numeric(14,2)`);
    const seg: PricedSegment = { plan, status, amount: toFixed(amount), intervalMonths, fromMs: start, toMs: starts[k + 1] ?? endMs };
    const last = segments[segments.length - 1];
    if (last && sameState(last, seg)) last.toMs = seg.toMs;
    else segments.push(seg);
  });
  return segments;
}

export const sameState = (a: Omit<PricedSegment, 'fromMs' | 'toMs'>, b: Omit<PricedSegment, 'fromMs' | 'toMs'>): boolean =>
  a.plan === b.plan && a.status === b.status && a.amount === b.amount && a.intervalMonths === b.intervalMonths;

/**
 * The history a subscription seen for the first time implies (a backfill, or a webhook connected
 * after it began): its trial, if any, then its current state from the trial's end (or its start).
 * An ended subscription keeps the state it ended in up to ended_at (else up to `seenAtMs`):
 * 'trialing' when it ended within its trial, else 'active'.
 */
export function initialSegments(sub: StripeSubscription, ctx: PricingContext, seenAtMs: number): PricedSegment[] {
  const startMs = (sub.start_date ?? sub.created) * 1000;
  const ended = ENDED_STATUSES.has(sub.status);
  const endedAt = ended ? (sub.ended_at ?? sub.canceled_at ?? null) : null;
  // unpaid and paused carry no end time: the state ended by the time it was seen
  const endedAtMs = endedAt !== null ? endedAt * 1000 : ended ? seenAtMs : null;
  if (ended && (sub.status === 'incomplete' || sub.status === 'incomplete_expired')) return [];
  const trialStartMs = sub.trial_start ? sub.trial_start * 1000 : null;
  const trialEndMs = sub.trial_end ? sub.trial_end * 1000 : null;
  const out: PricedSegment[] = [];
  const clip = (segs: PricedSegment[]) =>
    segs
      .map((s) => (endedAtMs !== null && (s.toMs === null || s.toMs > endedAtMs) ? { ...s, toMs: endedAtMs } : s))
      .filter((s) => s.toMs === null || s.toMs > s.fromMs);
  if (trialStartMs !== null && trialEndMs !== null && trialEndMs > trialStartMs) {
    const asTrial = pricedSegments({ ...sub, status: 'trialing', cancel_at: null, cancel_at_period_end: false }, trialStartMs, ctx);
    out.push(...clip(asTrial.map((s) => ({ ...s, toMs: s.toMs === null || s.toMs > trialEndMs ? trialEndMs : s.toMs }))));
    if (sub.status === 'trialing' || (endedAtMs !== null && endedAtMs <= trialEndMs)) return out;
  }
  const from = trialEndMs !== null && trialStartMs !== null && trialEndMs > startMs ? trialEndMs : startMs;
  if (sub.status === 'past_due' && seenAtMs > from) {
    // When it fell past due is not in the object: active until seen, past due (and its grace) from then.
    out.push(
      ...pricedSegments({ ...sub, status: 'active' }, from, ctx)
        .map((s) => (s.toMs === null || s.toMs > seenAtMs ? { ...s, toMs: seenAtMs } : s))
        .filter((s) => s.fromMs < seenAtMs),
    );
    out.push(...pricedSegments(sub, seenAtMs, ctx, seenAtMs));
    return out;
  }
  const state = ended ? { ...sub, status: 'active' as const } : sub;
  out.push(...clip(pricedSegments(state, from, ctx)));
  return out;
}
