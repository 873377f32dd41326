import Stripe from 'stripe';

/**
 * Stripe objects shaped as the API returns them (API 2024-06-20 layout: discount.coupon,
 * current_period_end on the subscription), and webhook deliveries signed by Stripe's own library.
 */

export const WEBHOOK_SECRET = 'whsec_test_0123456789abcdef';
export const stripe = new Stripe('sk_test_saasmon_not_a_real_key');

export const at = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

export interface PriceSpec {
  id: string;
  amount: number;
  currency?: string;
  interval?: 'day' | 'week' | 'month' | 'year';
  count?: number;
  plan?: string;
}

export function price(p: PriceSpec) {
  return {
    id: p.id,
    object: 'price',
    active: true,
    billing_scheme: 'per_unit',
    currency: p.currency ?? 'usd',
    unit_amount: p.amount,
    unit_amount_decimal: String(p.amount),
    recurring: { interval: p.interval ?? 'month', interval_count: p.count ?? 1, usage_type: 'licensed' },
    lookup_key: p.plan ?? null,
    nickname: null,
    product: `prod_${p.id}`,
    metadata: {},
    type: 'recurring',
  };
}

export interface SubSpec {
  id: string;
  customer: string;
  status?: string;
  created: number;
  items: Array<{ price: ReturnType<typeof price>; quantity?: number }>;
  currency?: string;
  trialStart?: number;
  trialEnd?: number;
  cancelAtPeriodEnd?: boolean;
  periodEnd?: number;
  endedAt?: number;
  discount?: { coupon: Record<string, unknown>; start: number; end?: number | null } | null;
}

export function subscription(s: SubSpec) {
  return {
    id: s.id,
    object: 'subscription',
    customer: s.customer,
    status: s.status ?? 'active',
    currency: s.currency ?? 'usd',
    created: s.created,
    start_date: s.created,
    trial_start: s.trialStart ?? null,
    trial_end: s.trialEnd ?? null,
    cancel_at: s.cancelAtPeriodEnd ? (s.periodEnd ?? null) : null,
    cancel_at_period_end: s.cancelAtPeriodEnd ?? false,
    canceled_at: s.endedAt ?? null,
    ended_at: s.endedAt ?? null,
    current_period_end: s.periodEnd ?? s.created + 30 * 86_400,
    discount: s.discount ? { id: `di_${s.id}`, object: 'discount', ...s.discount, end: s.discount.end ?? null } : null,
    items: {
      object: 'list',
      data: s.items.map((i, k) => ({ id: `si_${s.id}_${k}`, object: 'subscription_item', quantity: i.quantity ?? 1, price: i.price })),
    },
    metadata: {},
    cancellation_details: { reason: s.endedAt || s.cancelAtPeriodEnd ? 'cancellation_requested' : null },
  };
}

export function customer(id: string, created: number, extra: Record<string, unknown> = {}) {
  return { id, object: 'customer', created, name: `Customer ${id}`, email: `${id}@example.com`, metadata: {}, ...extra };
}

let seq = 0;
export function event(type: string, object: Record<string, unknown>, created: number, id = `evt_${++seq}_${created}`) {
  return { id, object: 'event', api_version: '2024-06-20', created, livemode: false, type, data: { object } };
}

/** The body and Stripe-Signature header Stripe would send, made by the stripe package. */
export function signed(payload: unknown, opts: { secret?: string; timestamp?: number } = {}) {
  const body = JSON.stringify(payload);
  const header = stripe.webhooks.generateTestHeaderString({
    payload: body,
    secret: opts.secret ?? WEBHOOK_SECRET,
    timestamp: opts.timestamp ?? Math.floor(Date.now() / 1000),
  });
  return { body, header };
}

export async function deliver(
  url: string,
  payload: unknown,
  opts: { secret?: string; timestamp?: number; tamper?: (body: string) => string } = {},
) {
  const { body, header } = signed(payload, opts);
  const res = await fetch(`${url}/api/v1/integrations/stripe/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': header },
    body: opts.tamper ? opts.tamper(body) : body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
