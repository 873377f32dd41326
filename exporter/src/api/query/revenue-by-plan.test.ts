import { createTestSchema, TestSchema } from '../../testing/db';
import { postJson, startTestService } from '../../testing/service';
import { RunningService } from '../../service';

const NOW = new Date('2026-04-15T00:00:00Z');
let db: TestSchema;
let svc: RunningService;
type Frame = { fields: Array<{ name: string; values: unknown[] }> };
const col = (f: Frame | undefined, n: string) => f?.fields.find((x) => x.name === n)?.values;
const query = (body: Record<string, unknown>) => postJson(`${svc.url}/api/v1/query`, { type: 'revenue_by_plan', ...body });

beforeAll(async () => {
  db = await createTestSchema('revbyplan');
  svc = await startTestService(db, {}, () => NOW);
  await db.insert(
    'tenants',
    ['a', 'b', 'c'].map((id) => ({ id, name: id, plan: 'x', created_at: '2025-01-01T00:00:00Z' })),
  );
  const row = { status: 'active', interval_months: 1, valid_to: null };
  await db.insert('subscriptions', [
    // a: starter 100 until 02-10, then business 300
    {
      ...row,
      id: 's1',
      tenant_id: 'a',
      plan: 'starter',
      amount: '100.00',
      valid_from: '2025-12-01T00:00:00Z',
      valid_to: '2026-02-10T00:00:00Z',
    },
    { ...row, id: 's2', tenant_id: 'a', plan: 'business', amount: '300.00', valid_from: '2026-02-10T00:00:00Z' },
    // b: a business trial from 01-05: the plan is known (0), the trial pays nothing
    { ...row, id: 's3', tenant_id: 'b', plan: 'business', status: 'trialing', amount: '300.00', valid_from: '2026-01-05T00:00:00Z' },
    // c: enterprise quarterly 900 = 300/month from 03-15
    { ...row, id: 's4', tenant_id: 'c', plan: 'enterprise', amount: '900.00', interval_months: 3, valid_from: '2026-03-15T00:00:00Z' },
  ]);
});
afterAll(async () => {
  await svc.close();
  await db.close();
});

it('gives MRR per plan at each period end; a plan not started yet is null, an emptied one 0', async () => {
  const r = await query({ from: '2026-01-01T00:00:00Z', to: '2026-04-01T00:00:00Z' });
  expect(r.status).toBe(200);
  const [f] = r.body.frames as Frame[];
  expect(f?.fields.map((x) => x.name)).toEqual(['time', 'at', 'business', 'enterprise', 'starter']);
  expect(col(f, 'at')).toEqual(['2026-02-01', '2026-03-01', '2026-04-01'].map((d) => Date.parse(`${d}T00:00:00Z`)));
  // 02-01: starter a 100, business b trial 0; 03-01: business a 300, starter 0; 04-01: + enterprise 300
  expect(col(f, 'starter')).toEqual([100, 0, 0]);
  expect(col(f, 'business')).toEqual([0, 300, 300]);
  expect(col(f, 'enterprise')).toEqual([null, null, 300]);
});

it('names the bad field', async () => {
  const r = await query({ from: '2026-01-01T00:00:00Z', to: '2026-04-01T00:00:00Z', interval: 'year' });
  expect(r.status).toBe(400);
  expect(r.body.error).toMatch(/^interval:/);
  expect((await query({ from: 'yesterday', to: '2026-04-01T00:00:00Z' })).body.error).toMatch(/^from:/);
});
