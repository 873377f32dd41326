import { Pool } from 'pg';
import { Config } from '../../../config/schema';
import { eventSchema, StripeEvent } from './objects';
import { StripeApplier } from './apply';
import { UnmappableError } from './pricing';
import { StripeOutcome } from '../integration-metrics';

/**
 * History from a Stripe export: the JSON of the list endpoints (/v1/customers,
 * /v1/subscriptions?status=all, /v1/prices, /v1/events), one list per file or several in an array
 * or an object of lists. Each listed object is applied as its state at `asOf` (when the export was
 * taken), so a webhook event older than the export is stale; events are applied in creation order
 * exactly as the webhook would (their ids make a later webhook delivery a duplicate), after the
 * customers and before the subscriptions' current state, which lands on top of their history.
 */

export interface BackfillSummary {
  objects: number;
  outcomes: Partial<Record<StripeOutcome, number>>;
  refused: Array<{ id: string; reason: string }>;
  skipped: Array<{ id: string; object: string }>;
}

/** Pseudo event types for objects listed without an event: each maps to the event that carries it. */
const OBJECT_EVENT_TYPES: Record<string, string> = {
  price: 'price.updated',
  plan: 'plan.updated',
  discount: 'customer.discount.updated',
  customer: 'customer.updated',
  subscription: 'customer.subscription.updated',
};
const ORDER = ['price', 'plan', 'discount', 'customer', 'subscription'];

type StripeObject = { id?: string; object?: string; created?: number; deleted?: boolean } & Record<string, unknown>;

function collect(value: unknown, out: StripeObject[]): void {
  if (Array.isArray(value)) {
    for (const v of value) collect(v, out);
    return;
  }
  if (!value || typeof value !== 'object') return;
  const o = value as StripeObject;
  if (o.object === 'list' && Array.isArray(o.data)) return collect(o.data, out);
  if (typeof o.object === 'string') {
    out.push(o);
    return;
  }
  for (const v of Object.values(o)) collect(v, out);
}

export async function backfillStripe(pool: Pool, config: Config, input: unknown, asOfMs: number, nowMs: number): Promise<BackfillSummary> {
  const applier = new StripeApplier(config);
  const all: StripeObject[] = [];
  collect(input, all);
  const summary: BackfillSummary = { objects: all.length, outcomes: {}, refused: [], skipped: [] };
  const count = (o: StripeOutcome) => (summary.outcomes[o] = (summary.outcomes[o] ?? 0) + 1);
  const asOf = Math.floor(asOfMs / 1000);

  const events: StripeEvent[] = [];
  for (const o of all.filter((x) => x.object === 'event')) {
    const parsed = eventSchema.safeParse(o);
    if (parsed.success) events.push(parsed.data);
    else summary.refused.push({ id: String(o.id ?? '?'), reason: 'not a Stripe event object' });
  }
  events.sort((a, b) => a.created - b.created);
  const snapshots: StripeEvent[] = [];
  for (const kind of ORDER) {
    for (const o of all.filter((x) => x.object === kind).sort((a, b) => (a.created ?? 0) - (b.created ?? 0))) {
      if (!o.id) {
        summary.refused.push({ id: '?', reason: `${kind} without an id` });
        continue;
      }
      snapshots.push({
        id: `backfill:${o.id}:${asOf}`,
        object: 'event',
        type: o.deleted ? `${kind}.deleted` : (OBJECT_EVENT_TYPES[kind] as string),
        created: asOf,
        data: { object: o as StripeEvent['data']['object'] },
      });
    }
  }
  for (const o of all)
    if (o.object !== 'event' && !ORDER.includes(o.object as string))
      summary.skipped.push({ id: String(o.id ?? '?'), object: String(o.object) });

  // Customers (and prices, discounts) first, so that the events' subscriptions find their tenant;
  // the subscriptions' current state last, on top of the history the events give.
  const isSubscription = (e: StripeEvent) => e.data.object.object === 'subscription';
  for (const e of [...snapshots.filter((x) => !isSubscription(x)), ...events, ...snapshots.filter(isSubscription)]) {
    try {
      count((await applier.apply(pool, e, nowMs)).outcome);
    } catch (err) {
      if (!(err instanceof UnmappableError)) throw err;
      count('refused');
      summary.refused.push({ id: (e.data.object.id as string | undefined) ?? e.id, reason: err.message });
    }
  }
  return summary;
}
