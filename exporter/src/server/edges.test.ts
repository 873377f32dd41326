import { connect, Socket } from 'node:net';
import { silentLogger } from '../logger';
import { RunningService, startService } from '../service';
import { freePort } from '../db/embedded';
import { createTestSchema, TestSchema } from '../testing/db';
import { NO_COLLECTORS, startTestService } from '../testing/service';
import { TEST_TOKENS, testTokenConfig } from '../testing/tokens';

let db: TestSchema;
beforeAll(async () => {
  db = await createTestSchema('edges');
});
afterAll(() => db.close());

async function withService(
  overrides: Parameters<typeof startTestService>[1],
  fn: (svc: RunningService) => Promise<void>,
  apiProcess = false,
): Promise<void> {
  const svc = await startTestService(db, { ...overrides, server: { ...(overrides?.server ?? {}), apiProcess } });
  try {
    await fn(svc);
  } finally {
    await svc.close();
  }
}

const metricsStatus = async (svc: RunningService, authorization?: string) =>
  (await fetch(`${svc.url}/metrics`, { headers: authorization ? { authorization } : {} })).status;

it('/metrics takes the auth scheme in any case, as the API does, and the credentials exactly', async () => {
  const token = 'metrics-token-0123456789';
  await withService({ server: { metricsAuth: { type: 'bearer', token } } }, async (svc) => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) expect(await metricsStatus(svc, `${scheme} ${token}`)).toBe(200);
    expect(await metricsStatus(svc, `bearer ${token.toUpperCase()}`)).toBe(401);
    expect(await metricsStatus(svc, `Basic ${token}`)).toBe(401);
    expect(await metricsStatus(svc)).toBe(401);
  });
  const basic = Buffer.from('prom:correct-horse').toString('base64');
  await withService({ server: { metricsAuth: { type: 'basic', username: 'prom', password: 'correct-horse' } } }, async (svc) => {
    for (const scheme of ['Basic', 'basic', 'BASIC']) expect(await metricsStatus(svc, `${scheme} ${basic}`)).toBe(200);
    expect(await metricsStatus(svc, `basic ${Buffer.from('prom:wrong-horse').toString('base64')}`)).toBe(401);
  });
});

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

/** Resolves with what the server sent before it closed the connection, and how long that took. */
function untilClosed(s: Socket): Promise<{ data: string; ms: number }> {
  const t0 = Date.now();
  let data = '';
  s.on('data', (d) => (data += d.toString()));
  s.on('error', () => undefined);
  return new Promise((resolve) => s.once('close', () => resolve({ data, ms: Date.now() - t0 })));
}

describe.each([
  ['in this process', false],
  ['in the API process', true],
])('the APIs %s', (_where, apiProcess) => {
  it('cuts a client that sends its body too slowly (requestTimeout) with a 408', async () => {
    await withService(
      { server: { requestTimeoutSeconds: 1, headersTimeoutSeconds: 1 } },
      async (svc) => {
        const s = await openSocket(svc.port);
        const closed = untilClosed(s);
        s.write(
          `POST /api/v1/ingest/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TEST_TOKENS.ingest}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"events":`,
        );
        const { data, ms } = await closed;
        expect(data).toMatch(/^HTTP\/1.1 408/);
        expect(ms).toBeLessThan(5_000);
      },
      apiProcess,
    );
  });

  it('caps open connections at server.maxConnections', async () => {
    await withService(
      { server: { maxConnections: 2 } },
      async (svc) => {
        const held = [await openSocket(svc.port), await openSocket(svc.port)];
        const extra = await openSocket(svc.port);
        const { data } = await untilClosed(extra);
        expect(data).toBe('');
        for (const s of held) s.destroy();
      },
      apiProcess,
    );
  });
});

it('/api/v1/health says the database is unreachable without the driver error (no host or port)', async () => {
  const port = await freePort();
  const url = new URL(db.url);
  url.host = `127.0.0.1:${port}`;
  const config = db.config({ collectors: NO_COLLECTORS, server: { port: 0, host: '127.0.0.1' }, api: { tokens: testTokenConfig() } });
  const svc = await startService({
    config: { ...config, database: { ...config.database, url: url.toString() } },
    log: silentLogger,
    processMetrics: false,
  });
  try {
    const res = await fetch(`${svc.url}/api/v1/health`, { headers: { authorization: `Bearer ${TEST_TOKENS.query}` } });
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: string };
    expect(body.error).toBe('exporter is up but cannot reach its database; see the exporter log');
    expect(JSON.stringify(body)).not.toContain(String(port));
  } finally {
    await svc.close();
  }
});
