import { PanelQuery, Replace, requestBody } from '@saasmon/contract';
import { Counter } from 'prom-client';
import { Compute } from '../../compute/engine';
import { Logger } from '../../logger';
import { MetricRegistries } from '../../metrics/self-metrics';
import { DASHBOARDS } from '../../provisioning';
import { Json } from '../../provisioning/grafana';
import { QueryAdmission } from './admission';
import { AnswerCache, DataVersion, normalisedKey } from './answer-cache';
import { QUERY_TYPES } from './index';

/** One query a provisioned dashboard sends, validated, with its cache key. */
export interface WarmQuery {
  type: string;
  query: { type: string };
  key: string;
  readsSnapshots: boolean;
}

export type WarmResult = 'computed' | 'cached' | 'failed' | 'yielded';

const DATASOURCE_TYPE = 'saasmon-analytics-datasource';
const UNIT_MS: Record<string, number> = { s: 1e3, m: 60e3, h: 3600e3, d: 86_400e3, w: 7 * 86_400e3, M: 30 * 86_400e3, y: 365 * 86_400e3 };

/** "90d", "now-14d": the span in ms (Grafana's relative units; a month is 30 days here). */
function spanMs(relative: string | undefined): number | undefined {
  const m = /^(?:now-)?(\d+)([smhdwMy])$/.exec(relative ?? '');
  return m ? Number(m[1]) * (UNIT_MS[m[2] as string] as number) : undefined;
}

type Target = Json & { queryType?: string; datasource?: { type?: string } };
type Variable = { name: string; current?: { value?: unknown } };

function* panelsOf(panels: unknown): Generator<Json> {
  for (const p of (panels as Json[] | undefined) ?? []) {
    yield p;
    yield* panelsOf(p.panels);
  }
}

/**
 * Grafana's template replacement with a dashboard's saved variable values: "$plan" (or "${plan}")
 * at All stands for no value, so the filter is left out (every plan); an unknown variable stays as
 * written (the schema then refuses the body and the target is not warmed).
 */
function savedValuesReplace(variables: ReadonlyMap<string, unknown>): Replace {
  return (value, _scopedVars, format) =>
    value.replace(/\$\{?(\w+)\}?/g, (written, name: string) => {
      if (!variables.has(name)) return written;
      const current = variables.get(name);
      const list = Array.isArray(current) ? current.map(String) : current === undefined ? [] : [String(current)];
      const values = list.includes('$__all') ? [] : list;
      return typeof format === 'function' ? format(values) : values.join(',');
    });
}

/**
 * The queries of the provisioned dashboards (provisioning/dashboards/json, from the generator in
 * src/provisioning) at their default time range ending at `nowMs` and their saved variable values,
 * validated by each type's schema, each once.
 */
export function dashboardWarmQueries(nowMs: number, dashboards: ReadonlyArray<{ json: Json }> = DASHBOARDS): WarmQuery[] {
  const byType = new Map(QUERY_TYPES.map((q) => [q.type as string, q]));
  const out = new Map<string, WarmQuery>();
  for (const { json } of dashboards) {
    const variables = new Map(
      ((json.templating as { list?: Variable[] } | undefined)?.list ?? []).map((v) => [v.name, v.current?.value] as const),
    );
    const replace = savedValuesReplace(variables);
    const dashboardSpan = spanMs((json.time as { from?: string } | undefined)?.from);
    for (const panel of panelsOf(json.panels)) {
      const span = spanMs(panel.timeFrom as string | undefined) ?? dashboardSpan ?? 86_400e3;
      const range = { from: new Date(nowMs - span).toISOString(), to: new Date(nowMs).toISOString() };
      for (const t of (panel.targets as Target[] | undefined) ?? []) {
        if (t.datasource?.type !== DATASOURCE_TYPE || !t.queryType) continue;
        const qt = byType.get(t.queryType);
        const body = qt && requestBody(t as PanelQuery, range, replace, undefined);
        const parsed = body && qt.schema.safeParse(body);
        if (!qt || !parsed?.success) continue;
        const key = normalisedKey(parsed.data);
        out.set(key, { type: qt.type, query: parsed.data as { type: string }, key, readsSnapshots: qt.readsCollectorSnapshots === true });
      }
    }
  }
  return [...out.values()];
}

const RESULTS: readonly WarmResult[] = ['computed', 'cached', 'failed', 'yielded'];

/** saasmon_query_warm_runs_total{result}, one counter per registry (see ApiMetrics for why). */
export class WarmMetrics {
  private readonly runs: Array<Counter<'result'>>;

  constructor(registers: MetricRegistries) {
    this.runs = registers.map((registry) => {
      const c = new Counter({
        name: 'saasmon_query_warm_runs_total',
        help: 'Dashboard queries re-run in the background after the data changed, by result: computed (a new answer cached), cached (the cache still held it), failed, or yielded (left for later because people were querying).',
        labelNames: ['result'],
        registers: [registry],
      });
      for (const result of RESULTS) c.inc({ result }, 0);
      return c;
    });
  }

  record(counts: Record<WarmResult, number>): void {
    for (const c of this.runs) for (const result of RESULTS) if (counts[result] > 0) c.inc({ result }, counts[result]);
  }
}

export interface WarmerDeps {
  cache: AnswerCache;
  admission: QueryAdmission;
  compute: Pick<Compute, 'query'>;
  dataVersion: () => Promise<DataVersion>;
  nowMs: () => number;
  log: Logger;
  /** The queries to keep warm, built at each round (their ranges end at the round's clock). */
  queries?: (nowMs: number) => WarmQuery[];
  registers?: MetricRegistries;
}

/**
 * Keeps the provisioned dashboards' answers in the answer cache: after the data version changes
 * (any committed write: ingest, compaction, a new collector snapshot), re-runs each dashboard query
 * through the same cache, one at a time, on an expensive-query slot only while one is free beyond
 * the one kept for people and nobody waits (else it stops and tries again next round). It is no
 * token: nothing is counted against per-token limits. docs/architecture.md "Answer cache".
 */
export class AnswerWarmer {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private warmed?: DataVersion;
  private readonly metrics: WarmMetrics;

  constructor(private readonly deps: WarmerDeps) {
    this.metrics = new WarmMetrics(deps.registers ?? []);
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      this.running ??= this.round()
        .then(() => undefined)
        .catch((err: unknown) => this.deps.log.warn('answer warming failed', { error: (err as Error).message }))
        .finally(() => {
          this.running = undefined;
        });
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One round: nothing when the data has not changed since the last complete one. */
  async round(): Promise<Record<WarmResult, number>> {
    const counts: Record<WarmResult, number> = { computed: 0, cached: 0, failed: 0, yielded: 0 };
    const version = await this.deps.dataVersion();
    if (this.warmed && this.warmed.wal === version.wal && this.warmed.snapshotVersion === version.snapshotVersion) return counts;
    const nowMs = this.deps.nowMs();
    for (const q of (this.deps.queries ?? dashboardWarmQueries)(nowMs)) {
      const release = this.deps.admission.tryBackground();
      if (!release) {
        counts.yielded++;
        break;
      }
      try {
        const { lookup } = await this.deps.cache.get(
          q.key,
          q.readsSnapshots,
          async () => version,
          this.deps.nowMs,
          () => this.deps.compute.query(q.type, q.query, nowMs),
        );
        counts[lookup === 'hit' ? 'cached' : 'computed']++;
      } catch (err) {
        counts.failed++;
        this.deps.log.debug('warming a dashboard query failed', { type: q.type, error: (err as Error).message });
      } finally {
        release();
      }
    }
    this.metrics.record(counts);
    // Complete: not again until the data moves. Yielded or failed: the next round tries again.
    if (counts.yielded === 0 && counts.failed === 0) this.warmed = version;
    return counts;
  }
}
