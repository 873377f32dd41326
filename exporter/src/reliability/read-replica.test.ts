import { Client } from 'pg';
import { parseConfig } from '../config/load';
import { migrate } from '../db/migrate';
import { eventually } from '../harness/eventually';
import { silentLogger } from '../logger';
import { RunningService, startService } from '../service';
import { NO_COLLECTORS, postJson } from '../testing/service';
import { StreamingPair } from '../testing/streaming-standby';
import { TEST_TOKENS, testTokenConfig } from '../testing/tokens';

// database.readUrl against a real streaming standby (pg_basebackup -R on loopback): collectors
// and the query API read the standby, ingest and compaction write the primary; answers follow
// replication (lag included), and a standby that goes away is an outage of reads only.

const DB = 'replica';
const SCHEMA = 'saasmon';
let pair: StreamingPair;
let service: RunningService;

async function sql<R extends object>(which: 'primary' | 'standby', text: string, values: unknown[] = []): Promise<R[]> {
  const c = new Client({ connectionString: pair.url(which, DB) });
  await c.connect();
  try {
    return (await c.query<R>(text, values)).rows;
  } finally {
    await c.end();
  }
}

const adoption = () =>
  postJson(`${service.url}/api/v1/query`, {
    type: 'feature_adoption',
    from: '2026-06-01T00:00:00Z',
    to: '2026-07-01T00:00:00Z',
    features: ['report.exported'],
  });
const usingAll = (r: Awaited<ReturnType<typeof adoption>>) => {
  const f = (r.body.frames as Array<{ fields: Array<{ name: string; values: unknown[] }> }>)[0];
  const plans = f?.fields.find((x) => x.name === 'plan')?.values as string[];
  return (f?.fields.find((x) => x.name === 'tenants_using')?.values as number[])[plans.indexOf('all')];
};
const event = (id: string, tenant: string) => ({
  id,
  tenant_id: tenant,
  user_id: null,
  name: 'report.exported',
  occurred_at: '2026-06-10T00:00:00Z',
});

beforeAll(async () => {
  pair = await StreamingPair.create(DB);
  await migrate(pair.url('primary', DB), SCHEMA);
  await sql(
    'primary',
    `INSERT INTO ${SCHEMA}.tenants (id, name, plan, created_at) VALUES ('t1', 'A', 'starter', '2026-01-01'), ('t2', 'B', 'pro', '2026-01-01'), ('t3', 'C', 'pro', '2026-01-01')`,
  );
  await sql(
    'primary',
    `INSERT INTO ${SCHEMA}.incidents (id, title, severity, status, started_at) VALUES ('i1', 'db', 'critical', 'investigating', now())`,
  );
  await eventually(async () => expect(await sql('standby', `SELECT 1 FROM ${SCHEMA}.incidents`)).toHaveLength(1), 20_000);
  service = await startService({
    config: parseConfig({
      database: {
        url: pair.url('primary', DB),
        readUrl: pair.url('standby', DB),
        schema: SCHEMA,
        probeIntervalSeconds: 1,
        statementTimeoutMs: 5_000,
      },
      server: { port: 0, host: '127.0.0.1' },
      collectors: { ...NO_COLLECTORS, operations: { enabled: true, intervalSeconds: 1 } },
      api: { tokens: testTokenConfig() },
      rollups: { compactIntervalSeconds: 1 },
    }),
    log: silentLogger,
    processMetrics: false,
  });
}, 120_000);

afterAll(async () => {
  await service?.close();
  await pair?.destroy();
});

it('reads on the standby (collectors, queries) and writes on the primary (ingest, compaction)', async () => {
  expect((await postJson(`${service.url}/api/v1/ingest/events`, { events: [event('e1', 't1')] }, TEST_TOKENS.ingest)).status).toBe(200);
  await eventually(async () => expect(usingAll(await adoption())).toBe(1), 20_000);
  await eventually(async () =>
    expect(await (await fetch(`${service.url}/metrics`)).text()).toContain('saasmon_incidents_open{severity="critical"} 1'),
  );
  const apps = async (which: 'primary' | 'standby') =>
    (
      await sql<{ a: string }>(
        which,
        `SELECT DISTINCT application_name AS a FROM pg_stat_activity WHERE application_name LIKE 'saasmon-exporter%'`,
      )
    ).map((r) => r.a);
  const standby = await apps('standby');
  expect(standby).toEqual(expect.arrayContaining(['saasmon-exporter-query', 'saasmon-exporter-collectors']));
  expect(standby).not.toContain('saasmon-exporter-ingest');
  const primary = await apps('primary');
  expect(primary).toEqual(expect.arrayContaining(['saasmon-exporter-ingest']));
  expect(primary).not.toContain('saasmon-exporter-query');
  expect(primary).not.toContain('saasmon-exporter-collectors');
});

it('answers as of what the standby has replayed: a fresh event shows once it is replicated', async () => {
  expect(usingAll(await adoption())).toBe(1);
  await sql('standby', 'SELECT pg_wal_replay_pause()');
  try {
    expect((await postJson(`${service.url}/api/v1/ingest/events`, { events: [event('e2', 't2')] }, TEST_TOKENS.ingest)).status).toBe(200);
    expect(await sql('primary', `SELECT 1 FROM ${SCHEMA}.events WHERE id = 'e2'`)).toHaveLength(1);
    // Replication lag: the standby has not replayed it yet, so neither has the answer.
    expect(usingAll(await adoption())).toBe(1);
  } finally {
    await sql('standby', 'SELECT pg_wal_replay_resume()');
  }
  await eventually(async () => expect(usingAll(await adoption())).toBe(2), 20_000);
});

it('a standby that goes away: reads answer 503 with Retry-After, writes go on, /ready and saasmon_up tell; all recovers', async () => {
  pair.ctl('standby', 'stop');
  try {
    const q = await adoption();
    expect(q.status).toBe(503);
    expect(q.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await postJson(`${service.url}/api/v1/ingest/events`, { events: [event('e3', 't3')] }, TEST_TOKENS.ingest)).status).toBe(200);
    const m = await fetch(`${service.url}/metrics`);
    expect(m.status).toBe(200);
    await eventually(async () => {
      expect(await (await fetch(`${service.url}/metrics`)).text()).toMatch(/^saasmon_up 0$/m);
      const ready = await fetch(`${service.url}/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.text()).toMatch(/read replica/);
    }, 15_000);
  } finally {
    pair.ctl('standby', 'start');
  }
  await eventually(async () => {
    expect(usingAll(await adoption())).toBe(3);
    expect(await (await fetch(`${service.url}/metrics`)).text()).toMatch(/^saasmon_up 1$/m);
    expect((await fetch(`${service.url}/ready`)).status).toBe(200);
  }, 30_000);
});
