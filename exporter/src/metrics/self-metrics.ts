import {
  AggregatorRegistry,
  collectDefaultMetrics,
  Counter,
  Gauge,
  MetricObjectWithValues,
  MetricValue,
  OpenMetricsContentType,
  PrometheusContentType,
  Registry,
} from 'prom-client';
import { ApiMetrics } from '../server/api-metrics';
import { RenderedSnapshot } from './exposition';
import { MetricDescriptor, MetricType } from './family';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- package.json sits outside rootDir
export const VERSION: string = (require('../../package.json') as { version: string }).version;

/** Registries of both exposition formats, as prom-client metrics take them. */
export type MetricRegistries = Array<Registry<PrometheusContentType> | Registry<OpenMetricsContentType>>;

/**
 * The exporter's own health, rendered at scrape time (a few dozen lines). prom-client's default
 * process metrics come along under their usual names (process_*, nodejs_*).
 */
export class SelfMetrics {
  private readonly text = new Registry();
  private readonly om = new Registry<typeof Registry.OPENMETRICS_CONTENT_TYPE>();
  private readonly up: Gauge;
  private readonly success: Gauge<'collector'>;
  private readonly duration: Gauge<'collector'>;
  private readonly lastSuccess: Gauge<'collector'>;
  private readonly compactionSuccess: Gauge;
  private readonly compactionLastSuccess: Gauge;
  private readonly deltasFolded: Counter[];
  /** Requests and latency of the exporter's own APIs, and answer-cache lookups. */
  readonly api: ApiMetrics;
  /** Metrics of other processes of this exporter (the API processes), merged in at scrape time. */
  private external: () => Array<Array<MetricObjectWithValues<MetricValue<string>>>> = () => [];

  constructor(options: { processMetrics?: boolean } = {}) {
    this.om.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    const registers = [this.text, this.om];
    this.up = new Gauge({
      name: 'saasmon_up',
      help: 'Whether the last connection probe of the SaaS database (SELECT 1, every database.probeIntervalSeconds) succeeded (1) or failed (0).',
      registers,
    });
    this.success = new Gauge({
      name: 'saasmon_collector_success',
      help: 'Whether the last run of a collector succeeded (1) or failed (0).',
      labelNames: ['collector'],
      registers,
    });
    this.duration = new Gauge({
      name: 'saasmon_collector_duration_seconds',
      help: 'Wall time of the last run of a collector, in seconds.',
      labelNames: ['collector'],
      registers,
    });
    this.lastSuccess = new Gauge({
      name: 'saasmon_collector_last_success_timestamp_seconds',
      help: 'Unix time of the last successful run of a collector.',
      labelNames: ['collector'],
      registers,
    });
    this.compactionSuccess = new Gauge({
      name: 'saasmon_rollup_compaction_success',
      help: 'Whether the last fold of event deltas into the day rollups succeeded (1) or failed (0).',
      registers,
    });
    this.compactionLastSuccess = new Gauge({
      name: 'saasmon_rollup_compaction_last_success_timestamp_seconds',
      help: 'Unix time of the last successful fold of event deltas into the day rollups.',
      registers,
    });
    // One Counter per registry: prom-client's OpenMetrics render renames a counter in place (drops
    // _total), so a Counter shared with the text registry would lose its _total there.
    this.deltasFolded = [this.text, this.om].map(
      (registry) =>
        new Counter({
          name: 'saasmon_rollup_deltas_folded_total',
          help: 'Event delta rows folded into the day rollups by this process.',
          registers: [registry],
        }),
    );
    new Gauge({
      name: 'saasmon_build_info',
      help: 'saasmon build information; always 1.',
      labelNames: ['version'],
      registers,
    }).set({ version: VERSION }, 1);
    this.api = new ApiMetrics(registers);
    this.up.set(0);
    if (options.processMetrics ?? true) {
      collectDefaultMetrics({ register: this.text });
      collectDefaultMetrics({ register: this.om });
    }
  }

  recordRun(collector: string, ok: boolean, durationSeconds: number, finishedAtMs: number): void {
    this.success.set({ collector }, ok ? 1 : 0);
    this.duration.set({ collector }, durationSeconds);
    if (ok) this.lastSuccess.set({ collector }, finishedAtMs / 1000);
  }

  /** saasmon_up: the health probe's verdict, not any collector's (their failures stay in saasmon_collector_success). */
  recordProbe(ok: boolean): void {
    this.up.set(ok ? 1 : 0);
  }

  recordCompaction(ok: boolean, folded: number, finishedAtMs: number): void {
    this.compactionSuccess.set(ok ? 1 : 0);
    if (ok) {
      this.compactionLastSuccess.set(finishedAtMs / 1000);
      for (const c of this.deltasFolded) c.inc(folded);
    }
  }

  /** Where other parts of the exporter register their own metrics (both exposition formats). */
  registries(): MetricRegistries {
    return [this.text, this.om];
  }

  /** The self metrics as declared above (process_* and nodejs_* left out), for the metric catalog. */
  static descriptors(): MetricDescriptor<string>[] {
    return new SelfMetrics({ processMetrics: false }).text.getMetricsAsArray().map((m) => ({
      name: m.name,
      help: m.help,
      type: String(m.type) as MetricType,
      labelNames: (m as { labelNames?: string[] }).labelNames ?? [],
    }));
  }

  /** Merges the metrics other processes send (their registries' JSON) into every render. */
  mergeFrom(external: () => Array<Array<MetricObjectWithValues<MetricValue<string>>>>): void {
    this.external = external;
  }

  /** Both formats, one after the other (see renderFormat). */
  async render(): Promise<RenderedSnapshot> {
    return { text: await this.renderFormat('text'), openMetrics: await this.renderFormat('openMetrics') };
  }

  /**
   * One format, at scrape time (counters of the APIs count up to the scrape). prom-client's
   * OpenMetrics rendering renames a counter in place (drops `_total`), which would break every
   * later text rendering of a counter registered in both registries: the names are put back.
   */
  async renderFormat(format: 'text' | 'openMetrics'): Promise<string> {
    const external = this.external();
    if (external.length > 0) {
      // Families both processes have (saasmon_http_requests_total...) add up, as in a cluster; a
      // family of one process only keeps its values ('sum' of one: prom-client would omit some).
      // prom-client's OpenMetrics render adds `_total` to a counter's samples itself.
      const om = format === 'openMetrics';
      const prepare = (ms: Array<MetricObjectWithValues<MetricValue<string>>>) =>
        ms.map((m) => ({
          ...m,
          name: om && String(m.type) === 'counter' ? m.name.replace(/_total$/, '') : m.name,
          aggregator: 'sum' as const,
        }));
      const merged = AggregatorRegistry.aggregate([prepare(await this.text.getMetricsAsJSON()), ...external.map(prepare)]);
      if (om) merged.setContentType(Registry.OPENMETRICS_CONTENT_TYPE as never);
      return merged.metrics();
    }
    if (format === 'text') return this.text.metrics();
    const counters = this.om.getMetricsAsArray().filter((m) => (m as unknown as { type: string }).type === 'counter') as unknown as Array<{
      name: string;
    }>;
    const names = counters.map((c) => c.name);
    try {
      return await this.om.metrics();
    } finally {
      counters.forEach((c, i) => (c.name = names[i] as string));
    }
  }
}
