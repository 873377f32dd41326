import { createTestSchema, TestSchema } from '../../testing/db';
import { postJson, startTestService } from '../../testing/service';
import { RunningService } from '../../service';

// T = 2026-06-30T12:00Z: the window (2026-05-31T12:00Z, T] starts and ends inside a day.
const NOW = new Date('2026-06-30T12:00:00Z');
let db: TestSchema;
let svc: RunningService;
type Frame = { fields: Array<{ name: string; values: unknown[] }>; meta?: { custom?: Record<string, unknown> } };
const col = (f: Frame | undefined, n: string) => f?.fields.find((x) => x.name === n)?.values;
const query = async (extra: Record<string, unknown> = {}) => {
  const r = await postJson(`${svc.url}/api/v1/query`, { type: 'power_users', ...extra });
  expect(r.status).toBe(200);
  return r.body.frames as Frame[];
};
let n = 0;
const e = (user: string, tenant: string, at: string) => ({ id: `e${++n}`, tenant_id: tenant, user_id: user, name: 'x', occurred_at: at });
const june = (day: number, time = '10:00:00') => `2026-06-${String(day).padStart(2, '0')}T${time}Z`;
const qs = Array.from({ length: 17 }, (_, i) => `q${String(i + 1).padStart(2, '0')}`);

beforeAll(async () => {
  db = await createTestSchema('power');
  svc = await startTestService(db, {}, () => NOW);
  await db.insert('tenants', [
    { id: 'ta', name: 'A', plan: 'pro', created_at: '2026-01-01T00:00:00Z' },
    { id: 'tb', name: 'B', plan: 'basic', created_at: '2026-01-01T00:00:00Z' },
  ]);
  const user = (id: string, tenant: string, deleted: string | null = null) => ({
    id,
    tenant_id: tenant,
    created_at: '2026-01-01T00:00:00Z',
    deleted_at: deleted,
  });
  await db.insert('users', [
    user('p0', 'tb'),
    user('p1', 'ta'),
    user('p2', 'ta'),
    user('p3', 'tb'),
    user('d1', 'ta', '2026-06-29T00:00:00Z'),
    user('old', 'ta'),
    ...qs.map((q) => user(q, 'tb')),
  ]);
  await db.insert('events', [
    ...Array.from({ length: 10 }, (_, i) => e('p0', 'tb', june(i + 1))), // 10 days, 10 events
    ...Array.from({ length: 10 }, (_, i) => e('p1', 'ta', june(i + 1))), // ties with p0: by id
    ...Array.from({ length: 10 }, (_, i) => [e('p2', 'ta', june(i + 11)), e('p2', 'ta', june(i + 11, '11:00:00'))]).flat(), // 10 days, 20 events
    e('p3', 'tb', '2026-05-31T11:00:00Z'), // before the window
    e('p3', 'tb', '2026-05-31T13:00:00Z'), // in
    e('p3', 'tb', '2026-06-30T12:00:00Z'), // at T: in
    e('p3', 'tb', '2026-06-30T13:00:00Z'), // after T
    ...Array.from({ length: 20 }, (_, i) => e('d1', 'ta', june(i + 1))), // deleted
    e('old', 'ta', '2026-05-20T10:00:00Z'), // not active in the window
    ...qs.map((q) => e(q, 'tb', june(15))),
  ]);
});
afterAll(async () => {
  await svc.close();
  await db.close();
});

it('lists the top 10% (rounded up) of active users by active days, then events, then id', async () => {
  const [users, byTenant] = await query();
  // 21 active users (p0-p3, 17 q): ceil(2.1) = 3
  expect(col(users, 'user')).toEqual(['p2', 'p0', 'p1']);
  expect(col(users, 'rank')).toEqual([1, 2, 3]);
  expect(col(users, 'active_days')).toEqual([10, 10, 10]);
  expect(col(users, 'events')).toEqual([20, 10, 10]);
  expect(col(users, 'tenant')).toEqual(['ta', 'tb', 'ta']);
  expect(users?.meta?.custom).toEqual({ activeUsers: 21, share: 10 });
  expect(col(byTenant, 'tenant')).toEqual(['ta', 'tb']);
  expect(col(byTenant, 'power_users')).toEqual([2, 1]);
});

it('counts only the part of the boundary days inside the window', async () => {
  const [users] = await query({ share: 50 });
  // ceil(10.5) = 11: p2, p0, p1, p3 (2 days, 2 events), then q01-q07
  expect(col(users, 'user')).toEqual(['p2', 'p0', 'p1', 'p3', ...qs.slice(0, 7)]);
  expect(col(users, 'active_days')?.[3]).toBe(2);
  expect(col(users, 'events')?.[3]).toBe(2);
});

it('drills down to a tenant; empty', async () => {
  const [users] = await query({ filters: { tenant: ['tb'] } });
  expect(col(users, 'user')).toEqual(['p0', 'p3']); // 19 active: ceil(1.9) = 2
  const [none, noneByTenant] = await query({ filters: { tenant: ['zz'] } });
  expect(col(none, 'user')).toEqual([]);
  expect(col(noneByTenant, 'tenant')).toEqual([]);
});
