import { parseConfig } from '../config/load';
import { silentLogger } from '../logger';
import { RunningService, startService } from '../service';
import { createTestSchema, TestSchema } from '../testing/db';
import { eventually } from '../harness/eventually';
import { NO_COLLECTORS } from '../testing/service';
import { SwitchableProxy } from '../testing/switchable-proxy';

// The exporter must outlive the database: start with it down, lose it later, and recover by
// itself, while /metrics keeps answering from the last snapshot (within its max age).

let db: TestSchema;
let proxy: SwitchableProxy;
let service: RunningService;

async function get(path: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${service.url}${path}`, { signal: AbortSignal.timeout(2_000) });
  return { status: res.status, text: await res.text() };
}

function sample(text: string, line: string): string | undefined {
  return text.split('\n').find((l) => l.startsWith(line));
}

beforeAll(async () => {
  db = await createTestSchema('outage');
  await db.insert('incidents', [
    { id: 'i1', title: 'db', severity: 'critical', status: 'investigating', started_at: '2026-01-01T00:00:00Z' },
  ]);
  proxy = await SwitchableProxy.create(db.url);
  // Down before the exporter starts.
  const config = parseConfig({
    database: { url: proxy.url(db.url), schema: db.schema },
    server: { port: 0, host: '127.0.0.1' },
    collectors: { ...NO_COLLECTORS, operations: { enabled: true, intervalSeconds: 1, maxAgeSeconds: 6 } },
  });
  service = await startService({ config, log: silentLogger, processMetrics: false });
});

afterAll(async () => {
  await service?.close();
  await proxy?.down();
  await db?.close();
});

it('serves /healthz and /metrics while the database is down at start-up, and is not ready', async () => {
  expect((await get('/healthz')).status).toBe(200);
  expect((await get('/ready')).status).toBe(503);
  await eventually(async () => {
    const m = await get('/metrics');
    expect(m.status).toBe(200);
    expect(sample(m.text, 'saasmon_collector_success{collector="operations"}')).toMatch(/ 0$/);
    expect(sample(m.text, 'saasmon_up')).toBe('saasmon_up 0');
    expect(m.text).not.toContain('saasmon_incidents_open');
  });
});

it('recovers by itself when the database comes up, without a restart', async () => {
  await proxy.up();
  await eventually(async () => {
    expect((await get('/ready')).status).toBe(200);
    const m = await get('/metrics');
    expect(sample(m.text, 'saasmon_incidents_open{severity="critical"}')).toBe('saasmon_incidents_open{severity="critical"} 1');
    expect(sample(m.text, 'saasmon_up')).toBe('saasmon_up 1');
  });
});

it('keeps the last good values during an outage, flags the failure, then drops them after max age', async () => {
  await proxy.down();
  const failing = await eventually(async () => {
    const m = await get('/metrics');
    expect(sample(m.text, 'saasmon_collector_success{collector="operations"}')).toMatch(/ 0$/);
    return m.text;
  });
  // Either still within max age (kept) or already past it; right after the first failure it is kept.
  expect(sample(failing, 'saasmon_incidents_open{severity="critical"}')).toBe('saasmon_incidents_open{severity="critical"} 1');
  await eventually(async () => {
    const m = await get('/metrics');
    expect(m.status).toBe(200);
    expect(m.text).not.toContain('saasmon_incidents_open');
    expect((await get('/ready')).status).toBe(503);
  }, 20_000);
});

it('comes back after a second outage', async () => {
  await proxy.up();
  await eventually(async () => {
    const m = await get('/metrics');
    expect(sample(m.text, 'saasmon_incidents_open{severity="critical"}')).toBe('saasmon_incidents_open{severity="critical"} 1');
    expect(sample(m.text, 'saasmon_collector_success{collector="operations"}')).toMatch(/ 1$/);
  }, 20_000);
});
