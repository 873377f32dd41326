import { Counter } from 'prom-client';
import { MetricRegistries } from '../../metrics/self-metrics';

/**
 * Why an ingest item (or a whole body) was refused: a fixed list, so the reason label stays
 * bounded whatever clients send. Routes are fixed by code too (one per ingest route).
 */
export const INGEST_REJECT_REASONS = [
  /** a field failed validation (type, length, text, timestamp, JSON limits, start/end order) */
  'invalid',
  /** a timestamp outside ingest.maxPastDays / ingest.maxFutureSeconds */
  'out_of_range',
  /** tenant_id names no tenant */
  'unknown_tenant',
  /** user_id names a user erased with `saasmon erase-user` */
  'erased_user',
  /** the same id twice in one request */
  'duplicate_id',
  /** Postgres refused a value validation let through (mapped to 400, never a 500) */
  'database_refused',
  /** the body is not JSON, not UTF-8, or not the expected shape at all */
  'bad_body',
  /** the body is over api.maxBodyBytes */
  'too_large',
] as const;
export type IngestRejectReason = (typeof INGEST_REJECT_REASONS)[number];

/** One refused item of a request: where it was, why (bounded) and the message naming the field. */
export interface RejectedItem {
  index: number;
  reason: IngestRejectReason;
  error: string;
}

/** saasmon_ingest_rejected_total{route,reason}: items refused by the ingest API, for every route. */
export class IngestMetrics {
  private readonly counter: Counter<'route' | 'reason'>;

  /** `registers`: where the counter is exposed (the exporter's self-metrics registries); none in unit tests. */
  constructor(registers: MetricRegistries = []) {
    this.counter = new Counter({
      name: 'saasmon_ingest_rejected_total',
      help: 'Ingest items (or whole bodies) refused with a 4xx, by route and reason; nothing of them was stored.',
      labelNames: ['route', 'reason'],
      registers,
    });
  }

  rejected(route: string, reason: IngestRejectReason, count = 1): void {
    if (count > 0) this.counter.inc({ route, reason }, count);
  }

  rejectedItems(route: string, items: readonly Pick<RejectedItem, 'reason'>[]): void {
    for (const item of items) this.rejected(route, item.reason);
  }

  /** The counter's current value (tests and the self-check). */
  async value(route: string, reason: IngestRejectReason): Promise<number> {
    const m = await this.counter.get();
    return m.values.find((v) => v.labels.route === route && v.labels.reason === reason)?.value ?? 0;
  }
}
