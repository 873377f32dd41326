import { z } from 'zod';

/**
 * The parts of Stripe's objects that saasmon reads, across API versions (older versions put the
 * coupon on the discount and current_period_end on the subscription; newer ones use
 * discount.source.coupon and the items' period). Everything else passes through untouched.
 */

const ts = z.number().int().nonnegative();
const metadata = z.record(z.string()).nullish();
const named = z.object({ id: z.string(), name: z.string().nullish(), metadata }).passthrough();

export const couponSchema = z
  .object({
    id: z.string(),
    percent_off: z.number().min(0).max(100).nullish(),
    amount_off: z.number().int().nonnegative().nullish(),
    currency: z.string().nullish(),
    duration: z.enum(['forever', 'once', 'repeating']),
  })
  .passthrough();
export type StripeCoupon = z.infer<typeof couponSchema>;

export const discountSchema = z
  .object({
    id: z.string().nullish(),
    object: z.literal('discount').optional(),
    coupon: couponSchema.nullish(),
    source: z
      .object({ coupon: z.union([z.string(), couponSchema]).nullish() })
      .passthrough()
      .nullish(),
    start: ts.nullish(),
    end: ts.nullish(),
    customer: z.union([z.string(), named]).nullish(),
    subscription: z.string().nullish(),
  })
  .passthrough();
export type StripeDiscount = z.infer<typeof discountSchema>;

const tierSchema = z
  .object({
    up_to: z.number().int().positive().nullable(),
    unit_amount: z.number().int().nullish(),
    unit_amount_decimal: z.string().nullish(),
    flat_amount: z.number().int().nullish(),
    flat_amount_decimal: z.string().nullish(),
  })
  .passthrough();

export const priceSchema = z
  .object({
    id: z.string(),
    object: z.enum(['price', 'plan']).optional(),
    currency: z.string().regex(/^[a-zA-Z]{3}$/),
    unit_amount: z.number().int().nonnegative().nullish(),
    unit_amount_decimal: z.string().nullish(),
    billing_scheme: z.enum(['per_unit', 'tiered']).nullish(),
    tiers_mode: z.enum(['graduated', 'volume']).nullish(),
    tiers: z.array(tierSchema).nullish(),
    recurring: z
      .object({
        interval: z.enum(['day', 'week', 'month', 'year']),
        interval_count: z.number().int().positive(),
        usage_type: z.enum(['licensed', 'metered']).nullish(),
      })
      .passthrough()
      .nullish(),
    transform_quantity: z.object({ divide_by: z.number().int().positive(), round: z.enum(['up', 'down']) }).nullish(),
    lookup_key: z.string().nullish(),
    nickname: z.string().nullish(),
    product: z.union([z.string(), named]).nullish(),
    metadata,
  })
  .passthrough();
export type StripePrice = z.infer<typeof priceSchema>;

const itemSchema = z
  .object({
    id: z.string(),
    quantity: z.number().int().nonnegative().nullish(),
    price: priceSchema,
    discounts: z.array(z.union([z.string(), discountSchema])).nullish(),
    current_period_end: ts.nullish(),
  })
  .passthrough();

export const SUBSCRIPTION_STATUSES = [
  'incomplete',
  'incomplete_expired',
  'trialing',
  'active',
  'past_due',
  'canceled',
  'unpaid',
  'paused',
] as const;

export const subscriptionSchema = z
  .object({
    id: z.string(),
    object: z.literal('subscription'),
    customer: z.union([z.string(), named]),
    status: z.enum(SUBSCRIPTION_STATUSES),
    currency: z.string().regex(/^[a-zA-Z]{3}$/),
    created: ts,
    start_date: ts.nullish(),
    trial_start: ts.nullish(),
    trial_end: ts.nullish(),
    cancel_at: ts.nullish(),
    cancel_at_period_end: z.boolean().nullish(),
    canceled_at: ts.nullish(),
    ended_at: ts.nullish(),
    current_period_end: ts.nullish(),
    discount: discountSchema.nullish(),
    discounts: z.array(z.union([z.string(), discountSchema])).nullish(),
    items: z.object({ data: z.array(itemSchema) }).passthrough(),
    cancellation_details: z.object({ reason: z.string().nullish(), feedback: z.string().nullish() }).passthrough().nullish(),
    metadata,
  })
  .passthrough();
export type StripeSubscription = z.infer<typeof subscriptionSchema>;

export const customerSchema = z
  .object({
    id: z.string(),
    object: z.literal('customer'),
    created: ts,
    name: z.string().nullish(),
    email: z.string().nullish(),
    deleted: z.boolean().optional(),
    address: z.object({ country: z.string().nullish() }).passthrough().nullish(),
    metadata,
  })
  .passthrough();
export type StripeCustomer = z.infer<typeof customerSchema>;

export const eventSchema = z
  .object({
    id: z.string().min(1).max(255),
    object: z.literal('event'),
    type: z.string().min(1).max(200),
    created: ts,
    livemode: z.boolean().optional(),
    data: z.object({ object: z.object({ id: z.string().optional(), object: z.string() }).passthrough() }).passthrough(),
  })
  .passthrough();
export type StripeEvent = z.infer<typeof eventSchema>;
