import { createTestSchema, TestSchema } from '../../testing/db';
import { postJson, startTestService } from '../../testing/service';
import { RunningService } from '../../service';

const NOW = new Date('2026-04-15T00:00:00Z');
let db: TestSchema;
let svc: RunningService;
type Frame = { fields: Array<{ name: string; values: unknown[] }> };
const col = (f: Frame | undefined, n: string) => f?.fields.find((x) => x.name === n)?.values;
const query = (body: Record<string, unknown>) => postJson(`${svc.url}/api/v1/query`, { type: 'mrr_movements', ...body });

let n = 0;
const sub = (tenant: string, status: string, amount: string, months: number, from: string, to: string | null = null) => ({
  id: `s${++n}`,
  tenant_id: tenant,
  plan: 'p',
  status,
  amount,
  interval_months: months,
  valid_from: from,
  valid_to: to,
});

beforeAll(async () => {
  db = await createTestSchema('mrrmoves');
  svc = await startTestService(db, {}, () => NOW);
  await db.insert(
    'tenants',
    ['a', 'b', 'c'].map((id) => ({ id, name: id, plan: 'p', created_at: '2025-01-01T00:00:00Z' })),
  );
  await db.insert('subscriptions', [
    // a: 100 -> 150 on 02-10 (expansion in Feb), ends 03-20 (churn 150 in Mar)
    sub('a', 'active', '100.00', 1, '2025-12-01T00:00:00Z', '2026-02-10T00:00:00Z'),
    sub('a', 'active', '150.00', 1, '2026-02-10T00:00:00Z', '2026-03-20T00:00:00Z'),
    // b: trial, paid 60 from 01-20 (new in Jan), 40 from 03-10 (contraction 20 in Mar)
    sub('b', 'trialing', '60.00', 1, '2026-01-05T00:00:00Z', '2026-01-20T00:00:00Z'),
    sub('b', 'active', '60.00', 1, '2026-01-20T00:00:00Z', '2026-03-10T00:00:00Z'),
    sub('b', 'active', '40.00', 1, '2026-03-10T00:00:00Z'),
    // c: annual 1200 = 100/month until 01-15 (churn in Jan); again 50 from exactly 03-01 00:00,
    // which is in force at the Feb period's end instant: reactivation 50 in Feb (m1 = MRR at B)
    sub('c', 'active', '1200.00', 12, '2025-06-01T00:00:00Z', '2026-01-15T00:00:00Z'),
    sub('c', 'past_due', '50.00', 1, '2026-03-01T00:00:00Z'),
  ]);
});
afterAll(async () => {
  await svc.close();
  await db.close();
});

it('classifies movements per month; the identity holds in every row', async () => {
  const r = await query({ from: '2026-01-01T00:00:00Z', to: '2026-05-01T00:00:00Z' });
  expect(r.status).toBe(200);
  const [f] = r.body.frames as Frame[];
  // MRR at 01-01: a 100 + c 100 = 200; 02-01: a 100 + b 60 = 160; 03-01: a 150 + b 60 + c 50 = 260;
  // 04-01: b 40 + c 50 = 90; April ends at now (04-15): still 90
  expect(col(f, 'time')).toEqual(['2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01'].map((d) => Date.parse(`${d}T00:00:00Z`)));
  expect(col(f, 'end')).toEqual([
    Date.parse('2026-02-01T00:00:00Z'),
    Date.parse('2026-03-01T00:00:00Z'),
    Date.parse('2026-04-01T00:00:00Z'),
    NOW.getTime(),
  ]);
  expect(col(f, 'starting_mrr')).toEqual([200, 160, 260, 90]);
  expect(col(f, 'new')).toEqual([60, 0, 0, 0]);
  expect(col(f, 'expansion')).toEqual([0, 50, 0, 0]);
  expect(col(f, 'contraction')).toEqual([0, 0, 20, 0]);
  expect(col(f, 'churn')).toEqual([100, 0, 150, 0]);
  expect(col(f, 'reactivation')).toEqual([0, 50, 0, 0]);
  expect(col(f, 'ending_mrr')).toEqual([160, 260, 90, 90]);
});

it('cuts Monday weeks', async () => {
  // 2026-01-14 is a Wednesday: week of 01-12 .. 01-19 (c churns 01-15: -100), 01-19 .. 01-26 (b new 60 on 01-20)
  const r = await query({ from: '2026-01-14T00:00:00Z', to: '2026-01-20T00:00:00Z', interval: 'week' });
  const [f] = r.body.frames as Frame[];
  expect(col(f, 'time')).toEqual([Date.parse('2026-01-12T00:00:00Z'), Date.parse('2026-01-19T00:00:00Z')]);
  expect(col(f, 'churn')).toEqual([100, 0]);
  expect(col(f, 'new')).toEqual([0, 60]);
  expect(col(f, 'ending_mrr')).toEqual([100, 160]);
});

it('names the bad field', async () => {
  const base = { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' };
  const badInterval = await query({ ...base, interval: 'day' });
  expect(badInterval.status).toBe(400);
  expect(badInterval.body.error).toMatch(/^interval:/);
  expect((await query({ ...base, plan: 'x' })).body.error).toMatch(/plan/);
  expect((await query({ ...base, to: '2025-01-01T00:00:00Z' })).body.error).toMatch(/^to: must be after from/);
  expect((await query({ to: base.to })).body.error).toMatch(/^from:/);
});
