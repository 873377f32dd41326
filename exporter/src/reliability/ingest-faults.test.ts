import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { parseConfig } from '../config/load';
import { migrate } from '../db/migrate';
import { silentLogger } from '../logger';
import { RunningService, startService } from '../service';
import { eventually } from '../harness/eventually';
import { ExporterProcess } from '../harness/exporter-process';
import { PostgresProcess } from '../testing/postgres-process';
import { NO_COLLECTORS } from '../testing/service';
import { TEST_TOKENS, testTokenConfig } from '../testing/tokens';

// Faults with real processes on loopback: Postgres itself stopped and restarted under load, the
// exporter killed with SIGKILL mid-batch, and SIGTERM while batches are in flight. Acknowledged
// means committed; a client that retries until acknowledged gets every event exactly once.

const SCHEMA = 'saasmon';
let dataDir: string;
let pg: PostgresProcess;
let admin: Client;

async function startPostgresAgain(): Promise<void> {
  pg = await PostgresProcess.start(dataDir, 'faults', pg.port);
}

function batch(prefix: string, size: number) {
  return {
    events: Array.from({ length: size }, (_, i) => ({
      id: `${prefix}-${i}`,
      tenant_id: 't1',
      user_id: `u${i % 5}`,
      name: i % 3 === 0 ? 'report.exported' : 'dashboard.viewed',
      occurred_at: new Date(Date.now() - 60_000 - i).toISOString(),
    })),
  };
}

async function post(url: string, body: unknown): Promise<number> {
  const res = await fetch(`${url}/api/v1/ingest/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKENS.ingest}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  await res.text();
  return res.status;
}

/** What an at-least-once sender does: retry the same batch until it is acknowledged. */
async function sendUntilAcknowledged(url: () => string, body: unknown, deadlineMs: number): Promise<number> {
  let attempts = 0;
  for (;;) {
    attempts++;
    try {
      if ((await post(url(), body)) === 200) return attempts;
    } catch {
      /* connection refused or reset: retry */
    }
    if (Date.now() > deadlineMs) throw new Error(`batch not acknowledged after ${attempts} attempts`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function countEvents(prefix: string): Promise<{ rows: number; distinct: number }> {
  const c = new Client({ connectionString: pg.url });
  await c.connect();
  try {
    const r = await c.query(`SELECT count(*)::int AS rows, count(DISTINCT id)::int AS distinct FROM ${SCHEMA}.events WHERE id LIKE $1`, [
      `${prefix}-%`,
    ]);
    return r.rows[0] as { rows: number; distinct: number };
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  const parent = mkdtempSync(join(tmpdir(), 'saasmon-faults-'));
  chmodSync(parent, 0o755); // as root, Postgres runs as the postgres user and must reach its folder
  dataDir = join(parent, 'data');
  pg = await PostgresProcess.start(dataDir, 'faults');
  await migrate(pg.url, SCHEMA);
  admin = new Client({ connectionString: pg.url });
  await admin.connect();
  await admin.query(
    `INSERT INTO ${SCHEMA}.tenants (id, name, plan, created_at) VALUES ('t1', 'Acme', 'starter', now() - interval '30 days')`,
  );
  await admin.query(
    `INSERT INTO ${SCHEMA}.users (id, tenant_id, created_at) SELECT 'u' || g, 't1', now() - interval '20 days' FROM generate_series(0, 4) g`,
  );
  await admin.end();
}, 120_000);

afterAll(async () => {
  await pg?.stop();
});

describe('Postgres stopped during ingest and refresh', () => {
  let service: RunningService;
  afterAll(async () => service?.close());

  it('loses no acknowledged event, duplicates none, recovers without a restart, and /metrics never stops answering', async () => {
    const config = parseConfig({
      database: { url: pg.url, schema: SCHEMA, statementTimeoutMs: 5_000 },
      server: { port: 0, host: '127.0.0.1' },
      collectors: {
        ...NO_COLLECTORS,
        operations: { enabled: true, intervalSeconds: 1 },
        data_quality: { enabled: true, intervalSeconds: 1 },
      },
      api: { tokens: testTokenConfig(), rateLimit: { requestsPerSecond: 100_000, burst: 100_000 } },
    });
    service = await startService({ config, log: silentLogger, processMetrics: false });
    const url = service.url;

    const metricsStatuses: number[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const r = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(2_000) });
        await r.text();
        metricsStatuses.push(r.status);
        await new Promise((res) => setTimeout(res, 50));
      }
    })();

    try {
      // Batches 0-10 go in as Postgres stops (some in flight), 11-19 while it is down, 20-29 after.
      const deadline = Date.now() + 60_000;
      const batches = 30;
      const acked: Promise<number>[] = [];
      for (let b = 0; b < batches; b++) {
        acked.push(sendUntilAcknowledged(() => url, batch(`pgstop-${b}`, 200), deadline));
        if (b === 10) await pg.stop();
        if (b === 19) await startPostgresAgain();
        await new Promise((r) => setTimeout(r, b > 10 && b < 19 ? 150 : 20));
      }
      const attempts = await Promise.all(acked);
      // The outage was felt: the batches sent while Postgres was down needed more than one attempt.
      expect(Math.max(...attempts.slice(11, 19))).toBeGreaterThan(1);

      for (let b = 0; b < batches; b++) expect(await countEvents(`pgstop-${b}`)).toEqual({ rows: 200, distinct: 200 });

      // Collectors come back by themselves.
      await eventually(async () => {
        const text = await (await fetch(`${url}/metrics`)).text();
        expect(text).toContain('saasmon_collector_success{collector="operations"} 1');
      }, 20_000);
    } finally {
      polling = false;
      await poller;
    }
    expect(metricsStatuses.length).toBeGreaterThan(10);
    expect(metricsStatuses.every((s) => s === 200)).toBe(true);
  });
});

describe('the exporter process under signals', () => {
  let proc: ExporterProcess;
  beforeAll(async () => {
    proc = await ExporterProcess.create(pg.url, SCHEMA, {
      collectors: NO_COLLECTORS,
      api: { tokens: testTokenConfig(), rateLimit: { requestsPerSecond: 100_000, burst: 100_000 } },
    });
  });
  afterEach(async () => proc.stop());

  it('SIGKILL in the middle of a batch: the retry completes the batch exactly once', async () => {
    for (const delayMs of [0, 5, 25]) {
      const prefix = `kill${delayMs}`;
      const body = batch(prefix, 1000);
      await proc.start();
      const first = post(proc.url, body).catch(() => 'failed' as const);
      await new Promise((r) => setTimeout(r, delayMs));
      proc.signal('SIGKILL');
      await proc.exit;
      await first;
      await proc.start();
      await sendUntilAcknowledged(() => proc.url, body, Date.now() + 30_000);
      expect(await countEvents(prefix)).toEqual({ rows: 1000, distinct: 1000 });
      await proc.stop();
    }
  });

  it('SIGTERM drains the requests in flight, then exits 0; what it did not accept, a retry completes', async () => {
    await proc.start();
    let termAt = Infinity;
    const bodies = Array.from({ length: 8 }, (_, b) => batch(`term-${b}`, 1000));
    const answers = bodies.map((body) =>
      post(proc.url, body).then(
        (status) => ({ status, at: Date.now() }),
        () => ({ status: -1, at: Date.now() }),
      ),
    );
    await new Promise((r) => setTimeout(r, 60));
    termAt = Date.now();
    proc.signal('SIGTERM');
    const results = await Promise.all(answers);
    expect(await proc.exit).toBe(0);
    // A request is either answered 200 (then committed) or refused at the connection (never a
    // 5xx or a half answer); the requests in flight at the signal were answered, not cut.
    expect(results.every((r) => r.status === 200 || r.status === -1)).toBe(true);
    expect(results.some((r) => r.status === 200 && r.at > termAt)).toBe(true);
    for (const [b, r] of results.entries()) {
      if (r.status === 200) expect(await countEvents(`term-${b}`)).toEqual({ rows: 1000, distinct: 1000 });
    }
    // The sender retries what was not acknowledged against the restarted exporter.
    await proc.start();
    for (const [b, r] of results.entries()) {
      if (r.status !== 200) await sendUntilAcknowledged(() => proc.url, bodies[b], Date.now() + 30_000);
    }
    for (let b = 0; b < 8; b++) expect(await countEvents(`term-${b}`)).toEqual({ rows: 1000, distinct: 1000 });
  });
});
