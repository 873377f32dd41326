import { Pool } from 'pg';
import { allCollectors } from '../collectors';
import { Collector, CollectContext } from '../collectors/collector';
import { LatestTenantHealth } from '../collectors/latest-tenant-health';
import { LatestChurnRisk } from '../collectors/latest-churn-risk';
import { Config } from '../config/schema';
import { createPool, ParallelReads, Queryable, withReadOnly } from '../db/pool';
import { QUERY_TYPES } from '../api/query/index';
import { QueryAnswer } from '../api/query/frames';
import { Logger } from '../logger';
import { MetricFamily } from '../metrics/family';
import { PreparedExposition, prepareExposition } from '../metrics/prepared';
import { Report } from '../reports/report';
import { Rendered, renderForSending } from '../reports/senders';

/** A query answer as JSON text, fresh and as the cache serves it (its age filled in at serve time). */
export interface AnswerText {
  fresh: string;
  /** The same answer with `meta.stats` "answer age" in every frame, its value AGE_PLACEHOLDER. */
  aged: string;
}

/** What the serving thread asks of the computing side, wherever it runs. */
export interface Compute {
  collect(name: string, nowMs: number): Promise<PreparedExposition>;
  query(type: string, query: { type: string }, nowMs: number): Promise<AnswerText>;
  /** Renders a scheduled report for sending (HTML with PNG charts, Markdown). */
  renderReport(report: Report): Promise<Rendered>;
  close(): Promise<void>;
}

export const AGE_PLACEHOLDER = '"__saasmon_answer_age_seconds__"';

/**
 * The CPU-heavy half of the exporter: collector runs and their shaping, query runs (funnel and
 * retention decoding included), exposition rendering and gzip, answer serialisation. It owns the
 * reading pools (collectors, query), and renders scheduled reports (charts rasterised by resvg). The service runs it in a worker thread so that none of this
 * blocks the thread that answers scrapes, health checks and ingest (docs/architecture.md).
 */
export class ComputeEngine implements Compute {
  readonly latestTenantHealth = new LatestTenantHealth();
  readonly latestChurnRisk = new LatestChurnRisk();
  private readonly collectors: Map<string, Collector>;
  private readonly collectorPool: Pool;
  private readonly queryPool: Pool;
  /** Light queries' own connections: they never wait behind expensive ones, nor share their priority. */
  private readonly lightPool: Pool;
  private readonly monitoredPool?: Pool;
  private readonly queryTypes = new Map(QUERY_TYPES.map((q) => [q.type as string, q]));

  constructor(
    private readonly config: Config,
    private readonly log: Logger,
    collectors: readonly Collector[] = allCollectors(this.latestTenantHealth, log, this.latestChurnRisk),
  ) {
    this.collectors = new Map(collectors.map((c) => [c.name, c]));
    this.collectorPool = createPool(config, 'collectors');
    this.queryPool = createPool(config, 'query');
    this.lightPool = createPool(config, 'light');
    // With a replica, the primary's WAL archiver and replication are read on the primary.
    const monitoredUrl = config.database.monitoredUrl ?? (config.database.readUrl ? config.database.url : undefined);
    this.monitoredPool = monitoredUrl ? createPool(config, 'collectors', monitoredUrl) : undefined;
  }

  /** Runs one collector in its read-only transaction and prepares its part of the exposition. */
  async collect(name: string, nowMs: number): Promise<PreparedExposition> {
    const collector = this.collectors.get(name);
    if (!collector) throw new Error(`no collector named ${name}`);
    const now = new Date(nowMs);
    const families = await withReadOnly(this.collectorPool, (client) =>
      this.withMonitored(collector, { db: client, now, config: this.config }),
    );
    return prepareExposition(families);
  }

  /**
   * Runs a validated query in its read-only transaction (a light one: its reads side by side on
   * the light pool, see ParallelReads); returns the answer as JSON text.
   */
  async query(type: string, query: { type: string }, nowMs: number): Promise<AnswerText> {
    const qt = this.queryTypes.get(type);
    if (!qt) throw new Error(`no query type ${type}`);
    const ctx = { config: this.config, now: new Date(nowMs), tenantHealth: this.latestTenantHealth, churnRisk: this.latestChurnRisk };
    const answer: QueryAnswer =
      qt.cost === 'light'
        ? await qt.run(query, { ...ctx, db: new ParallelReads(this.lightPool) })
        : await withReadOnly(this.queryPool, (db) => qt.run(query, { ...ctx, db }));
    const fresh = JSON.stringify(answer);
    const stat = { displayName: 'answer age', value: '__AGE__', unit: 's' };
    const aged = JSON.stringify({
      ...answer,
      frames: answer.frames.map((f) => ({ ...f, meta: { ...f.meta, stats: [stat] } })),
    }).replaceAll('"__AGE__"', AGE_PLACEHOLDER);
    return { fresh, aged };
  }

  async renderReport(report: Report): Promise<Rendered> {
    return renderForSending(report);
  }

  async close(): Promise<void> {
    await Promise.all([this.collectorPool.end(), this.queryPool.end(), this.lightPool.end(), this.monitoredPool?.end()]);
  }

  /**
   * Gives the monitored database only to collectors that read it. When that server cannot be
   * reached, the collector still runs: its reads there fail and only what they would have told is
   * left out, while the SaaS database's numbers are reported as usual.
   */
  private async withMonitored(collector: Collector, ctx: CollectContext): Promise<MetricFamily[]> {
    const monitoredPool = this.monitoredPool;
    if (!monitoredPool || !collector.readsMonitoredDb) return collector.collect(ctx);
    let reached = false;
    try {
      return await withReadOnly(monitoredPool, (monitored) => {
        reached = true;
        return collector.collect({ ...ctx, monitoredDb: monitored });
      });
    } catch (err) {
      if (reached) throw err;
      const reason = (err as Error).message;
      this.log.warn('monitored database unreachable', { collector: collector.name, error: reason });
      const unreachable: Queryable = { query: () => Promise.reject(new Error(`monitored database unreachable: ${reason}`)) };
      return collector.collect({ ...ctx, monitoredDb: unreachable });
    }
  }
}
