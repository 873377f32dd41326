import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { migrate } from '../db/migrate';
import { ExporterProcess } from '../harness/exporter-process';
import { AS_A_SERVICE } from './as-a-service';
import { paced, PacedRequest } from './paced';

// Load benchmark (issue 6): the exporter as its own process, autocannon on loopback.
//  - ingest at a fixed rate (target >= 5,000 events/s with p99 <= 100 ms, no errors), then flat out;
//  - the query API with 50 concurrent users over an existing (demo) schema.
// Every acknowledged event is counted back in the database afterwards.

interface AutocannonHistogram {
  average: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}
export interface AutocannonResult {
  latency: AutocannonHistogram;
  requests: AutocannonHistogram & { total: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}
export interface AutocannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  setupRequest?: (req: AutocannonRequest) => AutocannonRequest;
}
export type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- no published types
export const autocannon = require('autocannon') as Autocannon;

export interface LoadFigures {
  name: string;
  requestsPerSecond: number;
  eventsPerSecond?: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  ok: number;
  non2xx: number;
  errors: number;
  verified?: boolean;
}

export const TOKEN = randomBytes(24).toString('hex');
export const tokenConfig = [
  { name: 'bench', sha256: createHash('sha256').update(TOKEN).digest('hex'), scopes: ['ingest', 'query'] as const },
];
export const HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` };

export function figures(name: string, r: AutocannonResult, eventsPerRequest?: number): LoadFigures {
  const rps = r['2xx'] / r.duration;
  return {
    name,
    requestsPerSecond: Math.round(rps),
    eventsPerSecond: eventsPerRequest ? Math.round(rps * eventsPerRequest) : undefined,
    p50Ms: r.latency.p50,
    p90Ms: r.latency.p90,
    p99Ms: r.latency.p99,
    maxMs: r.latency.max,
    ok: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

const USERS = 1_000;

async function prepareIngestSchema(url: string, schema: string): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await c.end();
  }
  await migrate(url, schema);
  const w = new Client({ connectionString: url, options: `-c search_path=${schema}` });
  await w.connect();
  try {
    await w.query(`INSERT INTO tenants (id, name, plan, created_at)
                   SELECT 't' || g, 'Tenant ' || g, 'starter', now() - interval '90 days' FROM generate_series(0, 99) g`);
    await w.query(
      `INSERT INTO users (id, tenant_id, created_at)
                   SELECT 'u' || g, 't' || (g % 100), now() - interval '60 days' FROM generate_series(0, $1 - 1) g`,
      [USERS],
    );
  } finally {
    await w.end();
  }
}

async function countEvents(url: string, schema: string): Promise<number> {
  const c = new Client({ connectionString: url, options: `-c search_path=${schema}` });
  await c.connect();
  try {
    return Number((await c.query('SELECT count(*) AS n FROM events')).rows[0].n);
  } finally {
    await c.end();
  }
}

/** A request whose body is a fresh batch every time (unique ids: every event is really inserted). */
/** The request an autocannon request description stands for, its body made (setupRequest). */
export function bodyOf(r: AutocannonRequest): PacedRequest {
  const made = r.setupRequest?.(r) ?? r;
  return { method: made.method, path: made.path, headers: made.headers, body: made.body };
}

export function eventBatchRequest(
  runId: string,
  batchSize: number,
  owners: ReadonlyArray<{ tenant: string; user: string }> = Array.from({ length: USERS }, (_, u) => ({
    tenant: `t${u % 100}`,
    user: `u${u}`,
  })),
): AutocannonRequest {
  let seq = 0;
  const names = ['dashboard.viewed', 'report.exported', 'workflow.created', 'login', 'invite.sent'];
  return {
    method: 'POST',
    path: '/api/v1/ingest/events',
    headers: HEADERS,
    setupRequest(req) {
      const base = seq;
      seq += batchSize;
      const now = Date.now();
      const events = Array.from({ length: batchSize }, (_, i) => {
        const n = base + i;
        const owner = owners[n % owners.length] as { tenant: string; user: string };
        return {
          id: `${runId}-${n}`,
          tenant_id: owner.tenant,
          user_id: owner.user,
          name: names[n % names.length],
          occurred_at: new Date(now - (n % 60_000)).toISOString(),
        };
      });
      return { ...req, body: JSON.stringify({ events }) };
    },
  };
}

export interface IngestLoadOptions {
  databaseUrl: string;
  schema?: string;
  /** Events per second at the fixed rate. */
  eventsPerSecond?: number;
  batchSize?: number;
  durationSeconds?: number;
}

export async function benchIngestLoad(o: IngestLoadOptions): Promise<LoadFigures[]> {
  const schema = o.schema ?? 'bench_ingest';
  const batchSize = o.batchSize ?? 100;
  const rate = o.eventsPerSecond ?? 5_000;
  const duration = o.durationSeconds ?? 20;
  await prepareIngestSchema(o.databaseUrl, schema);
  const proc = await ExporterProcess.create(
    o.databaseUrl,
    schema,
    {
      api: { tokens: tokenConfig.map((t) => ({ ...t, scopes: [...t.scopes] })), rateLimit: { requestsPerSecond: 100_000, burst: 100_000 } },
      database: { poolMax: 8 },
    },
    AS_A_SERVICE,
  );
  await proc.start();
  const out: LoadFigures[] = [];
  try {
    // At a constant arrival rate, evenly spaced (bench/paced.ts), as an SDK sends its batches.
    const atRate = (id: string, seconds: number) => {
      const r = eventBatchRequest(id, batchSize);
      return paced({ url: proc.url, rate: rate / batchSize, connections: 20, durationSeconds: seconds, next: () => bodyOf(r) });
    };
    // Warm-up, not measured: pool connections, the current month's partition, V8's JIT.
    const warmup = await atRate('warmup', 5);
    const fixed = await atRate('fixed', duration);
    out.push(figures(`ingest fixed ${rate} events/s (batches of ${batchSize})`, fixed, batchSize));
    const flat = await autocannon({
      url: proc.url,
      connections: 20,
      duration: Math.max(5, Math.round(duration / 2)),
      requests: [eventBatchRequest('flat', batchSize)],
    });
    out.push(figures(`ingest flat out (batches of ${batchSize})`, flat, batchSize));
    const stored = await countEvents(o.databaseUrl, schema);
    const acknowledged = (warmup['2xx'] + fixed['2xx'] + flat['2xx']) * batchSize;
    // Acknowledged means committed; in-flight requests cut at the end of a run may add a few more.
    for (const f of out) f.verified = stored >= acknowledged;
  } finally {
    await proc.stop();
  }
  return out;
}

export interface QueryLoadOptions {
  databaseUrl: string;
  /** A schema with data (e.g. a demo schema); nothing is written. */
  schema: string;
  connections?: number;
  durationSeconds?: number;
  now?: Date;
}

/** A dashboard's worth of queries over the last 30 days, cycled by 50 concurrent users. */
export function dashboardQueries(now: Date): unknown[] {
  const to = now.toISOString();
  const from = new Date(now.getTime() - 30 * 86_400_000).toISOString();
  const from90 = new Date(now.getTime() - 84 * 86_400_000).toISOString();
  return [
    { type: 'active_users', from, to },
    { type: 'retention', from: from90, to, interval: 'week', periods: 12 },
    { type: 'feature_adoption', from, to },
    { type: 'funnel', from, to, steps: ['login', 'dashboard.viewed', 'report.exported'] },
    { type: 'nps', from: from90, to },
    { type: 'tenant_health', limit: 50 },
  ];
}

export async function benchQueryLoad(o: QueryLoadOptions): Promise<LoadFigures[]> {
  const proc = await ExporterProcess.create(
    o.databaseUrl,
    o.schema,
    {
      api: { tokens: tokenConfig.map((t) => ({ ...t, scopes: [...t.scopes] })), rateLimit: { requestsPerSecond: 100_000, burst: 100_000 } },
      database: { poolMax: 8 },
    },
    AS_A_SERVICE,
  );
  await proc.start();
  try {
    const bodies = dashboardQueries(o.now ?? new Date()).map((q) => JSON.stringify(q));
    const r = await autocannon({
      url: proc.url,
      connections: o.connections ?? 50,
      duration: o.durationSeconds ?? 20,
      requests: bodies.map((body) => ({ method: 'POST', path: '/api/v1/query', headers: HEADERS, body })),
    });
    return [figures(`query API, ${o.connections ?? 50} concurrent users, dashboard mix`, r)];
  } finally {
    await proc.stop();
  }
}
