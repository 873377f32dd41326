import { createTestSchema, TestSchema } from '../../testing/db';
import { postJson, startTestService } from '../../testing/service';
import { RunningService } from '../../service';

const NOW = new Date('2026-06-15T12:00:00Z');
let db: TestSchema;
let svc: RunningService;
type Frame = { fields: Array<{ name: string; values: unknown[] }>; meta?: { notices?: Array<{ text: string }> } };
const col = (f: Frame | undefined, n: string) => f?.fields.find((x) => x.name === n)?.values;

beforeAll(async () => {
  db = await createTestSchema('exp');
  svc = await startTestService(db, {}, () => NOW);
  await db.insert('tenants', [{ id: 't1', name: 'A', plan: 'starter', created_at: '2026-01-01T00:00:00Z' }]);
  const users = Array.from({ length: 10 }, (_, i) => ({
    id: `u${i}`,
    tenant_id: 't1',
    created_at: '2026-05-01T00:00:00Z',
    deleted_at: i === 9 ? '2026-06-01T00:00:00Z' : null,
  }));
  await db.insert('users', users);
  await db.insert('experiments', [
    { id: 'x1', name: 'New onboarding', success_event: 'workflow.created', status: 'running', started_at: '2026-06-01T00:00:00Z' },
  ]);
  // control: u0..u3 (4), variant: u4..u8 (5); u9 is deleted and counts nowhere
  await db.insert(
    'experiment_assignments',
    users.map((u, i) => ({
      experiment_id: 'x1',
      user_id: u.id,
      variant: i < 4 ? 'control' : 'variant',
      assigned_at: '2026-06-02T00:00:00Z',
    })),
  );
  await db.insert('events', [
    // control: u0 converts; u1's event is BEFORE assignment and does not count
    { id: 'e1', tenant_id: 't1', user_id: 'u0', name: 'workflow.created', occurred_at: '2026-06-03T00:00:00Z' },
    { id: 'e2', tenant_id: 't1', user_id: 'u1', name: 'workflow.created', occurred_at: '2026-06-01T00:00:00Z' },
    // variant: u4, u5, u6 convert (u4 twice: counted once); u7 does another event
    { id: 'e3', tenant_id: 't1', user_id: 'u4', name: 'workflow.created', occurred_at: '2026-06-03T00:00:00Z' },
    { id: 'e4', tenant_id: 't1', user_id: 'u4', name: 'workflow.created', occurred_at: '2026-06-04T00:00:00Z' },
    { id: 'e5', tenant_id: 't1', user_id: 'u5', name: 'workflow.created', occurred_at: '2026-06-03T00:00:00Z' },
    { id: 'e6', tenant_id: 't1', user_id: 'u6', name: 'workflow.created', occurred_at: '2026-06-05T00:00:00Z' },
    { id: 'e7', tenant_id: 't1', user_id: 'u7', name: 'report.exported', occurred_at: '2026-06-05T00:00:00Z' },
    { id: 'e8', tenant_id: 't1', user_id: 'u9', name: 'workflow.created', occurred_at: '2026-06-05T00:00:00Z' },
  ]);
});
afterAll(async () => {
  await svc.close();
  await db.close();
});

it('reports assigned, converted, rate, lift and the pooled z-test p-value per variant', async () => {
  const r = await postJson(`${svc.url}/api/v1/query`, { type: 'experiment', experiment: 'x1' });
  expect(r.status).toBe(200);
  const [f] = r.body.frames as Frame[];
  expect(col(f, 'variant')).toEqual(['control', 'variant']);
  expect(col(f, 'assigned')).toEqual([4, 5]);
  expect(col(f, 'converted')).toEqual([1, 3]);
  expect(col(f, 'rate')).toEqual([0.25, 0.6]);
  // lift = 0.6 / 0.25 - 1 = 1.4
  expect((col(f, 'lift') as number[])[1]).toBeCloseTo(1.4, 10);
  expect(col(f, 'lift')?.[0]).toBeNull();
  // pooled p = 4/9; se = sqrt(4/9 * 5/9 * (1/4 + 1/5)) = 0.33333; z = 0.35 / 0.33333 = 1.05; p = 0.29372
  expect((col(f, 'p_value') as number[])[1]).toBeCloseTo(0.29372, 4);
  // 4 vs 5 assigned: chi-square 0.111, p = 0.739, no SRM
  expect(col(f, 'srm')).toEqual([false, false]);
});

it('answers 404 for an unknown experiment, naming it', async () => {
  const r = await postJson(`${svc.url}/api/v1/query`, { type: 'experiment', experiment: 'nope' });
  expect(r.status).toBe(404);
  expect(r.body.error).toMatch(/"nope"/);
});

it('warns when the control variant is missing', async () => {
  const r = await postJson(`${svc.url}/api/v1/query`, { type: 'experiment', experiment: 'x1', control: 'baseline' });
  const [f] = r.body.frames as Frame[];
  expect(f?.meta?.notices?.[0]?.text).toMatch(/no variant named "baseline"/);
});
