import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../db/embedded';
import { eventually } from '../../harness/eventually';
import { RunningService } from '../../service';
import { createTestSchema, TestSchema } from '../../testing/db';
import { startTestService } from '../../testing/service';
import { TEST_TOKENS } from '../../testing/tokens';

// GET /api/v1/status over incidents in Postgres and alerts in a real Alertmanager.
const NOW = new Date('2026-06-15T12:00:00Z');
const SERVICES = ['api', 'billing', 'dashboard', 'search', 'signup'];
let db: TestSchema;
let tmp: string;
let am: ChildProcess;
let amUrl: string;
const alertStart = new Date(Date.now() - 60_000).toISOString();

const getStatus = async (svc: RunningService, token: string = TEST_TOKENS.query) => {
  const res = await fetch(`${svc.url}/api/v1/status`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
};

const incident = (id: string, severity: string, services: string[], started_at: string, resolved_at: string | null) => ({
  id,
  title: `incident ${id}`,
  severity,
  status: resolved_at ? 'resolved' : 'investigating',
  services: `{${services.join(',')}}`,
  started_at,
  resolved_at,
});

beforeAll(async () => {
  db = await createTestSchema('status');
  await db.insert('incidents', [
    incident('i1', 'critical', ['api', 'dashboard'], '2026-06-15T10:00:00Z', null),
    incident('i2', 'minor', ['billing'], '2026-06-15T11:00:00Z', null),
    incident('i3', 'major', ['api'], '2026-06-01T00:00:00Z', '2026-06-01T02:00:00Z'),
    incident('i4', 'major', ['api'], '2026-01-01T00:00:00Z', '2026-01-01T01:00:00Z'), // older than 90 days
  ]);
  tmp = mkdtempSync(join(tmpdir(), 'saasmon-status-'));
  writeFileSync(join(tmp, 'am.yml'), 'route: { receiver: "null" }\nreceivers: [{ name: "null" }]\n');
  const port = await freePort();
  amUrl = `http://127.0.0.1:${port}`;
  am = spawn(
    'prometheus-alertmanager',
    [
      `--config.file=${join(tmp, 'am.yml')}`,
      `--storage.path=${join(tmp, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { stdio: 'ignore' },
  );
  await eventually(async () => {
    if (!(await fetch(`${amUrl}/-/ready`)).ok) throw new Error('not ready');
  });
  const alert = (labels: Record<string, string>) => ({ labels, startsAt: alertStart });
  const posted = await fetch(`${amUrl}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([
      alert({ alertname: 'SaasPlatformErrorBudgetBurn', severity: 'critical', service: 'search' }),
      alert({ alertname: 'SaasPlatformLatencyHigh', severity: 'warning', service: 'billing' }),
      alert({ alertname: 'NoService', severity: 'critical' }),
      alert({ alertname: 'JustInfo', severity: 'info', service: 'signup' }),
    ]),
  });
  expect(posted.status).toBe(200);
  await eventually(async () => {
    const firing = (await (await fetch(`${amUrl}/api/v2/alerts?active=true`)).json()) as unknown[];
    if (firing.length < 4) throw new Error('alerts not in yet');
  });
}, 30_000);

afterAll(async () => {
  am?.kill();
  await db.close();
  rmSync(tmp, { recursive: true, force: true });
});

it('gives each service the worst of its open incidents and firing alerts, and the incident history', async () => {
  const svc = await startTestService(db, { status: { services: SERVICES }, alertmanager: { url: amUrl } }, () => NOW);
  try {
    const r = await getStatus(svc);
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('major_outage');
    expect(r.body.alerts).toEqual({ url: amUrl });
    const byName = Object.fromEntries((r.body.services as Array<{ name: string; causes: unknown[] }>).map((s) => [s.name, s]));
    expect(Object.keys(byName)).toEqual(SERVICES);
    expect(byName.api).toMatchObject({
      status: 'major_outage',
      since: '2026-06-15T10:00:00.000Z',
      causes: [{ kind: 'incident', id: 'i1' }],
    });
    expect(byName.dashboard).toMatchObject({ status: 'major_outage' });
    // a minor incident and a warning alert: degraded, since the older of the two
    expect(byName.billing).toMatchObject({ status: 'degraded', since: '2026-06-15T11:00:00.000Z' });
    expect(byName.billing?.causes).toHaveLength(2);
    expect(byName.search).toMatchObject({
      status: 'partial_outage',
      since: alertStart,
      causes: [{ kind: 'alert', alertname: 'SaasPlatformErrorBudgetBurn', severity: 'critical' }],
    });
    // an info alert does not change a status
    expect(byName.signup).toMatchObject({ status: 'operational', since: null, causes: [] });
    expect(r.body.incidents.open.map((i: { id: string }) => i.id)).toEqual(['i2', 'i1']);
    expect(r.body.incidents.history.map((i: { id: string }) => i.id)).toEqual(['i2', 'i1', 'i3']);
    expect(r.body.incidents.history[2]).toMatchObject({ duration_seconds: 7200, resolved_at: '2026-06-01T02:00:00.000Z' });
    expect((await getStatus(svc, '')).status).toBe(401);
  } finally {
    await svc.close();
  }
});

it('answers from incidents alone, saying so, when Alertmanager is unreachable', async () => {
  const closed = `http://127.0.0.1:${await freePort()}`;
  const svc = await startTestService(db, { alertmanager: { url: closed, timeoutMs: 500 } }, () => NOW);
  try {
    const r = await getStatus(svc);
    expect(r.status).toBe(200);
    expect(r.body.alerts.error).toMatch(/alerts unavailable/);
    expect((r.body.services as Array<{ name: string }>).map((s) => s.name)).toEqual(['api', 'billing', 'dashboard']);
    expect(r.body.status).toBe('major_outage');
  } finally {
    await svc.close();
  }
});
