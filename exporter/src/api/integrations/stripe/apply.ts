import { Pool, PoolClient } from 'pg';
import { ZodError, ZodTypeAny, z } from 'zod';
import { Config } from '../../../config/schema';
import { withTransaction } from '../../../db/pool';
import { describeIssue } from '../../errors';
import { StripeOutcome } from '../integration-metrics';
import {
  customerSchema,
  discountSchema,
  priceSchema,
  StripeCustomer,
  StripeDiscount,
  StripeEvent,
  StripePrice,
  StripeSubscription,
  subscriptionSchema,
} from './objects';
import { ENDED_STATUSES, initialSegments, PricedSegment, pricedSegments, PricingContext, sameState, UnmappableError } from './pricing';

/**
 * Applies one Stripe event to the contract tables in one transaction: recorded by event id (a
 * redelivery is a duplicate), versioned per object (an event created before the newest one
 * applied to its object is stale and changes nothing), refused whole when it cannot be mapped
 * (nothing recorded, so Stripe's retry can succeed once the cause is fixed).
 */

export interface ApplyResult {
  outcome: StripeOutcome;
  objectId?: string;
  /** The tenant a customer event created or updated. */
  tenantId?: string;
}

const SQL_RECORD_EVENT = `
INSERT INTO saasmon_stripe_events (event_id, type, created_at, object_id, outcome)
VALUES ($1, $2, to_timestamp($3), $4, 'pending')
ON CONFLICT (event_id) DO NOTHING
RETURNING event_id`;

const SQL_SET_OUTCOME = `UPDATE saasmon_stripe_events SET outcome = $2 WHERE event_id = $1`;

// Serialises the events of one object across exporter processes; released at COMMIT.
const SQL_LOCK_OBJECT = `SELECT pg_advisory_xact_lock(hashtext('saasmon.stripe:' || $1))`;

const SQL_OBJECT_VERSION = `SELECT version_at FROM saasmon_stripe_objects WHERE object_id = $1`;

const SQL_SAVE_OBJECT = `
INSERT INTO saasmon_stripe_objects (object_id, object_type, version_at, event_id, data)
VALUES ($1, $2, to_timestamp($3), $4, $5::jsonb)
ON CONFLICT (object_id) DO UPDATE SET
  object_type = EXCLUDED.object_type, version_at = EXCLUDED.version_at, event_id = EXCLUDED.event_id, data = EXCLUDED.data`;

const SQL_KNOWN_OBJECTS = `SELECT object_id, data FROM saasmon_stripe_objects WHERE object_id = ANY($1::text[])`;

const SQL_MAP_CUSTOMER = `
INSERT INTO saasmon_stripe_customers (customer_id, tenant_id) VALUES ($1, $2)
ON CONFLICT (customer_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, deleted_at = NULL`;

const SQL_CUSTOMER_TENANT = `SELECT tenant_id FROM saasmon_stripe_customers WHERE customer_id = $1`;

// A new tenant takes the customer's creation as its sign-up; an existing one (made by the app
// through the tracking SDKs) keeps its own, and its name changes only when the customer has one.
const SQL_UPSERT_TENANT = `
INSERT INTO tenants (id, name, plan, segment, acquisition_channel, region, created_at)
VALUES ($1, $2, $3, $4, $5, $6, to_timestamp($7))
ON CONFLICT (id) DO UPDATE SET
  name = CASE WHEN $8::boolean THEN EXCLUDED.name ELSE tenants.name END,
  segment = coalesce(EXCLUDED.segment, tenants.segment),
  acquisition_channel = coalesce(EXCLUDED.acquisition_channel, tenants.acquisition_channel),
  region = coalesce(EXCLUDED.region, tenants.region)`;

const SQL_CUSTOMER_DELETED = `
WITH c AS (UPDATE saasmon_stripe_customers SET deleted_at = to_timestamp($2) WHERE customer_id = $1 RETURNING tenant_id)
UPDATE tenants t SET churned_at = coalesce(t.churned_at, to_timestamp($2)),
  churn_reason = coalesce(t.churn_reason, 'stripe: customer deleted')
FROM c
WHERE t.id = c.tenant_id AND t.churned_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.tenant_id = t.id AND (s.valid_to IS NULL OR s.valid_to > to_timestamp($2)))`;

const SQL_SUBSCRIPTION_ROWS = `
SELECT id, tenant_id, plan, status, amount::text AS amount, interval_months, valid_from, valid_to
FROM subscriptions WHERE starts_with(id, $1) ORDER BY valid_from`;

const SQL_DELETE_ROWS = `DELETE FROM subscriptions WHERE id = ANY($1::text[])`;

const SQL_END_ROW = `UPDATE subscriptions SET valid_to = $2 WHERE id = $1`;

const SQL_INSERT_ROWS = `
INSERT INTO subscriptions (id, tenant_id, plan, status, amount, interval_months, valid_from, valid_to)
SELECT id, tenant_id, plan, status, amount, interval_months, valid_from, valid_to
FROM jsonb_to_recordset($1::jsonb) AS r(id text, tenant_id text, plan text, status text, amount numeric,
     interval_months integer, valid_from timestamptz, valid_to timestamptz)
ON CONFLICT (id) DO UPDATE SET
  tenant_id = EXCLUDED.tenant_id, plan = EXCLUDED.plan, status = EXCLUDED.status, amount = EXCLUDED.amount,
  interval_months = EXCLUDED.interval_months, valid_from = EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to`;

// The tenant's plan is that of its newest row begun by now; it is churned when no row is in
// force now or later (at the end of its last row), and a customer again when one is.
const SQL_REFRESH_TENANT = `
UPDATE tenants t SET
  plan = coalesce((SELECT s.plan FROM subscriptions s WHERE s.tenant_id = t.id AND s.valid_from <= $2
                   ORDER BY s.valid_from DESC LIMIT 1), t.plan),
  churned_at = CASE WHEN live.any THEN NULL ELSE coalesce(t.churned_at, last.ended) END,
  churn_reason = CASE WHEN live.any THEN NULL WHEN last.ended IS NULL THEN t.churn_reason ELSE coalesce(t.churn_reason, $3) END
FROM (SELECT EXISTS (SELECT 1 FROM subscriptions s WHERE s.tenant_id = $1 AND (s.valid_to IS NULL OR s.valid_to > $2)) AS any) live,
     (SELECT max(valid_to) AS ended FROM subscriptions s WHERE s.tenant_id = $1) last
WHERE t.id = $1`;

/** What one event wrote that other parts may wait for. */
interface Touched {
  tenantId?: string;
}

interface RowState {
  id: string;
  tenant_id: string;
  plan: string;
  status: PricedSegment['status'];
  amount: string;
  interval_months: number;
  valid_from: Date;
  valid_to: Date | null;
}

export class StripeApplier {
  constructor(private readonly config: Config) {}

  async apply(pool: Pool, event: StripeEvent, nowMs: number): Promise<ApplyResult> {
    const objectId = event.data.object.id;
    return withTransaction(pool, async (client) => {
      const fresh = await client.query(SQL_RECORD_EVENT, [event.id, event.type, event.created, objectId ?? null]);
      if (fresh.rowCount === 0) return { outcome: 'duplicate', objectId };
      const touched: Touched = {};
      const outcome = await this.dispatch(client, event, nowMs, touched);
      await client.query(SQL_SET_OUTCOME, [event.id, outcome]);
      return { outcome, objectId, tenantId: touched.tenantId };
    });
  }

  private async dispatch(client: PoolClient, event: StripeEvent, nowMs: number, touched: Touched): Promise<StripeOutcome> {
    const obj = event.data.object;
    const [family] = event.type.split('.');
    if (event.type.startsWith('customer.subscription.')) {
      const sub = parseObject(subscriptionSchema, obj, 'subscription');
      if (!(await this.claimVersion(client, sub.id, 'subscription', event))) return 'stale';
      await this.applySubscription(client, sub, event, nowMs, touched);
      return 'applied';
    }
    if (event.type.startsWith('customer.discount.')) {
      const d = parseObject(discountSchema, obj, 'discount');
      if (d.id && !(await this.claimVersion(client, d.id, 'discount', event))) return 'stale';
      return 'recorded';
    }
    if (event.type === 'customer.created' || event.type === 'customer.updated') {
      const c = parseObject(customerSchema, obj, 'customer');
      if (!(await this.claimVersion(client, c.id, 'customer', event))) return 'stale';
      await this.upsertCustomer(client, c, touched);
      return 'applied';
    }
    if (event.type === 'customer.deleted') {
      const c = parseObject(customerSchema, obj, 'customer');
      if (!(await this.claimVersion(client, c.id, 'customer', event))) return 'stale';
      await client.query(SQL_CUSTOMER_DELETED, [c.id, event.created]);
      return 'applied';
    }
    if (family === 'price' || family === 'plan') {
      const p = parseObject(priceSchema, obj, 'price');
      return (await this.claimVersion(client, p.id, 'price', event)) ? 'recorded' : 'stale';
    }
    // Invoices move no MRR (revenue is counted on subscriptions; refunds and one-off charges are
    // not recurring); the subscription's own events carry the status changes invoices cause.
    if (family === 'invoice') return 'recorded';
    return 'ignored';
  }

  /** Locks the object; true when the event is not older than the newest applied, which it then becomes. */
  private async claimVersion(client: PoolClient, id: string, type: string, event: StripeEvent): Promise<boolean> {
    await client.query(SQL_LOCK_OBJECT, [id]);
    const r = await client.query<{ version_at: Date }>(SQL_OBJECT_VERSION, [id]);
    const current = r.rows[0]?.version_at.getTime();
    // Stripe's created has second resolution: events of the same second apply in arrival order.
    if (current !== undefined && current > event.created * 1000) return false;
    await client.query(SQL_SAVE_OBJECT, [id, type, event.created, event.id, JSON.stringify(event.data.object)]);
    return true;
  }

  async upsertCustomer(client: PoolClient, c: StripeCustomer, touched: Touched): Promise<string> {
    const s = this.config.integrations.stripe;
    const tenantId = c.metadata?.[s.tenantIdMetadataKey] || c.id;
    await client.query(SQL_UPSERT_TENANT, [
      tenantId,
      c.name || c.email || c.id,
      s.defaultPlan,
      c.metadata?.segment ?? null,
      c.metadata?.acquisition_channel ?? null,
      c.address?.country ?? c.metadata?.region ?? null,
      c.created,
      !!c.name,
    ]);
    await client.query(SQL_MAP_CUSTOMER, [c.id, tenantId]);
    touched.tenantId = tenantId;
    return tenantId;
  }

  private async tenantOf(client: PoolClient, sub: StripeSubscription, touched: Touched): Promise<string> {
    if (typeof sub.customer === 'object' && (sub.customer as { object?: string }).object === 'customer') {
      return this.upsertCustomer(client, parseObject(customerSchema, sub.customer, 'subscription.customer'), touched);
    }
    const customerId = typeof sub.customer === 'string' ? sub.customer : sub.customer.id;
    const r = await client.query<{ tenant_id: string }>(SQL_CUSTOMER_TENANT, [customerId]);
    const tenantId = r.rows[0]?.tenant_id;
    if (!tenantId) {
      throw new UnmappableError(
        `subscription ${sub.id}: customer ${customerId} is not known yet (its customer.created event has not arrived, Stripe retries this one; or it predates the webhook: run saasmon stripe-backfill)`,
      );
    }
    return tenantId;
  }

  private async pricingContext(client: PoolClient, sub: StripeSubscription): Promise<PricingContext> {
    const ids = [...sub.items.data.map((i) => i.price.id), ...(sub.discounts ?? []).filter((d): d is string => typeof d === 'string')];
    const known = new Map<string, unknown>();
    if (ids.length > 0) {
      for (const row of (await client.query<{ object_id: string; data: unknown }>(SQL_KNOWN_OBJECTS, [ids])).rows)
        known.set(row.object_id, row.data);
    }
    const s = this.config.integrations.stripe;
    return {
      reportingCurrency: this.config.currency,
      currencyRates: s.currencyRates,
      planMetadataKey: s.planMetadataKey,
      pastDueGraceDays: s.pastDueGraceDays,
      knownPrice: (id) => safeParse(priceSchema, known.get(id)) as StripePrice | undefined,
      knownDiscount: (id) => safeParse(discountSchema, known.get(id)) as StripeDiscount | undefined,
    };
  }

  /**
   * A subscription seen for the first time gets the history its fields imply; afterwards each
   * event changes the rows from its own instant on: rows starting later are replaced, the row in
   * force is ended there (or continued when the state did not change) and the new state follows.
   */
  async applySubscription(
    client: PoolClient,
    sub: StripeSubscription,
    event: { created: number },
    nowMs: number,
    touched: Touched,
  ): Promise<void> {
    const tenantId = await this.tenantOf(client, sub, touched);
    const ctx = await this.pricingContext(client, sub);
    const prefix = `${sub.id}@`;
    const rows = (await client.query<RowState>(SQL_SUBSCRIPTION_ROWS, [prefix])).rows;
    const eMs = event.created * 1000;
    let segments: PricedSegment[];
    let fromMs: number;
    if (rows.length === 0) {
      segments = initialSegments(sub, ctx, eMs);
      fromMs = -Infinity;
    } else if (ENDED_STATUSES.has(sub.status)) {
      segments = [];
      const endedAt = sub.status === 'canceled' ? (sub.ended_at ?? sub.canceled_at) : null;
      fromMs = endedAt ? endedAt * 1000 : eMs;
    } else {
      fromMs = eMs;
      segments = pricedSegments(sub, eMs, ctx, pastDueSince(rows, eMs));
    }
    const doomed: string[] = [];
    for (const row of rows) {
      const from = row.valid_from.getTime();
      const to = row.valid_to?.getTime() ?? Infinity;
      if (from >= fromMs) doomed.push(row.id);
      else if (to > fromMs) {
        const first = segments[0];
        if (first && first.fromMs === fromMs && sameState(first, { ...row, intervalMonths: row.interval_months })) {
          // Same priced state: the row in force just continues (no zero-size movement).
          await client.query(SQL_END_ROW, [row.id, first.toMs === null ? null : new Date(first.toMs)]);
          segments = segments.slice(1);
        } else {
          await client.query(SQL_END_ROW, [row.id, new Date(fromMs)]);
        }
      }
    }
    if (doomed.length > 0) await client.query(SQL_DELETE_ROWS, [doomed]);
    const inserts = segments
      .filter((s) => s.toMs === null || s.toMs > s.fromMs)
      .map((s) => ({
        id: `${prefix}${Math.floor(s.fromMs / 1000)}`,
        tenant_id: tenantId,
        plan: s.plan,
        status: s.status,
        amount: s.amount,
        interval_months: s.intervalMonths,
        valid_from: new Date(s.fromMs).toISOString(),
        valid_to: s.toMs === null ? null : new Date(s.toMs).toISOString(),
      }));
    if (inserts.length > 0) await client.query(SQL_INSERT_ROWS, [JSON.stringify(inserts)]);
    const reason = sub.cancellation_details?.reason ? `stripe: ${sub.cancellation_details.reason}` : 'stripe: subscription ended';
    await client.query(SQL_REFRESH_TENANT, [tenantId, new Date(nowMs), reason]);
  }
}

/** Where the past-due run in force at `atMs` began (the grace counts from there), else atMs. */
function pastDueSince(rows: readonly RowState[], atMs: number): number {
  let since = atMs;
  const before = rows.filter((r) => r.valid_from.getTime() < atMs);
  for (let i = before.length - 1; i >= 0; i--) {
    const r = before[i] as RowState;
    const next = before[i + 1];
    const contiguous = next ? r.valid_to?.getTime() === next.valid_from.getTime() : true;
    if (r.status !== 'past_due' || !contiguous) break;
    since = r.valid_from.getTime();
  }
  return since;
}

function parseObject<S extends ZodTypeAny>(schema: S, value: unknown, what: string): z.infer<S> {
  try {
    return schema.parse(value) as z.infer<S>;
  } catch (err) {
    if (err instanceof ZodError) {
      throw new UnmappableError(`${what}: ${err.issues.slice(0, 5).map(describeIssue).join('; ')}`);
    }
    throw err;
  }
}

function safeParse<S extends ZodTypeAny>(schema: S, value: unknown): z.infer<S> | undefined {
  if (value === undefined) return undefined;
  const r = schema.safeParse(value);
  return r.success ? (r.data as z.infer<S>) : undefined;
}
