import { Config, CollectorName } from '../config/schema';
import { Queryable } from '../db/pool';
import { MetricDescriptor, MetricFamily } from '../metrics/family';

export interface CollectContext {
  /** A client inside a READ ONLY repeatable-read transaction: one consistent view per run. */
  db: Queryable;
  /** The evaluation instant T; SQL takes it as a parameter, never now(), so tests are exact. */
  now: Date;
  config: Config;
  /** Optional second connection to the monitored database (WAL archiver, replication). */
  monitoredDb?: Queryable;
}

export interface Collector {
  name: CollectorName;
  /** Used when config.collectors[name].intervalSeconds is not set. */
  defaultIntervalSeconds: number;
  /** Set when the collector reads ctx.monitoredDb (the WAL archiver, replication); others never get it. */
  readsMonitoredDb?: boolean;
  /** Every family the collector can export: the metric catalog (metrics/catalog.ts) is built from these. */
  metrics: readonly MetricDescriptor<string>[];
  collect(ctx: CollectContext): Promise<MetricFamily[]>;
}
