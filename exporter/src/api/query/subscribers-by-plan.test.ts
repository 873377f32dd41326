import { readMrrByPlan } from '../../reads/revenue';
import { moneyToNumber } from '../../domain/money';
import { createTestSchema, TestSchema } from '../../testing/db';
import { postJson, startTestService } from '../../testing/service';
import { RunningService } from '../../service';

const NOW = new Date('2026-04-15T00:00:00Z');
let db: TestSchema;
let svc: RunningService;
type Frame = { name: string; fields: Array<{ name: string; values: unknown[]; config?: { unit?: string } }> };
const query = (body: Record<string, unknown> = {}) => postJson(`${svc.url}/api/v1/query`, { type: 'subscribers_by_plan', ...body });

beforeAll(async () => {
  db = await createTestSchema('subsbyplan');
  svc = await startTestService(db, { currency: 'EUR' }, () => NOW);
  await db.insert(
    'tenants',
    ['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8'].map((id) => ({ id, name: id, plan: 'x', created_at: '2025-01-01T00:00:00Z' })),
  );
  const row = { status: 'active', interval_months: 1, valid_to: null, valid_from: '2026-01-01T00:00:00Z' };
  await db.insert('subscriptions', [
    // starter: t1 10/month, t2 past_due 30 per quarter = 10 (counts), t3 trialing (not paying)
    { ...row, id: 's1', tenant_id: 't1', plan: 'starter', amount: '10.00' },
    { ...row, id: 's2', tenant_id: 't2', plan: 'starter', status: 'past_due', amount: '30.00', interval_months: 3 },
    { ...row, id: 's3', tenant_id: 't3', plan: 'starter', status: 'trialing', amount: '10.00' },
    // business: t4 1200 a year = 100; t5 left before NOW; t8 a free row (amount 0, not paying)
    { ...row, id: 's4', tenant_id: 't4', plan: 'business', amount: '1200.00', interval_months: 12 },
    { ...row, id: 's5', tenant_id: 't5', plan: 'business', amount: '500.00', valid_to: '2026-03-01T00:00:00Z' },
    { ...row, id: 's8', tenant_id: 't8', plan: 'business', amount: '0' },
    // legacy: its only row ended exactly at NOW (valid_to is exclusive): listed with 0
    { ...row, id: 's6', tenant_id: 't6', plan: 'legacy', amount: '50.00', valid_to: NOW.toISOString() },
    // enterprise starts after NOW: not a plan yet
    { ...row, id: 's7', tenant_id: 't7', plan: 'enterprise', amount: '900.00', valid_from: '2026-05-01T00:00:00Z' },
  ]);
});
afterAll(async () => {
  await svc.close();
  await db.close();
});

it('gives paying tenants, MRR and ARPA per plan now, highest MRR first', async () => {
  const r = await query();
  expect(r.status).toBe(200);
  const [f] = r.body.frames as Frame[];
  expect(f?.name).toBe('subscribers_by_plan');
  const col = (n: string) => f?.fields.find((x) => x.name === n)?.values;
  expect(col('plan')).toEqual(['business', 'starter', 'legacy']);
  expect(col('subscribers')).toEqual([1, 2, 0]);
  expect(col('mrr')).toEqual([100, 20, 0]);
  expect(col('arpa')).toEqual([100, 10, null]);
  expect(f?.fields.find((x) => x.name === 'mrr')?.config).toEqual({ unit: 'currencyEUR' });
});

it('agrees with saasmon_mrr_by_plan at the same instant', async () => {
  const [plans = []] = await readMrrByPlan(db.pool, [NOW]);
  const [f] = (await query()).body.frames as Frame[];
  const mrr = new Map(plans.map((p) => [p.plan, moneyToNumber(p.mrr)]));
  const names = f?.fields.find((x) => x.name === 'plan')?.values as string[];
  const values = f?.fields.find((x) => x.name === 'mrr')?.values as number[];
  expect(new Map(names.map((n, i) => [n, values[i]]))).toEqual(mrr);
});

it('takes no parameters', async () => {
  const r = await query({ from: '2026-01-01T00:00:00Z' });
  expect(r.status).toBe(400);
  expect(r.body.error).toMatch(/from|unrecognized/i);
});
