import { createTestSchema, TestSchema } from '../../testing/db';
import { postJson, startTestService } from '../../testing/service';
import { RunningService } from '../../service';

let db: TestSchema;
let svc: RunningService;
type Frame = { fields: Array<{ name: string; values: unknown[] }> };
const col = (f: Frame | undefined, n: string) => f?.fields.find((x) => x.name === n)?.values;
const query = (extra: Record<string, unknown> = {}) =>
  postJson(`${svc.url}/api/v1/query`, { type: 'feature_adoption', from: '2026-06-01T00:00:00Z', to: '2026-07-01T00:00:00Z', ...extra });

let n = 0;
const e = (tenant: string, name: string, at = '2026-06-10T00:00:00Z') => ({
  id: `e${++n}`,
  tenant_id: tenant,
  user_id: null,
  name,
  occurred_at: at,
});

beforeAll(async () => {
  db = await createTestSchema('adoption');
  svc = await startTestService(db);
  await db.insert('tenants', [
    { id: 't1', name: 'A', plan: 'starter', created_at: '2026-01-01T00:00:00Z' },
    { id: 't2', name: 'B', plan: 'starter', created_at: '2026-01-01T00:00:00Z' },
    { id: 't3', name: 'C', plan: 'business', created_at: '2026-01-01T00:00:00Z' },
    { id: 't4', name: 'D', plan: 'business', created_at: '2026-01-01T00:00:00Z' },
  ]);
  await db.insert('events', [
    // active in June: t1, t2, t3 (t4 only in May)
    e('t1', 'report.exported'),
    e('t1', 'report.exported'),
    e('t1', 'workflow.created'),
    e('t2', 'workflow.created'),
    e('t3', 'report.exported'),
    e('t4', 'report.exported', '2026-05-31T23:59:59Z'),
    // an event exactly at `to` is outside
    e('t2', 'report.exported', '2026-07-01T00:00:00Z'),
  ]);
});
afterAll(async () => {
  await svc.close();
  await db.close();
});

it('gives each feature x plan the share of active tenants that used it', async () => {
  const [f] = (await query()).body.frames as Frame[];
  expect(col(f, 'feature')).toEqual([
    'report.exported',
    'report.exported',
    'report.exported',
    'workflow.created',
    'workflow.created',
    'workflow.created',
  ]);
  expect(col(f, 'plan')).toEqual(['all', 'business', 'starter', 'all', 'business', 'starter']);
  // report.exported: all 2/3 (t1, t3); business 1/1 (t3; t4 inactive); starter 1/2 (t1)
  // workflow.created: all 2/3 (t1, t2); business 0/1; starter 2/2
  expect(col(f, 'tenants_using')).toEqual([2, 1, 1, 2, 0, 2]);
  expect(col(f, 'active_tenants')).toEqual([3, 1, 2, 3, 1, 2]);
  expect(col(f, 'adoption')).toEqual([2 / 3, 1, 0.5, 2 / 3, 0, 1]);
});

it('limits to the asked features and plans', async () => {
  const [f] = (await query({ features: ['workflow.created'], plans: ['starter'] })).body.frames as Frame[];
  expect(col(f, 'plan')).toEqual(['all', 'starter']);
  expect(col(f, 'adoption')).toEqual([1, 1]);
});

it('answers ranges that start and end inside days from the rollups exactly, and a range inside one day from events', async () => {
  // From 2026-06-10T00:00:01Z: the 2026-06-10T00:00:00Z events of t1, t2, t3 are before it.
  const late = await query({ from: '2026-06-10T00:00:01Z', to: '2026-07-01T00:00:01Z' });
  const [f] = late.body.frames as Frame[];
  // Only t2's report.exported at 2026-07-01T00:00:00Z is in range.
  expect(col(f, 'feature')).toEqual(['report.exported', 'report.exported']);
  expect(col(f, 'plan')).toEqual(['all', 'starter']);
  expect(col(f, 'tenants_using')).toEqual([1, 1]);
  // Inside one UTC day: [00:00:00, 00:00:01) on 2026-06-10 holds the three tenants' events.
  const sameDay = await query({ from: '2026-06-10T00:00:00Z', to: '2026-06-10T00:00:01Z' });
  const [g] = sameDay.body.frames as Frame[];
  expect(col(g, 'active_tenants')?.[0]).toBe(3);
});
