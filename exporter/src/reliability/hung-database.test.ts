import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { parseConfig } from '../config/load';
import { migrate } from '../db/migrate';
import { eventually } from '../harness/eventually';
import { silentLogger } from '../logger';
import { RunningService, startService } from '../service';
import { PostgresProcess } from '../testing/postgres-process';
import { NO_COLLECTORS, postJson } from '../testing/service';
import { TEST_TOKENS, testTokenConfig } from '../testing/tokens';

// A database that hangs (SIGSTOP: connections open, nothing answers) must not hold requests:
// queries and ingest answer 503/504 with Retry-After within the configured timeouts, /metrics keeps
// answering from its snapshot, saasmon_up and /ready show the outage, and all recovers on SIGCONT.

const SCHEMA = 'saasmon';
let pg: PostgresProcess;
let service: RunningService;

beforeAll(async () => {
  const parent = mkdtempSync(join(tmpdir(), 'saasmon-hung-'));
  chmodSync(parent, 0o755); // as root, Postgres runs as the postgres user and must reach its folder
  pg = await PostgresProcess.start(join(parent, 'data'), 'hung');
  await migrate(pg.url, SCHEMA);
  const admin = new Client({ connectionString: pg.url });
  await admin.connect();
  await admin.query(
    `INSERT INTO ${SCHEMA}.incidents (id, title, severity, status, started_at) VALUES ('i1', 'db', 'critical', 'investigating', now())`,
  );
  await admin.end();
  service = await startService({
    config: parseConfig({
      database: { url: pg.url, schema: SCHEMA, statementTimeoutMs: 1_000, queryTimeoutMs: 2_000, probeIntervalSeconds: 1 },
      server: { port: 0, host: '127.0.0.1' },
      collectors: { ...NO_COLLECTORS, operations: { enabled: true, intervalSeconds: 1 } },
      api: { tokens: testTokenConfig(), queryQueueTimeoutMs: 2_000 },
      rollups: { compactIntervalSeconds: 0 },
    }),
    log: silentLogger,
    processMetrics: false,
  });
}, 120_000);

afterAll(async () => {
  await service?.close();
  await pg?.stop();
});

const get = (path: string) => fetch(`${service.url}${path}`, { signal: AbortSignal.timeout(15_000) });
const query = (body: Record<string, unknown>) =>
  fetch(`${service.url}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKENS.admin}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });

it('answers 503/504 with Retry-After (never 500, never an unbounded wait), keeps /metrics up and shows the outage', async () => {
  await eventually(async () => expect((await get('/ready')).status).toBe(200), 20_000);
  expect((await query({ type: 'dr_status' })).status).toBe(200); // the pool now holds an open connection

  pg.signalServer('SIGSTOP');
  try {
    const [q1, q2, ingest] = await Promise.all([
      query({ type: 'dr_status' }),
      query({ type: 'feature_adoption', from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' }),
      postJson(
        `${service.url}/api/v1/ingest/events`,
        {
          events: [{ id: 'hung-1', tenant_id: 't1', user_id: 'u1', name: 'login', occurred_at: new Date().toISOString() }],
        },
        TEST_TOKENS.ingest,
      ),
    ]);
    for (const r of [q1, q2]) {
      expect([503, 504]).toContain(r.status);
      expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(((await r.json()) as { error: string }).error).toMatch(/database|timeout|time/);
    }
    expect([503, 504]).toContain(ingest.status);
    expect(ingest.headers.get('retry-after')).toMatch(/^\d+$/);

    const metrics = await get('/metrics');
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('saasmon_incidents_open{severity="critical"} 1');
    await eventually(async () => {
      expect(await (await get('/metrics')).text()).toMatch(/^saasmon_up 0$/m);
      expect((await get('/ready')).status).toBe(503);
    }, 15_000);
  } finally {
    pg.signalServer('SIGCONT');
  }

  await eventually(async () => {
    expect(await (await get('/metrics')).text()).toMatch(/^saasmon_up 1$/m);
    expect((await get('/ready')).status).toBe(200);
    expect((await query({ type: 'dr_status' })).status).toBe(200);
  }, 30_000);
});
