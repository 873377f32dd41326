import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { parseConfig } from '../config/load';
import { DEFAULT_SEED } from '../demo';
import { Scale, SCALES } from '../demo/scales';
import { benchCollectors, CollectorFigures } from './collectors';
import { ensureDataset, Dataset } from './dataset';
import { benchMetricsEndpoint, benchQueries, MetricsFigures, QueryFigures } from './exporter';
import { benchIngestLoad, benchQueryLoad, LoadFigures } from './load';
import { benchFirstAnswers, benchMixed, benchStarvation, FirstAnswer, MixedFigures, StarvationFigures } from './mixed';
import { AnalyticsFigure, analyticsReport, benchAnalyticsQueries } from './analytics';
import { ms, summarize, table } from './stats';
import { databaseInOneCpuGroup } from './database-cpu-group';

// `npm run bench`: demo data at each scale of BENCH_SCALES (default S,M,L) in schemas bench_s/m/l
// of DATABASE_URL (default: database saasmon_bench on the local Postgres), then collector refresh
// times, /metrics latency with refreshes running, exporter RSS, and the retention and funnel
// queries of the API against naive SQL. Prints a table; writes bench-results/latest.json.
//
// Then the load benchmark (issue 6): ingest at a fixed rate and flat out into schema bench_ingest,
// and the query API under 50 concurrent users on each scale's data.
//
// Environment: BENCH_SCALES, BENCH_SEED, BENCH_REFRESH_RUNS (5), BENCH_METRICS_SECONDS (10),
// BENCH_QUERY_RUNS (20), BENCH_NAIVE_RUNS (20; 5 at L), BENCH_ANALYTICS_RUNS (20; 0 skips the analytics
// query types), BENCH_LOAD_SECONDS (20; 0 skips the load
// benchmark), BENCH_INGEST_RATE (5000 events/s).
//
// Then serving apart from computing (issue 12), per scale: the mixed scenario with the answer
// cache on and off, and on once more with the database in one CPU group where the benchmark can
// arrange it (bench/database-cpu-group.ts); the first answers after start, the starvation case
// (bench/mixed.ts).
// BENCH_MIXED_SECONDS (20; 0 skips them), BENCH_STARVATION_TIMEOUT_MS (1000: the statement timeout
// that ends expensive queries there), BENCH_STARVATION_WINDOW_MS (10000: how long they are kept in
// flight). BENCH_PARTS=mixed runs only these. Each scale's part ends
// with the issue's targets, each met or not (docs/benchmarks.md).

const LOCAL_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const LOCAL_DATABASE = 'saasmon_bench';

interface ScaleResult {
  scale: Scale;
  schema: string;
  dataNow: string;
  loadSeconds: number;
  reused: boolean;
  rows: Record<string, number>;
  collectors: CollectorFigures;
  metrics: MetricsFigures;
  queries: QueryFigures;
  queryLoad?: LoadFigures;
  serving: ServingResult;
  analytics?: { trainSeconds: number; figures: AnalyticsFigure[] };
}

/** Issue 12's scenarios at one scale. */
interface ServingResult {
  scale: Scale;
  schema: string;
  dataNow: string;
  rows: Record<string, number>;
  mixed?: MixedFigures[];
  /** The mixed scenario (answer cache on) again, the database in one CPU group (bench/database-cpu-group.ts). */
  mixedDatabaseGrouped?: MixedFigures;
  /** Why that run was not made, when it was not. */
  databaseNotGrouped?: string;
  firstAnswers?: FirstAnswer[];
  starvation?: StarvationFigures;
}

function envInt(name: string, fallback: number, zeroAllowed = false): number {
  const raw = process.env[name];
  const v = Number(raw);
  if (raw === undefined || raw === '' || !Number.isFinite(v)) return fallback;
  return v > 0 || (zeroAllowed && v === 0) ? Math.floor(v) : fallback;
}

async function databaseUrl(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const admin = new Client({ connectionString: LOCAL_ADMIN_URL });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [LOCAL_DATABASE]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${LOCAL_DATABASE}`);
  } finally {
    await admin.end();
  }
  const url = new URL(LOCAL_ADMIN_URL);
  url.pathname = `/${LOCAL_DATABASE}`;
  return url.toString();
}

const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

async function benchServing(url: string, scale: Scale, data: Dataset): Promise<ServingResult> {
  const base = { scale, schema: data.schema, dataNow: data.now.toISOString(), rows: data.rows };
  const seconds = envInt('BENCH_MIXED_SECONDS', 20, true);
  if (seconds === 0) return base;
  const rate = envInt('BENCH_INGEST_RATE', 5_000);
  const mixed: MixedFigures[] = [];
  for (const cache of [true, false]) {
    log(
      `${data.schema}: mixed (collectors back to back, 50 users, ingest ${rate}/s, scrapes), answer cache ${cache ? 'on' : 'off'}, ${seconds} s`,
    );
    mixed.push(
      await benchMixed({ databaseUrl: url, schema: data.schema, now: data.now, durationSeconds: seconds, ingestRate: rate, cache }),
    );
  }
  const grouping = await databaseInOneCpuGroup(url);
  let mixedDatabaseGrouped: MixedFigures | undefined;
  if ('grouped' in grouping) {
    log(`${data.schema}: mixed, answer cache on, the database in one CPU group (as a service manager runs it), ${seconds} s`);
    try {
      const m = await benchMixed({
        databaseUrl: url,
        schema: data.schema,
        now: data.now,
        durationSeconds: seconds,
        ingestRate: rate,
        cache: true,
      });
      mixedDatabaseGrouped = { ...m, name: `${m.name}, the database in one CPU group` };
    } finally {
      grouping.grouped.release();
    }
  } else log(`${data.schema}: the database stays as it runs: ${grouping.notGrouped}`);
  log(`${data.schema}: first answers after start`);
  const firstAnswers = await benchFirstAnswers(url, data.schema, data.now);
  log(`${data.schema}: starvation (4 expensive queries in flight)`);
  const starvation = await benchStarvation(
    url,
    data.schema,
    data.now,
    envInt('BENCH_STARVATION_TIMEOUT_MS', 1_000),
    envInt('BENCH_STARVATION_WINDOW_MS', 10_000),
  );
  return {
    ...base,
    mixed,
    mixedDatabaseGrouped,
    databaseNotGrouped: 'notGrouped' in grouping ? grouping.notGrouped : undefined,
    firstAnswers,
    starvation,
  };
}

async function benchScale(url: string, scale: Scale, seed: number): Promise<ScaleResult> {
  const data: Dataset = await ensureDataset(url, scale, seed, log);
  const config = parseConfig({ database: { url, schema: data.schema } });
  log(`${data.schema}: collectors (${envInt('BENCH_REFRESH_RUNS', 5)} full refreshes each way)`);
  const collectors = await benchCollectors(config, data.now, envInt('BENCH_REFRESH_RUNS', 5));
  log(`${data.schema}: /metrics under load with continuous refreshes`);
  const metrics = await benchMetricsEndpoint(url, data.schema, envInt('BENCH_METRICS_SECONDS', 10));
  const naiveRuns = envInt('BENCH_NAIVE_RUNS', scale === 'L' ? 5 : 20);
  log(`${data.schema}: retention and funnel, API vs naive SQL`);
  const queries = await benchQueries(url, data.schema, data.now, envInt('BENCH_QUERY_RUNS', 20), naiveRuns);
  const analyticsRuns = envInt('BENCH_ANALYTICS_RUNS', 20, true);
  let analytics: ScaleResult['analytics'];
  if (analyticsRuns > 0) {
    log(`${data.schema}: analytics query types (issue 18), ${analyticsRuns} runs each`);
    analytics = await benchAnalyticsQueries(url, data.schema, data.now, analyticsRuns);
  }
  const loadSeconds = envInt('BENCH_LOAD_SECONDS', 20, true);
  let queryLoad: LoadFigures | undefined;
  if (loadSeconds > 0) {
    log(`${data.schema}: query API under 50 concurrent users for ${loadSeconds} s`);
    [queryLoad] = await benchQueryLoad({ databaseUrl: url, schema: data.schema, now: data.now, durationSeconds: loadSeconds });
  }
  const serving = await benchServing(url, scale, data);
  return {
    serving,
    queryLoad,
    analytics,
    scale,
    schema: data.schema,
    dataNow: data.now.toISOString(),
    loadSeconds: data.loadSeconds,
    reused: data.reused,
    rows: data.rows,
    collectors,
    metrics,
    queries,
  };
}

/** Latencies of answers that were not 200 measure nothing: say so instead. */
function apiFigure(c: QueryFigures['retention']): string {
  return c.apiStatus === 200 ? `${ms(c.api.p50)} / ${ms(c.api.p95)}` : `FAILED (HTTP ${c.apiStatus})`;
}

function report(results: readonly ScaleResult[]): string {
  const col = (f: (r: ScaleResult) => string) => results.map(f);
  const rows: string[][] = [
    ['tenants / users', ...col((r) => `${r.rows.tenants} / ${r.rows.users}`)],
    ['events', ...col((r) => String(r.rows.events))],
    ['load (fresh)', ...col((r) => `${r.loadSeconds.toFixed(1)} s${r.reused ? ' (reused)' : ''}`)],
    ['refresh sequential p50 / p95', ...col((r) => `${ms(r.collectors.sequential.p50)} / ${ms(r.collectors.sequential.p95)}`)],
    ['refresh together p50 / p95', ...col((r) => `${ms(r.collectors.together.p50)} / ${ms(r.collectors.together.p95)}`)],
    ...(results[0]?.collectors.perCollector ?? []).map((c, i) => [
      `  ${c.name} p50`,
      ...col((r) => {
        const x = r.collectors.perCollector[i];
        return x?.failures ? `FAILED x${x.failures}` : ms(x?.p50 ?? Number.NaN);
      }),
    ]),
    ['/metrics p50 / p99', ...col((r) => `${ms(r.metrics.p50Ms)} / ${ms(r.metrics.p99Ms)}`)],
    ['/metrics req/s (failures)', ...col((r) => `${r.metrics.requestsPerSecond} (${r.metrics.failures})`)],
    ['exporter RSS (all its processes)', ...col((r) => (r.metrics.rssBytes ? `${Math.round(r.metrics.rssBytes / 1_048_576)} MiB` : '-'))],
    ['retention API first answer', ...col((r) => ms(r.queries.retention.apiFirstMs))],
    ['retention API p50 / p95', ...col((r) => apiFigure(r.queries.retention))],
    ['retention naive p50 / p95', ...col((r) => `${ms(r.queries.retention.naive.p50)} / ${ms(r.queries.retention.naive.p95)}`)],
    ['retention speed-up', ...col((r) => `${r.queries.retention.speedup.toFixed(1)}x`)],
    ['funnel API first answer', ...col((r) => ms(r.queries.funnel.apiFirstMs))],
    ['funnel API p50 / p95', ...col((r) => apiFigure(r.queries.funnel))],
    ['funnel naive p50 / p95', ...col((r) => `${ms(r.queries.funnel.naive.p50)} / ${ms(r.queries.funnel.naive.p95)}`)],
    ['funnel speed-up', ...col((r) => `${r.queries.funnel.speedup.toFixed(1)}x`)],
    ['query API at 50 users: req/s', ...col((r) => (r.queryLoad ? String(r.queryLoad.requestsPerSecond) : '-'))],
    ['query API at 50 users: p50 / p99', ...col((r) => (r.queryLoad ? `${ms(r.queryLoad.p50Ms)} / ${ms(r.queryLoad.p99Ms)}` : '-'))],
    ['query API at 50 users: errors', ...col((r) => (r.queryLoad ? String(r.queryLoad.non2xx + r.queryLoad.errors) : '-'))],
  ];
  return table(['', ...col((r) => `scale ${r.scale}`)], rows);
}

function servingReport(results: readonly ServingResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    if (!r.mixed) continue;
    const fig = (f: LoadFigures) =>
      `${f.requestsPerSecond}/s${f.eventsPerSecond ? ` (${f.eventsPerSecond} events/s)` : ''}, p50 ${ms(f.p50Ms)}, p99 ${ms(f.p99Ms)}, max ${ms(f.maxMs)}, non-2xx ${f.non2xx}, errors ${f.errors}${f.verified === undefined ? '' : `, all acknowledged stored: ${f.verified ? 'yes' : 'NO'}`}`;
    lines.push(`\nscale ${r.scale} (${r.schema}), serving apart from computing`);
    for (const m of [...r.mixed, ...(r.mixedDatabaseGrouped ? [r.mixedDatabaseGrouped] : [])]) {
      lines.push(`  ${m.name}`);
      lines.push(`    /metrics: ${fig(m.metrics)}`);
      lines.push(`    /healthz: ${fig(m.healthz)}`);
      lines.push(`    floor (a server that does nothing, same rate, same moment): ${fig(m.floor)}`);
      lines.push(`    queries:  ${fig(m.queries)}`);
      lines.push(`    ingest:   ${fig(m.ingest)}`);
      lines.push(
        `    serving thread's event-loop delay: p99 <= ${ms(m.eventLoop.p99AtMostMs)}, max <= ${ms(m.eventLoop.maxAtMostMs)} (${m.eventLoop.samples} samples every 20 ms; bucket bounds)`,
      );
      lines.push(
        `    collectors' last run: ${Object.entries(m.collectorSeconds)
          .map(([c, v]) => `${c} ${ms(v * 1000)}`)
          .join(', ')}; failing: ${m.collectorsFailing.join(', ') || 'none'}`,
      );
      const lookups = Object.entries(m.cacheLookups);
      if (lookups.length > 0) lines.push(`    answers by cache result: ${lookups.map(([k, v]) => `${k} ${v}`).join(', ')}`);
      const waited = Object.entries(m.cacheLookupsByType)
        .map(([type, r]) => [type, (r.shared ?? 0) + (r.miss ?? 0)] as const)
        .filter(([, n]) => n > 0);
      if (waited.length > 0)
        lines.push(`    answers waited for (shared or miss), by type: ${waited.map(([t, n]) => `${t} ${n}`).join(', ')}`);
    }
    lines.push(
      `  first answers after start: ${(r.firstAnswers ?? []).map((a) => `${a.type} ${a.status === 200 ? ms(a.ms) : `HTTP ${a.status}`}`).join(', ')}`,
    );
    const s = r.starvation;
    if (s) {
      lines.push(
        `  starvation (statement timeout ${s.statementTimeoutMs} ms): dr_status quiet p50 ${ms(s.drStatusQuiet.p50)} / p95 ${ms(s.drStatusQuiet.p95)}, with 4 expensive in flight p50 ${ms(s.drStatusDuring.p50)} / p95 ${ms(s.drStatusDuring.p95)} (${s.drStatusDuring.runs} runs, ${s.drStatusFailures} failures)`,
      );
      lines.push(
        `    collectors quiet: ${Object.entries(s.collectorSecondsQuiet)
          .map(([c, v]) => `${c} ${ms(v * 1000)}`)
          .join(', ')}`,
      );
      lines.push(
        `    collectors during: ${Object.entries(s.collectorSecondsDuring)
          .map(([c, v]) => `${c} ${ms(v * 1000)}`)
          .join(', ')}`,
      );
      lines.push(`    expensive queries over ${ms(s.windowMs)}: ${pathologicalOutcomes(s)}`);
    }
    lines.push(`  targets (stated for scale L; ${r.scale === 'L' ? 'this is L' : `shown at ${r.scale} for reference`}):`);
    for (const t of targets(r)) lines.push(`    ${t.met ? 'met    ' : 'NOT met'}  ${t.target}: ${t.measured}`);
    if (r.mixedDatabaseGrouped) {
      lines.push('  the mixed targets again, the database in one CPU group (as a service manager runs it):');
      for (const t of mixedTargets(r.mixedDatabaseGrouped)) lines.push(`    ${t.met ? 'met    ' : 'NOT met'}  ${t.target}: ${t.measured}`);
    } else if (r.databaseNotGrouped) lines.push(`  (no run with the database in one CPU group: ${r.databaseNotGrouped})`);
  }
  return lines.join('\n');
}

type Target = { target: string; measured: string; met: boolean };

/** Issue 12's targets, each met or not by this scale's runs (the mixed run with the answer cache on, as the machine runs the database). */
function targets(r: ServingResult): Target[] {
  const m = r.mixed?.find((x) => x.name.endsWith('on'));
  return [...(m ? mixedTargets(m) : []), ...(r.starvation ? starvationTargets(r.starvation) : [])];
}

/** The mixed scenario's targets. */
function mixedTargets(m: MixedFigures): Target[] {
  // A latency of no answer at all is no latency: nothing answered within the window is not met.
  const none = (f: LoadFigures) => (f.ok === 0 ? 'no answer within the window' : undefined);
  return [
    {
      target: '/metrics p99 <= 10 ms',
      measured: `${none(m.metrics) ?? ms(m.metrics.p99Ms)} (the machine's floor then: p99 ${ms(m.floor.p99Ms)})`,
      met: m.metrics.ok > 0 && m.metrics.p99Ms <= 10,
    },
    {
      target: 'query API >= 200 answers/s',
      measured: `${m.queries.requestsPerSecond}/s`,
      met: m.queries.requestsPerSecond >= 200,
    },
    {
      target: 'query API p99 <= 500 ms',
      measured: none(m.queries) ?? ms(m.queries.p99Ms),
      met: m.queries.ok > 0 && m.queries.p99Ms <= 500,
    },
    {
      target: 'query API 0 errors',
      measured: `${m.queries.non2xx} non-2xx, ${m.queries.errors} errors`,
      met: m.queries.non2xx + m.queries.errors === 0,
    },
    { target: 'ingest p99 <= 100 ms', measured: none(m.ingest) ?? ms(m.ingest.p99Ms), met: m.ingest.ok > 0 && m.ingest.p99Ms <= 100 },
    {
      target: 'every acknowledged event stored',
      measured: `${m.ingest.verified ? 'yes' : 'NO'} (${m.ingest.ok} batches acknowledged)`,
      met: m.ingest.ok > 0 && m.ingest.verified === true,
    },
  ];
}

/** The starvation case's targets. */
function starvationTargets(s: StarvationFigures): Target[] {
  const ended = s.pathological.filter((p) => p.status === 503 || p.status === 504).length;
  const slower = Object.entries(s.collectorSecondsDuring).filter(
    ([c, v]) => v > 2 * (s.collectorSecondsQuiet[c] ?? Number.POSITIVE_INFINITY) + 0.5,
  );
  return [
    {
      target: 'starvation: the 4 pathological queries end with 503/504',
      measured: `${ended} of ${s.pathological.length} attempts (${pathologicalOutcomes(s)})${
        s.pathological.some((p) => p.status === 200)
          ? '; an answer within the statement timeout is not pathological at this scale (BENCH_STARVATION_TIMEOUT_MS)'
          : ''
      }`,
      met: ended === s.pathological.length,
    },
    // "Normal latency": within twice the quiet p95 plus 20 ms of scheduling noise (a loaded machine).
    {
      target: 'starvation: light queries keep their latency (p95 <= 2x quiet + 20 ms, no failures)',
      measured: `${ms(s.drStatusQuiet.p95)} quiet, ${ms(s.drStatusDuring.p95)} during, ${s.drStatusFailures} failures`,
      met: s.drStatusFailures === 0 && s.drStatusDuring.p95 <= 2 * s.drStatusQuiet.p95 + 20,
    },
    {
      target: 'starvation: collectors keep their run time (<= 2x quiet + 0.5 s)',
      measured: slower.length ? `slower: ${slower.map(([c]) => c).join(', ')}` : 'all within',
      met: slower.length === 0,
    },
  ];
}

/** "funnel 504 ×9 (1.0 s), ..." : each expensive query's attempts by status, with their median time. */
function pathologicalOutcomes(s: StarvationFigures): string {
  const byQuery = new Map<string, Map<number, number[]>>();
  for (const p of s.pathological) {
    const statuses = byQuery.get(p.query) ?? new Map<number, number[]>();
    statuses.set(p.status, [...(statuses.get(p.status) ?? []), p.ms]);
    byQuery.set(p.query, statuses);
  }
  return [...byQuery.entries()]
    .map(([query, statuses]) =>
      [...statuses.entries()].map(([status, times]) => `${query} ${status} ×${times.length} (p50 ${ms(summarize(times).p50)})`).join(', '),
    )
    .join(', ');
}

function ingestReport(figures: readonly LoadFigures[]): string {
  return table(
    ['ingest', 'events/s', 'req/s', 'p50', 'p99', 'max', 'non-2xx', 'errors', 'all acknowledged stored'],
    figures.map((f) => [
      f.name,
      String(f.eventsPerSecond ?? '-'),
      String(f.requestsPerSecond),
      ms(f.p50Ms),
      ms(f.p99Ms),
      ms(f.maxMs),
      String(f.non2xx),
      String(f.errors),
      f.verified ? 'yes' : 'NO',
    ]),
  );
}

async function main(): Promise<void> {
  const scales = (process.env.BENCH_SCALES ?? SCALES.join(','))
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean) as Scale[];
  const bad = scales.filter((s) => !SCALES.includes(s));
  if (bad.length) throw new Error(`BENCH_SCALES: unknown scale ${bad.join(', ')}; use ${SCALES.join(',')}`);
  const seed = envInt('BENCH_SEED', DEFAULT_SEED);
  const url = await databaseUrl();
  if (process.env.BENCH_PARTS === 'mixed') {
    const serving: ServingResult[] = [];
    for (const scale of scales) serving.push(await benchServing(url, scale, await ensureDataset(url, scale, seed, log)));
    console.log(servingReport(serving));
    write({ ranAt: new Date().toISOString(), seed, node: process.version, serving });
    return;
  }
  const results: ScaleResult[] = [];
  for (const scale of scales) results.push(await benchScale(url, scale, seed));
  const loadSeconds = envInt('BENCH_LOAD_SECONDS', 20, true);
  let ingest: LoadFigures[] = [];
  if (loadSeconds > 0) {
    const rate = envInt('BENCH_INGEST_RATE', 5_000);
    log(`bench_ingest: ingest at ${rate} events/s for ${loadSeconds} s, then flat out`);
    ingest = await benchIngestLoad({ databaseUrl: url, eventsPerSecond: rate, durationSeconds: loadSeconds });
  }
  console.log(report(results));
  if (ingest.length) console.log(`\n${ingestReport(ingest)}`);
  for (const r of results) if (r.analytics) console.log(`\n${analyticsReport(r.scale, r.analytics)}`);
  console.log(servingReport(results.map((r) => r.serving)));
  write({ ranAt: new Date().toISOString(), seed, node: process.version, results, ingest });
}

function write(json: unknown): void {
  const dir = resolve(__dirname, '../../bench-results');
  mkdirSync(dir, { recursive: true });
  const file = resolve(dir, 'latest.json');
  writeFileSync(file, JSON.stringify(json, null, 2));
  console.log(`\nwritten: ${file}`);
}

main().catch((err: unknown) => {
  console.error(`bench: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
