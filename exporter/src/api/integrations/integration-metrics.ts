import { Counter, Gauge } from 'prom-client';
import { MetricRegistries } from '../../metrics/self-metrics';

/** Stripe event types counted by name; any other type is counted as "other" (the label stays bounded). */
export const COUNTED_STRIPE_TYPES = new Set([
  'customer.created',
  'customer.updated',
  'customer.deleted',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'customer.subscription.paused',
  'customer.subscription.resumed',
  'customer.subscription.trial_will_end',
  'customer.discount.created',
  'customer.discount.updated',
  'customer.discount.deleted',
  'invoice.paid',
  'invoice.payment_failed',
  'invoice.created',
  'invoice.finalized',
  'price.created',
  'price.updated',
  'price.deleted',
]);

export type StripeOutcome = 'applied' | 'duplicate' | 'stale' | 'recorded' | 'ignored' | 'refused';
export type StripeRejection = 'signature' | 'timestamp' | 'malformed' | 'unmappable';
export type TrackingSource = 'posthog' | 'segment';
export type TrackingOutcome = 'stored' | 'duplicate' | 'ignored' | 'rejected' | 'replayed';

/**
 * The integrations' own metrics, on the exporter's self registry: what arrived, what was refused
 * and why (fixed reason codes, never free text), and how far behind the senders are.
 */
export class IntegrationMetrics {
  private readonly stripeEvents: Counter<'type' | 'outcome'>;
  private readonly stripeRejected: Counter<'reason'>;
  private readonly stripeLag: Gauge;
  private readonly trackingEvents: Counter<'source' | 'outcome'>;
  private readonly trackingRejected: Counter<'source' | 'reason'>;
  private readonly trackingLag: Gauge<'source'>;

  constructor(registers: MetricRegistries = []) {
    this.stripeEvents = new Counter({
      name: 'saasmon_stripe_webhook_events_total',
      help: 'Stripe webhook events received with a valid signature, by event type and outcome.',
      labelNames: ['type', 'outcome'],
      registers,
    });
    this.stripeRejected = new Counter({
      name: 'saasmon_stripe_webhook_rejected_total',
      help: 'Stripe webhook requests refused, by reason (signature, timestamp, malformed, unmappable).',
      labelNames: ['reason'],
      registers,
    });
    this.stripeLag = new Gauge({
      name: 'saasmon_stripe_webhook_lag_seconds',
      help: 'Seconds between the creation of the last Stripe event processed and its processing.',
      registers,
    });
    this.trackingEvents = new Counter({
      name: 'saasmon_tracking_events_total',
      help: 'Messages received from the PostHog / Segment SDKs, by source and outcome.',
      labelNames: ['source', 'outcome'],
      registers,
    });
    this.trackingRejected = new Counter({
      name: 'saasmon_tracking_rejected_total',
      help: 'Tracking messages refused (kept in saasmon_tracking_rejections), by source and reason.',
      labelNames: ['source', 'reason'],
      registers,
    });
    this.trackingLag = new Gauge({
      name: 'saasmon_tracking_lag_seconds',
      help: 'Seconds between the newest message timestamp of the last tracking batch and its commit.',
      labelNames: ['source'],
      registers,
    });
  }

  stripeEvent(type: string, outcome: StripeOutcome, createdAtMs?: number, nowMs = Date.now()): void {
    this.stripeEvents.inc({ type: COUNTED_STRIPE_TYPES.has(type) ? type : 'other', outcome });
    if (createdAtMs !== undefined) this.stripeLag.set(Math.max(0, (nowMs - createdAtMs) / 1000));
  }

  stripeRejection(reason: StripeRejection): void {
    this.stripeRejected.inc({ reason });
  }

  tracking(source: TrackingSource, outcome: TrackingOutcome, n = 1): void {
    if (n > 0) this.trackingEvents.inc({ source, outcome }, n);
  }

  trackingRejection(source: TrackingSource, reason: string): void {
    this.trackingRejected.inc({ source, reason });
  }

  trackingLagSeconds(source: TrackingSource, seconds: number): void {
    this.trackingLag.set({ source }, Math.max(0, seconds));
  }
}
