import { createTestSchema, TestSchema } from '../testing/db';
import { NO_COLLECTORS, postJson, startTestService } from '../testing/service';
import { RunningAlertmanager, RunningProcess, startAlertmanager, startBackfilledPrometheus } from '../testing/monitoring-stack';
import { eventually } from '../harness/eventually';
import { RunningService } from '../service';
import { TEST_TOKENS } from '../testing/tokens';

// T and the fixture: MRR at T-30d = a 100 + b 200 + d 100 = 400; at T = a 100 + c 50 + d 150 = 300.
// Growth 300/400 - 1 = -25% (critical), churn: b of {a, b, d} = 1/3 (critical), 3 paying.
// Platform (backfilled Prometheus, job "app"): per 15 s 996 answers 200 and 4 answer 500, so the
// error ratio is 0.4% (healthy) and uptime 99.6% (warning); latency buckets per 15 s: 900 under
// 0.1 s, all 1000 under 0.25 s, so p99 = 0.1 + 0.15 * 90/100 = 0.235 s (warning). Overall: critical.
const T = new Date('2026-06-15T12:00:00Z');
const TS = T.getTime() / 1000;

let db: TestSchema;
let prom: RunningProcess;
let am: RunningAlertmanager;
let svc: RunningService;

let n = 0;
const sub = (tenant: string, amount: string, from: string, to: string | null = null) => ({
  id: `s${++n}`,
  tenant_id: tenant,
  plan: 'p',
  status: 'active',
  amount,
  interval_months: 1,
  valid_from: from,
  valid_to: to,
});
const ev = (user: string, at: string) => ({ id: `e${++n}`, tenant_id: 'a', user_id: user, name: 'x', occurred_at: at });

type Frame = { name: string; fields: Array<{ name: string; values: unknown[] }>; meta?: { custom?: Record<string, unknown> } };
const col = (f: Frame | undefined, name: string) => f?.fields.find((x) => x.name === name)?.values ?? [];

/** The /metrics sample values by series text (name{labels}). */
async function scrape(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return new Map(
    text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => [l.slice(0, l.lastIndexOf(' ')), Number(l.slice(l.lastIndexOf(' ') + 1))]),
  );
}

beforeAll(async () => {
  db = await createTestSchema('summary');
  await db.insert(
    'tenants',
    ['a', 'b', 'c', 'd'].map((id) => ({ id, name: id, plan: 'p', created_at: '2026-01-01T00:00:00Z' })),
  );
  await db.insert('subscriptions', [
    sub('a', '100.00', '2026-01-01T00:00:00Z'),
    sub('b', '200.00', '2026-01-01T00:00:00Z', '2026-06-01T00:00:00Z'),
    sub('c', '50.00', '2026-06-15T00:00:00Z'),
    sub('d', '100.00', '2026-01-01T00:00:00Z', '2026-06-05T00:00:00Z'),
    sub('d', '150.00', '2026-06-05T00:00:00Z'),
  ]);
  await db.insert(
    'users',
    ['u1', 'u2', 'u3'].map((id) => ({ id, tenant_id: 'a', created_at: '2026-01-01T00:00:00Z' })),
  );
  await db.insert('users', [{ id: 'u4', tenant_id: 'a', created_at: '2026-06-15T06:00:00Z' }]);
  // u1 three hours ago (1d, 7d, 30d), u2 four days ago and two minutes ago (1h, 1d, ...), u3
  // twenty days ago (30d); an event after T counts nowhere. u4 signed up today, no event.
  await db.insert('events', [
    ev('u1', '2026-06-15T09:00:00Z'),
    ev('u2', '2026-06-11T10:00:00Z'),
    ev('u2', '2026-06-15T11:58:00Z'),
    ev('u3', '2026-05-26T10:00:00Z'),
    ev('u3', '2026-06-15T13:00:00Z'),
  ]);
  const from = TS - 2 * 3600;
  const at = (perStep: number) => (t: number) => ((t - from) / 15) * perStep;
  [prom, am] = await Promise.all([
    startBackfilledPrometheus(
      [
        { series: 'http_requests_total{job="app",code="200"}', value: at(996) },
        { series: 'http_requests_total{job="app",code="500"}', value: at(4) },
        { series: 'http_request_duration_seconds_bucket{job="app",le="0.1"}', value: at(900) },
        { series: 'http_request_duration_seconds_bucket{job="app",le="0.25"}', value: at(1000) },
        { series: 'http_request_duration_seconds_bucket{job="app",le="+Inf"}', value: at(1000) },
      ],
      from,
      TS,
    ),
    startAlertmanager(),
  ]);
  await am.post([
    { labels: { alertname: 'SaasKpiCustomerChurnHigh', severity: 'warning' }, annotations: { summary: 'Customer churn 33% over 30 days' } },
    { labels: { alertname: 'SaasmonDown', severity: 'critical' }, annotations: { summary: 'saasmon exporter down' } },
    { labels: { alertname: 'Watchdog', severity: 'none' } },
  ]);
  svc = await startTestService(
    db,
    {
      collectors: { ...NO_COLLECTORS, revenue: { enabled: true }, engagement: { enabled: true }, alignment: { enabled: true } },
      prometheus: { url: prom.url },
      alertmanager: { url: am.url },
    },
    () => T,
  );
  await eventually(async () => expect(svc.scheduler.isReady()).toBe(true), 30_000);
}, 120_000);

afterAll(async () => {
  await svc?.close();
  await Promise.all([prom?.stop(), am?.stop()]);
  await db?.close();
});

const summary = async () => {
  const r = await postJson(`${svc.url}/api/v1/query`, { type: 'executive_summary' }, TEST_TOKENS.query);
  expect(r.status).toBe(200);
  return r.body.frames as Frame[];
};

it('gives the hand-computed figures and statuses, the worst as the overall status', async () => {
  const [f] = await summary();
  const byKey = Object.fromEntries(col(f, 'key').map((k, i) => [k, { value: col(f, 'value')[i], status: col(f, 'status')[i] }]));
  expect(byKey.mrr).toEqual({ value: 300, status: null });
  expect(byKey.mrr_growth_30d).toEqual({ value: -0.25, status: 'critical' });
  expect(byKey.paying_customers?.value).toBe(3);
  expect([byKey.active_users_1d?.value, byKey.active_users_7d?.value, byKey.active_users_30d?.value]).toEqual([2, 2, 3]);
  expect(byKey.customer_churn_30d?.status).toBe('critical');
  expect(byKey.customer_churn_30d?.value).toBeCloseTo(1 / 3, 12);
  expect(byKey.uptime_30d?.value).toBeCloseTo(0.996, 9);
  expect(byKey.uptime_30d?.status).toBe('warning');
  expect(byKey.error_ratio_30d?.value).toBeCloseTo(0.004, 9);
  expect(byKey.error_ratio_30d?.status).toBe('healthy');
  expect(byKey.p99_latency_30d?.value).toBeCloseTo(0.235, 9);
  expect(byKey.p99_latency_30d?.status).toBe('warning');
  expect(f?.meta?.custom?.status).toBe('critical');
});

it('equals /metrics at the same instant, figure by figure', async () => {
  const [f] = await summary();
  const metrics = await scrape(svc.url);
  const keys = col(f, 'key');
  const metricOf = col(f, 'metric');
  const compared = col(f, 'value').flatMap((value, i) => {
    const series = metricOf[i] as string | null;
    if (!series) return [];
    expect([keys[i], series, value]).toEqual([keys[i], series, metrics.get(series)]);
    return [series];
  });
  // Every database figure names its series; the platform ones come from Prometheus.
  expect(compared).toHaveLength(14);
});

it('gives the real-time figures', async () => {
  const [f] = await summary();
  const realtime = Object.fromEntries(
    col(f, 'key').flatMap((k, i) => (col(f, 'group')[i] === 'realtime' ? [[k, col(f, 'value')[i]]] : [])),
  );
  // last hour: u2 (one event in 5 minutes: 0.2/min); 24 h: u1, u2; u4 signed up; c first pays 50 today.
  expect(realtime).toEqual({
    active_users_1h: 1,
    active_users_24h: 2,
    events_per_minute: 0.2,
    signups_24h: 1,
    new_paying_tenants_24h: 1,
    new_mrr_24h: 50,
  });
});

it('lists the firing alerts from Alertmanager, worst first, without the Watchdog', async () => {
  const [, alerts] = await summary();
  expect(col(alerts, 'alertname')).toEqual(['SaasmonDown', 'SaasKpiCustomerChurnHigh']);
  expect(col(alerts, 'severity')).toEqual(['critical', 'warning']);
  expect(col(alerts, 'summary')).toEqual(['saasmon exporter down', 'Customer churn 33% over 30 days']);
});

it('says a source failed instead of a number, and that an unset one is not configured', async () => {
  const down = await startTestService(
    db,
    { prometheus: { url: 'http://127.0.0.1:9/' }, alertmanager: { url: 'http://127.0.0.1:9/' } },
    () => T,
  );
  const plain = await startTestService(db, {}, () => T);
  try {
    const r = await postJson(`${down.url}/api/v1/query`, { type: 'executive_summary' }, TEST_TOKENS.query);
    const [f] = r.body.frames as Frame[];
    const i = col(f, 'key').indexOf('uptime_30d');
    expect(col(f, 'value')[i]).toBeNull();
    expect(col(f, 'detail')[i]).toMatch(/Prometheus at .* unreachable/);
    expect(f?.meta?.custom?.alerts).toBe('error');
    expect(col(f, 'value')[col(f, 'key').indexOf('mrr')]).toBe(300);
    const p = await postJson(`${plain.url}/api/v1/query`, { type: 'executive_summary' }, TEST_TOKENS.query);
    const [g] = p.body.frames as Frame[];
    expect(col(g, 'detail')[col(g, 'key').indexOf('p99_latency_30d')]).toBe('prometheus.url is not configured');
    expect(g?.meta?.custom?.alerts).toBe('not_configured');
  } finally {
    await Promise.all([down.close(), plain.close()]);
  }
});

it('refuses unknown fields', async () => {
  const r = await postJson(`${svc.url}/api/v1/query`, { type: 'executive_summary', x: 1 }, TEST_TOKENS.query);
  expect(r.status).toBe(400);
});
