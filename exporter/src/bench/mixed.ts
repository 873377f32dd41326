import { Client } from 'pg';
import { COLLECTOR_NAMES, ConfigInput } from '../config/schema';
import { ExporterProcess } from '../harness/exporter-process';
import { AS_A_SERVICE } from './as-a-service';
import { autocannon, AutocannonResult, dashboardQueries, figures, HEADERS, LoadFigures, tokenConfig } from './load';
import { startFloorServer } from './floor-server';
import { PacedJob, pacedElsewhere } from './paced-elsewhere';
import { usersLoad } from './users';
import { summarize, Summary } from './stats';

// Serving apart from computing (issue 12), all sides in one exporter process at once:
//  - mixed: every collector refreshing back to back (interval 1 s), 50 users cycling the dashboard
//    query mix, ingest at a fixed rate into the same schema, and Prometheus-like scrapes of
//    /metrics (OpenMetrics, gzip) at a fixed rate; with the answer cache on and off;
//  - first answers: the dashboard's queries right after the exporter starts (cold);
//  - starvation: four expensive queries kept in flight for a window; light queries (dr_status) and
//    collectors timed against a quiet baseline; how the expensive ones end.
// Events ingested here get ids `mixed-<run>-n` and land in the scale's schema at the real clock's
// instant (after the data's `now`, outside every benchmark query's range).

const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

export interface MixedFigures {
  name: string;
  metrics: LoadFigures;
  /** /healthz at the same rate: no work at all, the floor the machine and the serving thread give. */
  healthz: LoadFigures;
  /** A server that does nothing, in a process of its own, at the same rate: the machine's floor (bench/floor-server.ts). */
  floor: LoadFigures;
  queries: LoadFigures;
  ingest: LoadFigures;
  /** Collectors whose last run failed, at the end of the window. */
  collectorsFailing: string[];
  /** Wall time of each collector's last run, from /metrics at the end. */
  collectorSeconds: Record<string, number>;
  /** The serving thread's event-loop delay over the window (saasmon_exporter_event_loop_delay_seconds). */
  eventLoop: LoopDelayFigures;
  /** Query API answers by how the answer cache answered (saasmon_query_cache_requests_total), warm-up included. */
  cacheLookups: Record<string, number>;
  /** The same, by query type: which types people waited for (`shared`, `miss`). */
  cacheLookupsByType: Record<string, Record<string, number>>;
}

/** From the delay histogram's buckets: upper bounds (the bucket the quantile falls in), in ms. */
export interface LoopDelayFigures {
  samples: number;
  p99AtMostMs: number;
  maxAtMostMs: number;
}

/** Cumulative bucket counts of saasmon_exporter_event_loop_delay_seconds, by upper bound in seconds. */
async function loopDelayBuckets(url: string): Promise<Map<number, number>> {
  const text = await (await fetch(`${url}/metrics`, { headers: { accept: 'text/plain' } })).text();
  const buckets = new Map<number, number>();
  for (const line of text.split('\n')) {
    const m = /^saasmon_exporter_event_loop_delay_seconds_bucket\{le="([^"]+)"\} (\S+)/.exec(line);
    if (m) buckets.set(m[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(m[1]), Number(m[2]));
  }
  return buckets;
}

/** The delay figures of the samples taken between two readings of the buckets. */
export function loopDelayBetween(before: Map<number, number>, after: Map<number, number>): LoopDelayFigures {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const delta = bounds.map((le) => ({ le, n: (after.get(le) ?? 0) - (before.get(le) ?? 0) }));
  const samples = delta.at(-1)?.n ?? 0;
  const atMost = (q: number) => 1000 * (delta.find((d) => d.n >= q * samples)?.le ?? Number.NaN);
  return { samples, p99AtMostMs: atMost(0.99), maxAtMostMs: atMost(1) };
}

export interface MixedOptions {
  databaseUrl: string;
  schema: string;
  now: Date;
  durationSeconds: number;
  ingestRate: number;
  cache: boolean;
}

function exporterConfig(extra: ConfigInput = {}): ConfigInput {
  return {
    ...extra,
    api: {
      tokens: tokenConfig.map((t) => ({ ...t, scopes: [...t.scopes] })),
      rateLimit: { requestsPerSecond: 100_000, burst: 100_000 },
      ...(extra.api ?? {}),
    },
  };
}

/**
 * The answers' staleness bound in the mixed scenario. At L, with collectors refreshing back to
 * back on two cores, a dashboard query takes 3-10 s to compute: a bound below twice that cannot
 * be met by refreshing ahead, and every answer becomes a wait for a computation. 30 s is a
 * dashboard's usual refresh interval; the served answers carry their age (`Age`, frame meta).
 */
export const MIXED_MAX_STALE_SECONDS = Number(process.env.BENCH_MAX_STALE_SECONDS ?? 30);

const everyCollectorBackToBack = Object.fromEntries(COLLECTOR_NAMES.map((c) => [c, { intervalSeconds: 1 }]));

async function owners(url: string, schema: string): Promise<Array<{ tenant: string; user: string }>> {
  const c = new Client({ connectionString: url, options: `-c search_path=${schema}` });
  await c.connect();
  try {
    const { rows } = await c.query<{ tenant: string; user: string }>(
      'SELECT tenant_id AS tenant, id AS user FROM users WHERE deleted_at IS NULL ORDER BY id LIMIT 1000',
    );
    return rows;
  } finally {
    await c.end();
  }
}

async function countIds(url: string, schema: string, prefix: string): Promise<number> {
  const c = new Client({ connectionString: url, options: `-c search_path=${schema}` });
  await c.connect();
  try {
    return Number((await c.query('SELECT count(*) AS n FROM events WHERE id LIKE $1', [`${prefix}-%`])).rows[0].n);
  } finally {
    await c.end();
  }
}

/** Per collector: the last run's seconds, and which failed; answers by cache result; read from /metrics. */
async function collectorState(url: string): Promise<{
  failing: string[];
  seconds: Record<string, number>;
  lookups: Record<string, number>;
  lookupsByType: Record<string, Record<string, number>>;
}> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const seconds: Record<string, number> = {};
  const failing: string[] = [];
  const lookups: Record<string, number> = {};
  const lookupsByType: Record<string, Record<string, number>> = {};
  for (const line of text.split('\n')) {
    const l = /^saasmon_query_cache_requests_total\{([^}]*)\} (\S+)/.exec(line);
    const result = l && /result="([a-z]+)"/.exec(l[1] as string)?.[1];
    const type = l && /type="([a-z_]+)"/.exec(l[1] as string)?.[1];
    if (l && result && type) {
      lookups[result] = (lookups[result] ?? 0) + Number(l[2]);
      (lookupsByType[type] ??= {})[result] = Number(l[2]);
    }
    const d = /^saasmon_collector_duration_seconds\{collector="([a-z_]+)"\} (\S+)/.exec(line);
    if (d) seconds[d[1] as string] = Number(d[2]);
    const f = /^saasmon_collector_success\{collector="([a-z_]+)"\} 0$/.exec(line);
    if (f) failing.push(f[1] as string);
  }
  return { failing, seconds, lookups, lookupsByType };
}

export async function benchMixed(o: MixedOptions): Promise<MixedFigures> {
  const run = `mixed-${Date.now().toString(36)}`;
  const proc = await ExporterProcess.create(
    o.databaseUrl,
    o.schema,
    exporterConfig({
      collectors: everyCollectorBackToBack,
      api: { answerCache: { enabled: o.cache, maxStaleSeconds: MIXED_MAX_STALE_SECONDS }, maxConcurrentQueriesPerToken: 50 },
    }),
    AS_A_SERVICE,
  );
  await proc.start();
  try {
    const batchSize = 100;
    const bodies = dashboardQueries(o.now).map((q) => JSON.stringify(q));
    // Warm-up, not measured: the first snapshot of every collector, pool connections, the JIT, the
    // first answer to each query (the cold cost is measured apart: cache off, first answers).
    // Each connection goes through the whole list (autocannon starts every one at its first body).
    await autocannon({
      url: proc.url,
      connections: 6,
      amount: 6 * bodies.length,
      requests: bodies.map((body) => ({ method: 'POST', path: '/api/v1/query', headers: HEADERS, body })),
    });
    const loopBefore = await loopDelayBuckets(proc.url);
    // Scrapes, health checks and ingest arrive at a constant rate, evenly spaced (bench/paced.ts:
    // autocannon's overallRate would send each second's requests in one burst at its start); the
    // scrapes and the ingest each from a process of their own. The 50 users are a closed loop in
    // a process of their own at a lower priority (bench/users.ts).
    const ingestOwners = await owners(o.databaseUrl, o.schema);
    const floorServer = await startFloorServer();
    const scrape = (url: string, path: string, headers: Record<string, string> = {}): PacedJob => ({
      url,
      rate: 40,
      connections: 4,
      durationSeconds: o.durationSeconds,
      requests: [{ method: 'GET', path, headers }],
    });
    const [[metrics, healthz, floor], queries, ingest] = await Promise.all([
      // As Prometheus: a process (and session) of its own (bench/paced-elsewhere.ts).
      pacedElsewhere([
        scrape(proc.url, '/metrics', { accept: PROMETHEUS_ACCEPT, 'accept-encoding': 'gzip' }),
        scrape(proc.url, '/healthz'),
        scrape(floorServer.url, '/'),
      ]).finally(() => floorServer.stop()) as Promise<[AutocannonResult, AutocannonResult, AutocannonResult]>,
      usersLoad({
        url: proc.url,
        connections: 50,
        duration: o.durationSeconds,
        requests: bodies.map((body) => ({ method: 'POST', path: '/api/v1/query', headers: HEADERS, body })),
      }),
      // As the product's servers: a process of their own.
      pacedElsewhere([
        {
          url: proc.url,
          rate: o.ingestRate / batchSize,
          connections: 20,
          durationSeconds: o.durationSeconds,
          eventBatches: { runId: run, batchSize, owners: ingestOwners, headers: HEADERS },
        },
      ]).then(([result]) => result as AutocannonResult),
    ]);
    const eventLoop = loopDelayBetween(loopBefore, await loopDelayBuckets(proc.url));
    // The API process sends its counters every second.
    await new Promise((r) => setTimeout(r, 2_000));
    const endState = await collectorState(proc.url);
    const ingestFigures = figures(`ingest ${o.ingestRate} events/s`, ingest, batchSize);
    ingestFigures.verified = (await countIds(o.databaseUrl, o.schema, run)) >= ingest['2xx'] * batchSize;
    return {
      name: `mixed, answer cache ${o.cache ? 'on' : 'off'}`,
      metrics: figures('/metrics (OpenMetrics, gzip, 40/s)', metrics),
      healthz: figures('/healthz (40/s)', healthz),
      floor: figures('a server that does nothing (40/s)', floor),
      queries: figures('query API, 50 users, dashboard mix', queries),
      ingest: ingestFigures,
      collectorsFailing: endState.failing,
      collectorSeconds: endState.seconds,
      eventLoop,
      cacheLookups: endState.lookups,
      cacheLookupsByType: endState.lookupsByType,
    };
  } finally {
    // BENCH_PROFILE_GRACE_MS: time to write a profile asked for with NODE_OPTIONS=--cpu-prof.
    await proc.stop(Number(process.env.BENCH_PROFILE_GRACE_MS ?? 0));
  }
}

export interface FirstAnswer {
  type: string;
  ms: number;
  status: number;
}

/** Each dashboard query once, all at once, right after the exporter answers /healthz (cold). */
export async function benchFirstAnswers(databaseUrl: string, schema: string, now: Date): Promise<FirstAnswer[]> {
  const proc = await ExporterProcess.create(databaseUrl, schema, exporterConfig(), AS_A_SERVICE);
  await proc.start();
  try {
    return await Promise.all(
      dashboardQueries(now).map(async (q) => {
        const t0 = performance.now();
        const r = await fetch(`${proc.url}/api/v1/query`, { method: 'POST', headers: HEADERS, body: JSON.stringify(q) });
        await r.arrayBuffer();
        return { type: (q as { type: string }).type, ms: performance.now() - t0, status: r.status };
      }),
    );
  } finally {
    await proc.stop();
  }
}

export interface StarvationFigures {
  statementTimeoutMs: number;
  drStatusQuiet: Summary;
  drStatusDuring: Summary;
  drStatusFailures: number;
  collectorSecondsQuiet: Record<string, number>;
  collectorSecondsDuring: Record<string, number>;
  /** How long the four were kept in flight (each sent again as soon as it ended). */
  windowMs: number;
  /** Every attempt of the expensive queries, in the order they ended. */
  pathological: Array<{ query: string; status: number; ms: number }>;
}

/** Four expensive queries, each different (no sharing), over the whole history. */
function pathologicalQueries(now: Date): Array<Record<string, unknown>> {
  const to = now.toISOString();
  const from = new Date(now.getTime() - 540 * 86_400_000).toISOString();
  return [
    { type: 'feature_adoption', from, to, top: 200 },
    { type: 'funnel', from, to, steps: ['login', 'dashboard.viewed', 'report.created', 'report.exported', 'invite.sent'], windowDays: 90 },
    { type: 'retention', from, to, interval: 'day', periods: 52 },
    { type: 'active_users', from, to },
  ];
}

async function timeDrStatus(url: string, until: () => boolean, min: number): Promise<{ times: number[]; failures: number }> {
  const times: number[] = [];
  let failures = 0;
  while (times.length + failures < min || !until()) {
    const t0 = performance.now();
    const r = await fetch(`${url}/api/v1/query`, { method: 'POST', headers: HEADERS, body: JSON.stringify({ type: 'dr_status' }) });
    await r.arrayBuffer();
    if (r.status === 200) times.push(performance.now() - t0);
    else failures++;
    await new Promise((res) => setTimeout(res, 50));
  }
  return { times, failures };
}

export async function benchStarvation(
  databaseUrl: string,
  schema: string,
  now: Date,
  statementTimeoutMs: number,
  windowMs: number,
): Promise<StarvationFigures> {
  const proc = await ExporterProcess.create(
    databaseUrl,
    schema,
    exporterConfig({ database: { statementTimeoutMs }, collectors: everyCollectorBackToBack, api: { answerCache: { enabled: false } } }),
    AS_A_SERVICE,
  );
  await proc.start();
  try {
    await new Promise((res) => setTimeout(res, 3_000)); // every collector has run
    const quiet = await timeDrStatus(proc.url, () => true, 20);
    const collectorSecondsQuiet = (await collectorState(proc.url)).seconds;
    // Four clients keep one expensive query each in flight for the whole window, as people who
    // press "refresh" again would: the light queries and the collectors are timed under that
    // pressure, not just while the first four last.
    const start = performance.now();
    const over = () => performance.now() - start >= windowMs;
    const attempts: StarvationFigures['pathological'] = [];
    const pathological = Promise.all(
      pathologicalQueries(now).map(async (q) => {
        do {
          const t0 = performance.now();
          const r = await fetch(`${proc.url}/api/v1/query`, { method: 'POST', headers: HEADERS, body: JSON.stringify(q) });
          await r.arrayBuffer();
          attempts.push({ query: `${q.type as string}`, status: r.status, ms: performance.now() - t0 });
        } while (!over());
      }),
    );
    const during = await timeDrStatus(proc.url, over, 20);
    const collectorSecondsDuring = (await collectorState(proc.url)).seconds;
    await pathological;
    return {
      statementTimeoutMs,
      drStatusQuiet: summarize(quiet.times),
      drStatusDuring: summarize(during.times),
      drStatusFailures: quiet.failures + during.failures,
      collectorSecondsQuiet,
      collectorSecondsDuring,
      windowMs,
      pathological: attempts,
    };
  } finally {
    await proc.stop();
  }
}
