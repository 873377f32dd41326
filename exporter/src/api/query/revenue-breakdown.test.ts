import { createTestSchema, TestSchema } from '../../testing/db';
import { postJson, startTestService } from '../../testing/service';
import { RunningService } from '../../service';

// T = 2026-07-01, T-30d = 2026-06-01.
const NOW = new Date('2026-07-01T00:00:00Z');
let db: TestSchema;
let svc: RunningService;
type Frame = { fields: Array<{ name: string; values: unknown[] }> };
const col = (f: Frame | undefined, n: string) => f?.fields.find((x) => x.name === n)?.values;
const breakdown = async (body: Record<string, unknown>) => {
  const r = await postJson(`${svc.url}/api/v1/query`, { type: 'revenue_breakdown', ...body });
  expect(r.status).toBe(200);
  return (r.body.frames as Frame[])[0];
};
const close = (values: unknown[] | undefined) => values?.map((v) => (typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v));

let n = 0;
const sub = (tenantId: string, plan: string, amount: string, from: string, to: string | null = null) => ({
  id: `s${++n}`,
  tenant_id: tenantId,
  plan,
  status: 'active',
  amount,
  interval_months: 1,
  valid_from: from,
  valid_to: to,
});

beforeAll(async () => {
  db = await createTestSchema('breakdown');
  svc = await startTestService(db, {}, () => NOW);
  const tenant = (id: string, segment: string) => ({ id, name: id, plan: 'x', segment, created_at: '2025-01-01T00:00:00Z' });
  await db.insert('tenants', [
    tenant('a', 'smb'),
    tenant('b', 'smb'),
    tenant('c', 'ent'),
    tenant('d', 'ent'),
    tenant('e', 'smb'),
    tenant('f', 'ent'),
  ]);
  await db.insert('subscriptions', [
    sub('a', 'pro', '100.00', '2026-01-01T00:00:00Z'), // stays
    sub('b', 'pro', '200.00', '2026-01-01T00:00:00Z', '2026-06-15T00:00:00Z'), // churns
    sub('c', 'basic', '50.00', '2026-01-01T00:00:00Z'), // stays
    sub('d', 'basic', '50.00', '2026-01-01T00:00:00Z', '2026-06-10T00:00:00Z'), // upgrades basic -> pro
    sub('d', 'pro', '150.00', '2026-06-10T00:00:00Z'),
    sub('e', 'pro', '100.00', '2026-06-20T00:00:00Z'), // new
    sub('f', 'basic', '30.00', '2026-01-01T00:00:00Z', '2026-06-30T00:00:00Z'), // churns
  ]);
});
afterAll(async () => {
  await svc.close();
  await db.close();
});

it('by plan: churn over the plan at T-30d, ARPA and LTV over the plan at T', async () => {
  const f = await breakdown({ by: 'plan' });
  expect(col(f, 'plan')).toEqual(['basic', 'pro']);
  // basic at T-30d: c, d, f; f churned. pro at T-30d: a, b; b churned.
  expect(col(f, 'paying_30d_ago')).toEqual([3, 2]);
  expect(col(f, 'churned_30d')).toEqual([1, 1]);
  expect(close(col(f, 'customer_churn_rate'))).toEqual(close([1 / 3, 0.5]));
  // gross MRR churn: basic 30 / 130 (d's expansion does not offset it); pro 200 / 300
  expect(close(col(f, 'gross_mrr_churn_rate'))).toEqual(close([30 / 130, 200 / 300]));
  // at T: basic c 50; pro a 100 + d 150 + e 100
  expect(col(f, 'paying')).toEqual([1, 3]);
  expect(col(f, 'mrr')).toEqual([50, 350]);
  expect(close(col(f, 'arpa'))).toEqual(close([50, 350 / 3]));
  expect(close(col(f, 'ltv'))).toEqual(close([50 / (1 / 3), 350 / 3 / 0.5]));
});

it('by segment', async () => {
  const f = await breakdown({ by: 'segment' });
  expect(col(f, 'segment')).toEqual(['ent', 'smb']);
  expect(close(col(f, 'customer_churn_rate'))).toEqual(close([1 / 3, 0.5]));
  expect(col(f, 'arpa')).toEqual([100, 100]);
  expect(close(col(f, 'ltv'))).toEqual(close([300, 200]));
});

it('one tenant: no churn, no LTV; empty groups; an earlier T', async () => {
  const one = await breakdown({ by: 'plan', filters: { tenant: ['a'] } });
  expect(col(one, 'plan')).toEqual(['pro']);
  expect(col(one, 'customer_churn_rate')).toEqual([0]);
  expect(col(one, 'ltv')).toEqual([null]);
  expect(col(await breakdown({ by: 'segment', filters: { plan: ['nope'] } }), 'segment')).toEqual([]);
  // T = 2026-06-12: T-30d = 05-13; nothing churned yet; d is on pro now
  const earlier = await breakdown({ by: 'plan', at: '2026-06-12T00:00:00Z' });
  expect(col(earlier, 'churned_30d')).toEqual([0, 0]);
  expect(col(earlier, 'mrr')).toEqual([80, 450]);
});

it('needs `by`, naming it', async () => {
  const r = await postJson(`${svc.url}/api/v1/query`, { type: 'revenue_breakdown' });
  expect(r.status).toBe(400);
  expect(r.body.error).toMatch(/^by/);
});
