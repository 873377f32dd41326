import { existsSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { NICE } from '../compute/priorities';
import { spawnSync } from 'node:child_process';
import { connect, Socket } from 'node:net';
import { eventually } from '../harness/eventually';
import { RunningService } from '../service';
import { createTestSchema, TestSchema } from '../testing/db';
import { postJson, startTestService } from '../testing/service';
import { TEST_TOKENS } from '../testing/tokens';
import { apiRoleOf } from './api-process';
import { requestTarget } from './front';

// The APIs in their own process (server.apiProcess, the default outside tests): connections are
// routed by their first request line, queries come back to the compute worker, the API's metrics
// join /metrics, and the process is restarted when it dies.

let db: TestSchema;
let svc: RunningService;
beforeAll(async () => {
  db = await createTestSchema('api_process');
  await db.insert('tenants', [
    { id: 't1', name: 'One', plan: 'starter', segment: 'smb', acquisition_channel: 'ads', created_at: '2026-01-01T00:00:00Z' },
  ]);
  svc = await startTestService(db, { server: { apiProcess: true } });
});
afterAll(async () => {
  await svc?.close();
  await db.close();
});

const count = async (id: string) => Number((await db.pool.query('SELECT count(*) AS n FROM events WHERE id = $1', [id])).rows[0].n);
const event = (id: string) => ({ id, tenant_id: 't1', user_id: null, name: 'login', occurred_at: '2026-06-01T00:00:00Z' });

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

/** Sends raw bytes (in the given pieces, a pause between them) and reads one response's head. */
async function exchange(s: Socket, pieces: string[]): Promise<string> {
  let data = '';
  const got = new Promise<string>((resolve) => {
    const onData = (d: Buffer) => {
      data += d.toString('latin1');
      const m = /content-length: (\d+)/i.exec(data);
      const end = data.indexOf('\r\n\r\n');
      if (end >= 0 && (!m || data.length >= end + 4 + Number(m[1]))) {
        s.off('data', onData);
        resolve(data);
      }
    };
    s.on('data', onData);
  });
  for (const p of pieces) {
    s.write(p);
    await new Promise((r) => setTimeout(r, 50));
  }
  return got;
}

it('reads the request target of the first line, once the line is complete', () => {
  expect(requestTarget(Buffer.from('POST /api/v1/query HTTP/1.1\r\nHost: x\r\n'))).toBe('/api/v1/query');
  expect(requestTarget(Buffer.from('GET /metrics HTTP/1.0\r\n'))).toBe('/metrics');
  expect(requestTarget(Buffer.from('GET /api/v1/que'))).toBeUndefined();
  expect(requestTarget(Buffer.from('\x16\x03\x01 not http\n'))).toBe('');
});

it('sends queries to the query process and the rest of the API to the ingest process', () => {
  expect(apiRoleOf('/api/v1/query')).toBe('query');
  expect(apiRoleOf('/api/v1/health')).toBe('query');
  expect(apiRoleOf('/api/v1/query?x=1')).toBe('query');
  expect(apiRoleOf('/api/v1/queryx')).toBe('ingest');
  expect(apiRoleOf('/api/v1/ingest/events')).toBe('ingest');
  expect(apiRoleOf('/api/v1/integrations/stripe/webhook')).toBe('ingest');
  expect(apiRoleOf('/api/v1/status')).toBe('ingest');
});

it('answers ingest and queries from the API processes, and scrapes here', async () => {
  const ingest = await postJson(`${svc.url}/api/v1/ingest/events`, { events: [event('ap-1')] }, TEST_TOKENS.ingest);
  expect(ingest.status).toBe(200);
  expect(await count('ap-1')).toBe(1);
  const q = await postJson(`${svc.url}/api/v1/query`, { type: 'dr_status' }, TEST_TOKENS.query);
  expect(q.status).toBe(200);
  const metrics = await fetch(`${svc.url}/metrics`);
  expect(metrics.status).toBe(200);
});

it('receives a request body that arrives after the request line, in pieces', async () => {
  const body = JSON.stringify({ events: [event('ap-2')] });
  const s = await openSocket(svc.port);
  try {
    const head = await exchange(s, [
      'POST /api/v1/ingest/events HTTP/1.1\r\n',
      `Host: x\r\nAuthorization: Bearer ${TEST_TOKENS.ingest}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      body.slice(0, 10),
      body.slice(10),
    ]);
    expect(head).toMatch(/^HTTP\/1.1 200/);
  } finally {
    s.destroy();
  }
  expect(await count('ap-2')).toBe(1);
});

it('sends a request for the other side of a kept-alive connection to a new connection (307)', async () => {
  const scrape = await openSocket(svc.port);
  const api = await openSocket(svc.port);
  try {
    expect(await exchange(scrape, ['GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'])).toMatch(/^HTTP\/1.1 200/);
    const moved = await exchange(scrape, ['GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n']);
    expect(moved).toMatch(/^HTTP\/1.1 307/);
    expect(moved).toMatch(/\r\nLocation: \/api\/v1\/health\r\n/i);
    expect(moved).toMatch(/\r\nConnection: close\r\n/i);
    const health = `GET /api/v1/health HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TEST_TOKENS.query}\r\n\r\n`;
    expect(await exchange(api, [health])).toMatch(/^HTTP\/1.1 200/);
    const back = await exchange(api, ['GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n']);
    expect(back).toMatch(/^HTTP\/1.1 307/);
    expect(back).toMatch(/\r\nLocation: \/metrics\r\n/i);
  } finally {
    scrape.destroy();
    api.destroy();
  }
});

it("shows the API processes' families from the first scrape on", async () => {
  const other = await startTestService(db, { server: { apiProcess: true } });
  try {
    const text = await (await fetch(`${other.url}/metrics`, { headers: { accept: 'text/plain' } })).text();
    expect(text).toMatch(/^# TYPE saasmon_ingest_rejected_total counter$/m);
    expect(text).toMatch(/^# TYPE saasmon_query_cache_requests_total counter$/m);
  } finally {
    await other.close();
  }
});

it("adds the API process's request and cache counters to /metrics, and the whole output passes promtool", async () => {
  await postJson(`${svc.url}/api/v1/query`, { type: 'dr_status' }, TEST_TOKENS.query);
  await fetch(`${svc.url}/healthz`);
  const text = await eventually(async () => {
    const t = await (await fetch(`${svc.url}/metrics`, { headers: { accept: 'text/plain' } })).text();
    expect(t).toMatch(/^saasmon_http_requests_total\{method="POST",route="\/api\/v1\/query",status="200"\} [1-9]/m);
    expect(t).toMatch(/^saasmon_http_requests_total\{method="GET",route="\/healthz",status="200"\} [1-9]/m);
    expect(t).toMatch(/^saasmon_query_cache_requests_total\{type="dr_status",result="(miss|hit|shared)"\} [1-9]/m);
    return t;
  }, 5_000);
  expect(text.match(/^# TYPE saasmon_http_requests_total /gm)).toHaveLength(1);
  const om = await (await fetch(`${svc.url}/metrics`, { headers: { accept: 'application/openmetrics-text;version=1.0.0' } })).text();
  expect(om.match(/^# TYPE saasmon_http_requests counter$/gm)).toHaveLength(1);
  expect(om.trimEnd().endsWith('# EOF')).toBe(true);
  const promtool = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (promtool.error) return; // promtool not installed: exposition-lint.test.ts says so
  expect(promtool.stdout + promtool.stderr).toBe('');
});

it('runs the query process below the serving process in CPU priority (compute/priorities.ts)', () => {
  const pid = svc.apiProcessPid?.() as number;
  expect(getPriority(pid)).toBe(getPriority(0) + NICE.queryProcess);
});

it('starts the query process in a session, and a scheduling group, of its own', () => {
  const pid = svc.apiProcessPid?.() as number;
  const session = (p: number | 'self') => Number(readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]?.split(' ')[3]);
  expect(session(pid)).toBe(pid); // it leads its session (setsid)
  expect(session(pid)).not.toBe(session('self'));
  if (!existsSync('/proc/self/autogroup')) return; // a kernel without autogroup: the session is all there is
  const group = (p: number | 'self') => readFileSync(`/proc/${p}/autogroup`, 'utf8').split(' ')[0];
  expect(group(pid)).not.toBe(group('self'));
});

it('starts the API process again when it dies; scrapes never notice', async () => {
  const pid = svc.apiProcessPid?.();
  expect(pid).toEqual(expect.any(Number));
  process.kill(pid as number, 'SIGKILL');
  expect((await fetch(`${svc.url}/metrics`)).status).toBe(200);
  // A connection handed over in the instant the process dies is lost with it (the client's timeout
  // ends it); once the death is seen, API requests get 503 until the new process is ready.
  await eventually(async () => expect(svc.apiProcessPid?.()).not.toBe(pid), 10_000);
  await eventually(async () => {
    const r = await fetch(`${svc.url}/api/v1/health`, {
      headers: { authorization: `Bearer ${TEST_TOKENS.query}` },
      signal: AbortSignal.timeout(2_000),
    });
    expect(r.status).toBe(200);
  }, 15_000);
}, 30_000);
