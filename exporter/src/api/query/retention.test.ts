import { createTestSchema, TestSchema } from '../../testing/db';
import { postJson, startTestService } from '../../testing/service';
import { RunningService } from '../../service';

// Weeks (ISO, Monday): 2026-06-01, 06-08, 06-15, 06-22. Now is Wednesday 2026-06-24 12:00 UTC,
// so the week of 06-22 has not ended: its cells are incomplete.
const NOW = new Date('2026-06-24T12:00:00Z');
let db: TestSchema;
let svc: RunningService;
type Frame = { fields: Array<{ name: string; values: unknown[] }> };
const col = (f: Frame | undefined, n: string) => f?.fields.find((x) => x.name === n)?.values;
const W1 = Date.parse('2026-06-01T00:00:00Z');
const W2 = Date.parse('2026-06-08T00:00:00Z');

const retention = (extra: Record<string, unknown> = {}) =>
  postJson(`${svc.url}/api/v1/query`, {
    type: 'retention',
    from: '2026-06-01T00:00:00Z',
    to: '2026-06-15T00:00:00Z',
    interval: 'week',
    periods: 3,
    ...extra,
  });

let n = 0;
const e = (user: string, at: string, name = 'page.viewed') => ({ id: `e${++n}`, tenant_id: 'ta', user_id: user, name, occurred_at: at });

beforeAll(async () => {
  db = await createTestSchema('retention');
  svc = await startTestService(db, {}, () => NOW);
  await db.insert('tenants', [
    { id: 'ta', name: 'A', plan: 'starter', created_at: '2026-01-01T00:00:00Z' },
    { id: 'tb', name: 'B', plan: 'business', created_at: '2026-01-01T00:00:00Z' },
  ]);
  await db.insert('users', [
    // cohort W1 (4 users): u1 Monday 00:00 exactly, u4 Sunday 23:59:59 still W1
    { id: 'u1', tenant_id: 'ta', created_at: '2026-06-01T00:00:00Z' },
    { id: 'u2', tenant_id: 'ta', created_at: '2026-06-02T10:00:00Z' },
    { id: 'u3', tenant_id: 'tb', created_at: '2026-06-03T10:00:00Z' },
    { id: 'u4', tenant_id: 'ta', created_at: '2026-06-07T23:59:59Z' },
    // cohort W2 (2 users)
    { id: 'u5', tenant_id: 'ta', created_at: '2026-06-08T00:00:00Z' },
    { id: 'u6', tenant_id: 'ta', created_at: '2026-06-09T00:00:00Z' },
    // deleted: counts nowhere; created before the range: not a cohort member
    { id: 'u7', tenant_id: 'ta', created_at: '2026-06-02T00:00:00Z', deleted_at: '2026-06-20T00:00:00Z' },
    { id: 'u0', tenant_id: 'ta', created_at: '2026-05-31T23:59:59Z' },
  ]);
  await db.insert('events', [
    // u1: week 1 (06-08) and week 3 (06-22, incomplete week)
    e('u1', '2026-06-01T01:00:00Z'),
    e('u1', '2026-06-08T00:00:00Z'),
    e('u1', '2026-06-22T09:00:00Z'),
    // u2: week 2 (06-15) only, with a 'report.exported'
    e('u2', '2026-06-15T12:00:00Z', 'report.exported'),
    // u3: week 1 twice (counts once)
    e('u3', '2026-06-09T00:00:00Z'),
    e('u3', '2026-06-10T00:00:00Z'),
    // u4: nothing after signup; u5 (W2): its week 1 = 06-15
    e('u5', '2026-06-16T00:00:00Z'),
    e('u7', '2026-06-09T00:00:00Z'),
    // on now's own day: u6 (W2) before now counts (its week 2), u4 after now does not, u3 with
    // events after and before now does
    e('u6', '2026-06-24T11:00:00Z'),
    e('u4', '2026-06-24T13:00:00Z'),
    e('u3', '2026-06-24T13:00:00Z'),
    e('u3', '2026-06-24T10:00:00Z'),
  ]);
});
afterAll(async () => {
  await svc.close();
  await db.close();
});

it('builds the weekly matrix with cohort sizes and incomplete cells left empty', async () => {
  const r = await retention();
  expect(r.status).toBe(200);
  const [f] = r.body.frames as Frame[];
  expect(col(f, 'cohort')).toEqual([W1, W2]);
  expect(col(f, 'cohort_size')).toEqual([4, 2]);
  // W1: week1 u1,u3 = 2/4; week2 u2 = 1/4; week3 (06-22) not ended: null
  // W2: week1 (06-15) u5 = 1/2; week2 (06-22) not ended: null; week3 in the future: null
  expect(col(f, 'period_0')).toEqual([1, 1]);
  expect(col(f, 'period_1')).toEqual([0.5, 0.5]);
  expect(col(f, 'period_2')).toEqual([0.25, null]);
  expect(col(f, 'period_3')).toEqual([null, null]);
});

it('counts on-or-after: a user counts up to the last period they returned in', async () => {
  const r = await retention({ mode: 'on_or_after', format: 'cells' });
  const [f] = r.body.frames as Frame[];
  // W1 cells: period 1: u1 (last return week 3), u2 (week 2), u3 (week 3: today, before now) = 3;
  // period 2: u1, u2, u3 = 3 (u4's return today came after now: not counted)
  const w1 = (col(f, 'retained') as Array<number | null>).slice(0, 4);
  expect(w1).toEqual([4, 3, 3, null]);
  // W2: u5 returned in week 1, u6 in week 2 (today, before now): both count in week 1
  expect((col(f, 'retained') as Array<number | null>).slice(4)).toEqual([2, 2, null, null]);
  expect((col(f, 'incomplete') as boolean[]).slice(0, 4)).toEqual([false, false, false, true]);
});

it('counts only the return event when one is given', async () => {
  const r = await retention({ returnEvent: 'report.exported' });
  const [f] = r.body.frames as Frame[];
  expect(col(f, 'period_1')).toEqual([0, 0]);
  expect(col(f, 'period_2')).toEqual([0.25, null]);
});

it('filters cohorts by plan', async () => {
  const r = await retention({ filters: { plan: ['business'] } });
  const [f] = r.body.frames as Frame[];
  expect(col(f, 'cohort_size')).toEqual([1]);
  expect(col(f, 'period_1')).toEqual([1]);
  // an empty list does not filter
  expect((await retention({ filters: { plan: [] } })).body).toEqual((await retention()).body);
  // drill-down to one tenant
  expect((await retention({ filters: { tenant: ['tb'] } })).body).toEqual(r.body);
});

it('refuses out-of-range periods and unknown modes, naming the field', async () => {
  expect((await retention({ periods: 0 })).body.error).toMatch(/^periods:/);
  expect((await retention({ periods: 53 })).body.error).toMatch(/^periods:/);
  expect((await retention({ mode: 'forever' })).body.error).toMatch(/^mode:/);
  expect((await retention({ interval: 'year' })).body.error).toMatch(/^interval:/);
});

it('answers the same once pending deltas are compacted into activity bit strings', async () => {
  const bodies = [
    {},
    { mode: 'on_or_after' },
    { returnEvent: 'report.exported' },
    { interval: 'day', periods: 22 },
    { interval: 'month', periods: 2 },
  ];
  const answers = async () => Promise.all(bodies.map(async (b) => (await retention(b)).body));
  const pending = await answers();
  expect(Number((await db.pool.query('SELECT count(*) AS n FROM saasmon_event_deltas')).rows[0].n)).toBeGreaterThan(0);
  await db.pool.query('SELECT saasmon_compact_event_rollups()');
  expect(await answers()).toEqual(pending);
  // Daily cohort of 06-01 (u1): returns on days 7 (06-08) and 21 (06-22)
  const daily = pending[3] as { frames: Frame[] };
  expect(col(daily.frames[0], 'period_7')?.[0]).toBe(1);
  expect(col(daily.frames[0], 'period_21')?.[0]).toBe(1);
  expect(col(daily.frames[0], 'period_8')?.[0]).toBe(0);
});

it("shows the current week's cohort as itself in period 0 (100%, with its size) while the week runs", async () => {
  // Two sign-ups this week (the week of 06-22, now is its Wednesday); one came back today before now.
  await db.insert('users', [
    { id: 'c1', tenant_id: 'ta', created_at: '2026-06-22T08:00:00Z' },
    { id: 'c2', tenant_id: 'tb', created_at: '2026-06-23T08:00:00Z' },
  ]);
  await db.insert('events', [e('c1', '2026-06-24T09:00:00Z')]);
  const r = await retention({ from: '2026-06-22T00:00:00Z', to: '2026-06-29T00:00:00Z', periods: 2 });
  expect(r.status).toBe(200);
  const [f] = r.body.frames as Frame[];
  expect(col(f, 'cohort')).toEqual([Date.parse('2026-06-22T00:00:00Z')]);
  expect(col(f, 'cohort_size')).toEqual([2]);
  expect(col(f, 'period_0')).toEqual([1]);
  expect(col(f, 'period_1')).toEqual([null]);
  const cells = (await retention({ from: '2026-06-22T00:00:00Z', to: '2026-06-29T00:00:00Z', periods: 2, format: 'cells' })).body
    .frames as Frame[];
  expect(col(cells[0], 'retained')).toEqual([2, null, null]);
  expect(col(cells[0], 'incomplete')).toEqual([true, true, true]);
});
