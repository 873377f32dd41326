import { churnRiskFamilies, computeChurnRisk, createChurnRiskCollector } from '../../collectors/churn-risk';
import { copyRows } from '../../demo/copy';
import { Random } from '../../demo/random';
import { collectLines } from '../../testing/collect';
import { createTestSchema, TestSchema } from '../../testing/db';
import { postJson, startTestService } from '../../testing/service';
import { RunningService } from '../../service';

// A company whose churn comes from known signals: each month a tenant is engaged (all its users
// active in the 10 days before the month start) or not (one user active), and past due or not;
// the chance of leaving within the month is logit^-1(-3.5 + 2.5 low activity + 2 past due).
// Seats, tickets, NPS and tenure are noise. The model must find the two signals and rank tenants.

const NOW = new Date('2026-07-01T00:00:00Z');
const DAY_MS = 86_400_000;
const MONTHS = 14; // month starts 2025-05-01 .. 2026-06-01
const monthStart = (m: number) => Date.UTC(2025, 4 + m, 1);
const iso = (ms: number) => new Date(ms).toISOString();
let db: TestSchema;
let svc: RunningService;
type Frame = { fields: Array<{ name: string; values: unknown[] }>; meta?: { custom?: Record<string, unknown> } };
const col = (f: Frame | undefined, n: string) => f?.fields.find((x) => x.name === n)?.values;

/** Ground truth per tenant at NOW, for the ranking check. */
const truthNow = new Map<string, { low: boolean; pastDue: boolean }>();

beforeAll(async () => {
  db = await createTestSchema('churnrisk');
  const rng = new Random(2026);
  const tenants: unknown[][] = [];
  const users: unknown[][] = [];
  const subs: unknown[][] = [];
  const events: unknown[][] = [];
  const nps: unknown[][] = [];
  const tickets: unknown[][] = [];
  let ev = 0;
  for (let i = 0; i < 500; i++) {
    const id = `t${String(i).padStart(3, '0')}`;
    const created = monthStart(0) - rng.int(1, 20) * DAY_MS;
    const plan = rng.pick(['basic', 'pro']);
    tenants.push([id, id, plan, iso(created)]);
    const seats = rng.int(2, 8);
    for (let u = 0; u < seats; u++) users.push([`${id}u${u}`, id, iso(created)]);
    let low = rng.chance(0.3);
    for (let m = 0; m < MONTHS + 1; m++) {
      const start = monthStart(m);
      if (start > NOW.getTime()) break;
      if (m > 0 && rng.chance(0.2)) low = !low;
      const pastDue = rng.chance(0.12);
      // activity in the 10 days before the month start
      const active = low ? 1 : seats;
      for (let u = 0; u < active; u++)
        events.push([`e${++ev}`, id, `${id}u${u}`, 'page.viewed', iso(start - rng.int(1, 9) * DAY_MS - rng.int(0, 3600_000))]);
      // dated in the month the tenant has just lived through: nothing here may hint at its future
      if (rng.chance(0.3)) nps.push([`n${ev}`, id, rng.int(0, 10), iso(start - rng.int(1, 25) * DAY_MS)]);
      if (rng.chance(0.2)) tickets.push([`k${ev}`, id, rng.pick(['urgent', 'low']), iso(start - rng.int(1, 5) * DAY_MS)]);
      if (start === NOW.getTime()) {
        truthNow.set(id, { low, pastDue });
        subs.push([`${id}s${m}`, id, plan, pastDue ? 'past_due' : 'active', plan === 'pro' ? '200.00' : '50.00', 1, iso(start), null]);
        break;
      }
      const leaves = rng.chance(1 / (1 + Math.exp(-(-3.5 + 2.5 * (low ? 1 : 0) + 2 * (pastDue ? 1 : 0)))));
      const end = leaves ? start + rng.int(1, 27) * DAY_MS : monthStart(m + 1);
      subs.push([`${id}s${m}`, id, plan, pastDue ? 'past_due' : 'active', plan === 'pro' ? '200.00' : '50.00', 1, iso(start), iso(end)]);
      if (leaves) break;
    }
  }
  const client = await db.pool.connect();
  try {
    await copyRows(client, 'tenants', ['id', 'name', 'plan', 'created_at'], tenants as never);
    await copyRows(client, 'users', ['id', 'tenant_id', 'created_at'], users as never);
    await copyRows(
      client,
      'subscriptions',
      ['id', 'tenant_id', 'plan', 'status', 'amount', 'interval_months', 'valid_from', 'valid_to'],
      subs as never,
    );
    await copyRows(client, 'events', ['id', 'tenant_id', 'user_id', 'name', 'occurred_at'], events as never);
    await copyRows(client, 'nps_responses', ['id', 'tenant_id', 'score', 'responded_at'], nps as never);
    await copyRows(client, 'support_tickets', ['id', 'tenant_id', 'priority', 'opened_at'], tickets as never);
  } finally {
    client.release();
  }
  // As the exporter keeps them: deltas folded into the rollups, statistics fresh.
  await db.pool.query('SELECT saasmon_compact_event_rollups()');
  await db.pool.query('ANALYZE');
  svc = await startTestService(db, { churnRisk: { historyMonths: 14 } }, () => NOW);
}, 120_000);
afterAll(async () => {
  await svc.close();
  await db.close();
});

it('recovers the signals churn was generated from, with a time-split AUC well above chance', async () => {
  const r = await computeChurnRisk(db.pool, NOW, db.config(), 14, 1);
  const h30 = r.horizons.find((h) => h.horizonDays === 30)!;
  const h90 = r.horizons.find((h) => h.horizonDays === 90)!;
  expect(h30.evalSamples).toBeGreaterThan(300);
  expect(h30.auc).toBeGreaterThan(0.75);
  expect(h90.auc).toBeGreaterThan(0.65); // the state is redrawn monthly: 90 days ahead is harder to see
  expect(h30.calibrationRatio).toBeGreaterThan(0.6);
  expect(h30.calibrationRatio).toBeLessThan(1.6);
  const c = h30.coefficients;
  if (process.env.SAASMON_PRINT_FIGURES)
    process.stdout.write(
      `${JSON.stringify({ h30: { auc: h30.auc, brier: h30.brier, cal: h30.calibrationRatio, n: h30.evalSamples, churned: h30.evalChurned, train: h30.trainSamples, c }, h90: { auc: h90.auc, brier: h90.brier, cal: h90.calibrationRatio, n: h90.evalSamples, churned: h90.evalChurned, train: h90.trainSamples } })}\n`,
    );
  const ranked = Object.entries(c)
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
    .map(([k]) => k);
  // low activity raises risk (negative coefficient on activity); past due raises it
  expect(ranked.slice(0, 2).sort()).toEqual(['activity', 'past_due']);
  expect(c.activity).toBeLessThan(0);
  expect(c.past_due).toBeGreaterThan(0);
  const smaller = Math.min(Math.abs(c.activity as number), Math.abs(c.past_due as number));
  for (const noise of ['nps', 'nps_missing', 'open_urgent_tickets', 'open_other_tickets', 'tenure', 'plan:basic', 'plan:pro']) {
    expect([noise, Math.abs(c[noise] as number) < smaller / 3]).toEqual([noise, true]);
  }
  // scoring now: disengaged and past due tenants first, and the drivers name the signals
  const byTruth = (low: boolean, pastDue: boolean) =>
    r.tenants
      .filter((t) => truthNow.get(t.tenant)?.low === low && truthNow.get(t.tenant)?.pastDue === pastDue)
      .map((t) => t.probability[30] ?? NaN);
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  expect(mean(byTruth(true, true))).toBeGreaterThan(mean(byTruth(true, false)));
  expect(mean(byTruth(true, false))).toBeGreaterThan(mean(byTruth(false, false)));
  const worst = r.tenants.find((t) => truthNow.get(t.tenant)?.low && truthNow.get(t.tenant)?.pastDue);
  expect(
    worst?.drivers
      .map((d) => d.signal)
      .slice(0, 2)
      .sort(),
  ).toEqual(['activity', 'past_due']);
  const lines = (await import('../../testing/collect')).sampleLines(churnRiskFamilies(r, 10));
  expect((await lines).some((l) => l.startsWith('saasmon_churn_risk_auc_ratio{horizon="30d"}'))).toBe(true);
}, 120_000);

it('the churn_risk query lists tenants by 30-day probability beside their health score', async () => {
  const res = await postJson(`${svc.url}/api/v1/query`, { type: 'churn_risk', limit: 5 });
  expect(res.status).toBe(200);
  const [tenants, model] = res.body.frames as Frame[];
  const p = col(tenants, 'churn_probability_30d') as number[];
  expect(p).toHaveLength(5);
  expect([...p].sort((a, b) => b - a)).toEqual(p);
  expect(col(tenants, 'health_score')?.every((s) => typeof s === 'number')).toBe(true);
  expect(col(tenants, 'driver_1')?.[0]).toMatch(/^(activity|past_due) \(\+\d/);
  expect(col(model, 'horizon_days')).toEqual([30, 90]);
  const one = await postJson(`${svc.url}/api/v1/query`, { type: 'churn_risk', filters: { tenant: [col(tenants, 'tenant')?.[0]] } });
  expect(col((one.body.frames as Frame[])[0], 'tenant')).toEqual([col(tenants, 'tenant')?.[0]]);
}, 120_000);

it('reports the model quality as metrics', async () => {
  const lines = await collectLines(createChurnRiskCollector(), db.config({ churnRisk: { historyMonths: 14 } }), NOW);
  const names = new Set(lines.map((l) => l.slice(0, l.indexOf('{'))));
  expect([...names].sort()).toEqual([
    'saasmon_churn_risk_auc_ratio',
    'saasmon_churn_risk_brier_score',
    'saasmon_churn_risk_calibration_ratio',
    'saasmon_churn_risk_evaluation_samples',
    'saasmon_churn_risk_expected_churned_tenants',
    'saasmon_tenant_churn_probability_ratio',
  ]);
  // capped like the health score series: 2 horizons x at most tenantHealth.maxSeries tenants
  const capped = await collectLines(
    createChurnRiskCollector(),
    db.config({ churnRisk: { historyMonths: 14 }, tenantHealth: { maxSeries: 3 } }),
    NOW,
    /tenant_churn/,
  );
  expect(capped).toHaveLength(6);
}, 120_000);

it('an empty company: no model, no probabilities, metrics absent', async () => {
  const empty = await createTestSchema('churnempty');
  try {
    const r = await computeChurnRisk(empty.pool, NOW, empty.config(), 14, 1);
    expect(r.tenants).toEqual([]);
    expect(r.horizons.map((h) => h.auc)).toEqual([undefined, undefined]);
    expect(await collectLines(createChurnRiskCollector(), empty.config(), NOW, /auc|brier|calibration|expected/)).toEqual([]);
  } finally {
    await empty.close();
  }
});
