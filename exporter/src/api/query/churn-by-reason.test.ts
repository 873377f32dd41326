import { createTestSchema, TestSchema } from '../../testing/db';
import { postJson, startTestService } from '../../testing/service';
import { RunningService } from '../../service';

const NOW = new Date('2026-04-15T00:00:00Z');
let db: TestSchema;
let svc: RunningService;
type Frame = { fields: Array<{ name: string; values: unknown[] }> };
const col = (f: Frame | undefined, n: string) => f?.fields.find((x) => x.name === n)?.values;
const query = (body: Record<string, unknown>) => postJson(`${svc.url}/api/v1/query`, { type: 'churn_by_reason', ...body });

const tenant = (id: string, churnedAt: string, reason: string | null) => ({
  id,
  name: id,
  plan: 'p',
  created_at: '2025-01-01T00:00:00Z',
  churned_at: churnedAt,
  churn_reason: reason,
});
const sub = (id: string, tenant: string, status: string, amount: string, months: number, from: string, to: string | null) => ({
  id,
  tenant_id: tenant,
  plan: 'p',
  status,
  amount,
  interval_months: months,
  valid_from: from,
  valid_to: to,
});

beforeAll(async () => {
  db = await createTestSchema('churnreason');
  svc = await startTestService(db, {}, () => NOW);
  await db.insert('tenants', [
    tenant('t1', '2026-02-01T00:00:00Z', 'price'),
    tenant('t2', '2026-02-15T00:00:00Z', 'price'),
    tenant('t3', '2026-03-01T00:00:00Z', null),
    tenant('t4', '2026-04-01T00:00:00Z', 'price'), // at `to`: outside [from, to)
    tenant('t5', '2026-01-10T00:00:00Z', 'missing_feature'),
  ]);
  await db.insert('subscriptions', [
    // t1: 100 until the churn instant: lost 100
    sub('s1', 't1', 'active', '100.00', 1, '2025-06-01T00:00:00Z', '2026-02-01T00:00:00Z'),
    // t2: 50, then annual 1200 (100/month) ending 01-31, before the churn mark: lost 100 (the last paying MRR)
    sub('s2', 't2', 'active', '50.00', 1, '2025-01-01T00:00:00Z', '2025-12-01T00:00:00Z'),
    sub('s3', 't2', 'active', '1200.00', 12, '2025-12-01T00:00:00Z', '2026-01-31T00:00:00Z'),
    // t3: quarterly 90 past_due, never closed: 30 in force just before churned_at
    sub('s4', 't3', 'past_due', '90.00', 3, '2025-10-01T00:00:00Z', null),
    // t4 outside the range
    sub('s5', 't4', 'active', '999.00', 1, '2025-10-01T00:00:00Z', '2026-04-01T00:00:00Z'),
    // t5: only ever trialed: lost 0
    sub('s6', 't5', 'trialing', '80.00', 1, '2026-01-01T00:00:00Z', '2026-01-10T00:00:00Z'),
  ]);
});
afterAll(async () => {
  await svc.close();
  await db.close();
});

it('counts churned tenants and lost MRR per reason, largest loss first', async () => {
  const r = await query({ from: '2026-01-01T00:00:00Z', to: '2026-04-01T00:00:00Z' });
  expect(r.status).toBe(200);
  const [f] = r.body.frames as Frame[];
  expect(col(f, 'reason')).toEqual(['price', '(none)', 'missing_feature']);
  expect(col(f, 'churned_tenants')).toEqual([2, 1, 1]);
  expect(col(f, 'lost_mrr')).toEqual([200, 30, 0]);
});

it('names the bad field', async () => {
  const r = await query({ from: '2026-01-01T00:00:00Z', to: '2026-04-01T00:00:00Z', interval: 'month' });
  expect(r.status).toBe(400);
  expect(r.body.error).toMatch(/interval/);
  expect((await query({ from: '2026-01-01T00:00:00Z', to: '2016-04-01T00:00:00Z' })).body.error).toMatch(/^to:/);
});
