import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { COLLECTOR_NAMES, ConfigInput } from '../config/schema';
import { ExporterProcess } from '../harness/exporter-process';
import { AS_A_SERVICE } from './as-a-service';
import { NAIVE_FUNNEL_SQL, NAIVE_RETENTION_SQL } from './naive-sql';
import { repeat, summarize, Summary, timed } from './stats';

interface AutocannonResult {
  latency: { p50: number; p99: number; max: number };
  requests: { average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- autocannon ships no types
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<AutocannonResult>;

const TOKEN = randomBytes(24).toString('hex');
const TOKENS = [{ name: 'bench', sha256: createHash('sha256').update(TOKEN).digest('hex'), scopes: ['query' as const] }];
const NO_RATE_LIMIT = { requestsPerSecond: 100_000, burst: 100_000 };
const DAY_MS = 86_400_000;

export const FUNNEL_STEPS = ['login', 'dashboard.viewed', 'report.created', 'report.exported'];

export interface MetricsFigures {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  requestsPerSecond: number;
  failures: number;
  /** Resident memory of the exporter's processes (serving and API processes) after refreshes ran during the test. */
  rssBytes: number | undefined;
  ready: boolean;
}

async function waitReady(url: string, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const r = await fetch(`${url}/ready`).catch(() => undefined);
    if (r?.status === 200) return true;
    await new Promise((res) => setTimeout(res, 500));
  }
  return false;
}

/**
 * /metrics latency under autocannon while every collector refreshes back to back (interval 1 s,
 * never overlapping itself), then the resident memory of the exporter's processes.
 */
export async function benchMetricsEndpoint(url: string, schema: string, seconds: number): Promise<MetricsFigures> {
  const collectors = Object.fromEntries(COLLECTOR_NAMES.map((n) => [n, { intervalSeconds: 1 }]));
  const proc = await ExporterProcess.create(url, schema, { collectors } as ConfigInput, AS_A_SERVICE);
  await proc.start();
  try {
    // A collector that fails (or is still a stub) keeps the exporter unready: measure anyway.
    const ready = await waitReady(proc.url, 120_000);
    const r = await autocannon({ url: `${proc.url}/metrics`, connections: 10, duration: seconds });
    const rss = proc.residentBytes();
    return {
      p50Ms: r.latency.p50,
      p99Ms: r.latency.p99,
      maxMs: r.latency.max,
      requestsPerSecond: Math.round(r.requests.average),
      failures: r.non2xx + r.errors + r.timeouts,
      rssBytes: rss,
      ready,
    };
  } finally {
    await proc.stop();
  }
}

export interface QueryComparison {
  /** The first answer after the exporter started (cold: JIT, buffers); not among the measured runs. */
  apiFirstMs: number;
  api: Summary;
  naive: Summary;
  /** naive p50 / API p50 */
  speedup: number;
  apiStatus: number;
  /** Funnel step counts both ways (the naive SQL counts first attempts, the API best attempts). */
  apiSteps?: number[];
  naiveSteps?: number[];
}

export interface QueryFigures {
  retention: QueryComparison;
  funnel: QueryComparison;
}

async function postQuery(baseUrl: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${baseUrl}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json().catch(() => undefined) };
}

/** The `users` column of the funnel frame, if the answer has one. */
function funnelUsers(json: unknown): number[] | undefined {
  const frame = (json as { frames?: Array<{ fields?: Array<{ name: string; values: number[] }> }> })?.frames?.[0];
  return frame?.fields?.find((f) => f.name === 'users')?.values;
}

/**
 * The 12-week weekly retention matrix and a 4-step funnel over 30 days, through POST
 * /api/v1/query (collectors off, so they do not compete), against the naive SQL on raw events.
 */
export async function benchQueries(url: string, schema: string, now: Date, apiRuns: number, naiveRuns: number): Promise<QueryFigures> {
  const off = Object.fromEntries(COLLECTOR_NAMES.map((n) => [n, { enabled: false }]));
  const proc = await ExporterProcess.create(
    url,
    schema,
    {
      collectors: off,
      api: { tokens: TOKENS, rateLimit: NO_RATE_LIMIT },
    } as ConfigInput,
    AS_A_SERVICE,
  );
  await proc.start();
  const twelveWeeksAgo = new Date(now.getTime() - 84 * DAY_MS);
  const thirtyDaysAgo = new Date(now.getTime() - 30 * DAY_MS);
  const retentionBody = { type: 'retention', from: twelveWeeksAgo.toISOString(), to: now.toISOString(), interval: 'week', periods: 12 };
  const funnelBody = { type: 'funnel', from: thirtyDaysAgo.toISOString(), to: now.toISOString(), steps: FUNNEL_STEPS, windowDays: 14 };
  const db = new Client({ connectionString: url, options: `-c search_path=${schema}` });
  await db.connect();
  try {
    let retentionStatus = 0;
    let funnelStatus = 0;
    let apiSteps: number[] | undefined;
    // The first answers are timed on their own and, with one more each, not measured: the
    // figures are for an exporter that has been running, as it is in use. The naive SQL gets one
    // unmeasured run too, so both read warm buffers.
    const retentionFirst = (await timed(() => postQuery(proc.url, retentionBody))).ms;
    const funnelFirst = (await timed(() => postQuery(proc.url, funnelBody))).ms;
    await postQuery(proc.url, retentionBody);
    await postQuery(proc.url, funnelBody);
    await db.query(NAIVE_RETENTION_SQL, [twelveWeeksAgo, now, now, 12]);
    await db.query(NAIVE_FUNNEL_SQL, [...FUNNEL_STEPS, thirtyDaysAgo, now]);
    const retentionApi = await repeat(apiRuns, async () => {
      retentionStatus = (await postQuery(proc.url, retentionBody)).status;
    });
    const funnelApi = await repeat(apiRuns, async () => {
      const r = await postQuery(proc.url, funnelBody);
      funnelStatus = r.status;
      apiSteps = funnelUsers(r.json);
    });
    let naiveSteps: number[] | undefined;
    const retentionNaive = await repeat(naiveRuns, () => db.query(NAIVE_RETENTION_SQL, [twelveWeeksAgo, now, now, 12]));
    const funnelNaive = await repeat(naiveRuns, async () => {
      const r = await db.query<Record<string, string>>(NAIVE_FUNNEL_SQL, [...FUNNEL_STEPS, thirtyDaysAgo, now]);
      const row = r.rows[0] ?? {};
      naiveSteps = ['step1', 'step2', 'step3', 'step4'].map((k) => Number(row[k]));
    });
    const compare = (first: number, api: number[], naive: number[], status: number): QueryComparison => {
      const a = summarize(api);
      const n = summarize(naive);
      return { apiFirstMs: first, api: a, naive: n, speedup: n.p50 / a.p50, apiStatus: status };
    };
    return {
      retention: compare(retentionFirst, retentionApi, retentionNaive, retentionStatus),
      funnel: { ...compare(funnelFirst, funnelApi, funnelNaive, funnelStatus), apiSteps, naiveSteps },
    };
  } finally {
    await db.end();
    await proc.stop();
  }
}
