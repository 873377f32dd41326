import { createTestSchema, TestSchema } from '../../testing/db';
import { postJson, startTestService } from '../../testing/service';
import { RunningService } from '../../service';

const NOW = new Date('2026-06-30T00:00:00Z');
let db: TestSchema;
let svc: RunningService;
type Frame = { fields: Array<{ name: string; values: unknown[] }> };
const col = (f: Frame | undefined, n: string) => f?.fields.find((x) => x.name === n)?.values;
const funnel = (extra: Record<string, unknown> = {}) =>
  postJson(`${svc.url}/api/v1/query`, {
    type: 'funnel',
    from: '2026-06-01T00:00:00Z',
    to: '2026-06-15T00:00:00Z',
    steps: ['signup', 'project.created', 'invite.sent'],
    windowDays: 2,
    ...extra,
  });

let n = 0;
const e = (user: string, name: string, at: string, tenant = 'ta') => ({
  id: `e${++n}`,
  tenant_id: tenant,
  user_id: user,
  name,
  occurred_at: at,
});

beforeAll(async () => {
  db = await createTestSchema('funnel');
  svc = await startTestService(db, {}, () => NOW);
  await db.insert('tenants', [
    { id: 'ta', name: 'A', plan: 'starter', created_at: '2026-01-01T00:00:00Z' },
    { id: 'tb', name: 'B', plan: 'business', created_at: '2026-01-01T00:00:00Z' },
  ]);
  await db.insert(
    'users',
    ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7'].map((id) => ({
      id,
      tenant_id: id === 'u5' ? 'tb' : 'ta',
      created_at: '2026-05-01T00:00:00Z',
      deleted_at: id === 'u7' ? '2026-06-20T00:00:00Z' : null,
    })),
  );
  await db.insert('events', [
    // u1: all three steps within 2 days: step 3 (project after 1 h, invite 2 h later)
    e('u1', 'signup', '2026-06-02T00:00:00Z'),
    e('u1', 'project.created', '2026-06-02T01:00:00Z'),
    e('u1', 'invite.sent', '2026-06-02T03:00:00Z'),
    // u2: repeated step 1; the first attempt times out, the second (06-05) reaches step 2 after 3 h
    e('u2', 'signup', '2026-06-03T00:00:00Z'),
    e('u2', 'signup', '2026-06-05T00:00:00Z'),
    e('u2', 'project.created', '2026-06-05T03:00:00Z'),
    // u3: out of order: invite and project before signup: step 1 only
    e('u3', 'invite.sent', '2026-06-04T00:00:00Z'),
    e('u3', 'project.created', '2026-06-04T01:00:00Z'),
    e('u3', 'signup', '2026-06-04T02:00:00Z'),
    // u4: step 2 outside the 2-day window: step 1 only
    e('u4', 'signup', '2026-06-06T00:00:00Z'),
    e('u4', 'project.created', '2026-06-08T00:00:01Z'),
    // u5 (business): step 1 in range, step 2 after `to` but within the window: step 2
    e('u5', 'signup', '2026-06-14T23:00:00Z', 'tb'),
    e('u5', 'project.created', '2026-06-15T05:00:00Z', 'tb'),
    // u6: step 1 before the range: not in the funnel
    e('u6', 'signup', '2026-05-31T23:59:59Z'),
    e('u6', 'project.created', '2026-06-01T00:30:00Z'),
    // u7: deleted user: left out
    e('u7', 'signup', '2026-06-02T00:00:00Z'),
  ]);
});
afterAll(async () => {
  await svc.close();
  await db.close();
});

it('counts users at the furthest step of their best attempt, with conversions and median times', async () => {
  const r = await funnel();
  expect(r.status).toBe(200);
  const [f] = r.body.frames as Frame[];
  expect(col(f, 'event')).toEqual(['1. signup', '2. project.created', '3. invite.sent']);
  // step 1: u1..u5 = 5; step 2: u1, u2, u5 = 3; step 3: u1 = 1
  expect(col(f, 'users')).toEqual([5, 3, 1]);
  expect(col(f, 'conversion_from_start')).toEqual([1, 0.6, 0.2]);
  expect(col(f, 'conversion_from_previous')).toEqual([null, 0.6, 1 / 3]);
  // step 1->2: u1 1 h, u2 3 h, u5 6 h: median 3 h; step 2->3: u1 2 h
  expect(col(f, 'median_seconds_from_previous')).toEqual([null, 10_800, 7_200]);
});

it('breaks down by plan', async () => {
  const r = await funnel({ breakdown: 'plan' });
  const [f] = r.body.frames as Frame[];
  expect(col(f, 'plan')).toEqual(['business', 'business', 'business', 'starter', 'starter', 'starter']);
  expect(col(f, 'users')).toEqual([1, 1, 0, 4, 2, 1]);
});

it('filters cohorts by tenant attributes', async () => {
  const r = await funnel({ filters: { plan: ['business'] } });
  expect(col((r.body.frames as Frame[])[0], 'users')).toEqual([1, 1, 0]);
  // drill-down to one tenant: the same users as its plan here
  const one = await funnel({ filters: { tenant: ['tb'] } });
  expect(col((one.body.frames as Frame[])[0], 'users')).toEqual([1, 1, 0]);
});

it('refuses one step, eleven steps, and a window over 90 days, naming the field', async () => {
  expect((await funnel({ steps: ['a'] })).body.error).toMatch(/^steps: a funnel needs 2 to 10 steps/);
  expect((await funnel({ steps: Array(11).fill('a') })).body.error).toMatch(/^steps:/);
  expect((await funnel({ windowDays: 365 })).body.error).toMatch(/^windowDays:/);
  expect((await funnel({ breakdown: 'country' })).body.error).toMatch(/^breakdown:/);
});
