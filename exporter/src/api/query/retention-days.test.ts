import { createTestSchema, TestSchema } from '../../testing/db';
import { postJson, startTestService } from '../../testing/service';
import { RunningService } from '../../service';

const NOW = new Date('2026-09-01T00:00:00Z');
let db: TestSchema;
let svc: RunningService;
type Frame = { fields: Array<{ name: string; values: unknown[] }> };
const col = (f: Frame | undefined, n: string) => f?.fields.find((x) => x.name === n)?.values;
const query = async (extra: Record<string, unknown> = {}) => {
  const r = await postJson(`${svc.url}/api/v1/query`, {
    type: 'retention_days',
    from: '2026-05-01T00:00:00Z',
    to: '2026-06-01T00:00:00Z',
    ...extra,
  });
  expect(r.status).toBe(200);
  return (r.body.frames as Frame[])[0];
};
let n = 0;
const e = (user: string, day: string, tenant = 'ta') => ({
  id: `e${++n}`,
  tenant_id: tenant,
  user_id: user,
  name: 'page.viewed',
  occurred_at: `${day}T12:00:00Z`,
});

beforeAll(async () => {
  db = await createTestSchema('retdays');
  svc = await startTestService(db, {}, () => NOW);
  await db.insert('tenants', [
    { id: 'ta', name: 'A', plan: 'starter', created_at: '2026-01-01T00:00:00Z' },
    { id: 'tb', name: 'B', plan: 'business', created_at: '2026-01-01T00:00:00Z' },
  ]);
  await db.insert('users', [
    { id: 'u1', tenant_id: 'ta', created_at: '2026-05-01T08:00:00Z' },
    { id: 'u2', tenant_id: 'ta', created_at: '2026-05-10T00:00:00Z' },
    { id: 'u3', tenant_id: 'ta', created_at: '2026-05-20T00:00:00Z' },
    { id: 'u4', tenant_id: 'tb', created_at: '2026-05-31T23:59:00Z' },
    { id: 'u5', tenant_id: 'ta', created_at: '2026-05-02T00:00:00Z', deleted_at: '2026-06-01T00:00:00Z' },
    { id: 'u6', tenant_id: 'ta', created_at: '2026-06-01T00:00:00Z' },
  ]);
  await db.insert('events', [
    e('u1', '2026-05-31'), // day 30
    e('u1', '2026-06-25'), // day 55
    e('u2', '2026-06-03'), // day 24: the first day of the week ending on day 30
    e('u3', '2026-06-18'), // day 29
    e('u3', '2026-07-19'), // day 60
    e('u4', '2026-06-22', 'tb'), // day 22
    e('u4', '2026-08-20', 'tb'), // day 81
    e('u5', '2026-05-31'), // deleted: not in any cohort
  ]);
});
afterAll(async () => {
  await svc.close();
  await db.close();
});

it('counts users active in the week ending on day N, by signup month; unfinished days are null', async () => {
  const f = await query();
  expect(col(f, 'cohort')).toEqual([Date.parse('2026-05-01T00:00:00Z')]);
  expect(col(f, 'cohort_size')).toEqual([4]);
  expect(col(f, 'day_30')).toEqual([0.75]); // u1, u2, u3
  expect(col(f, 'day_60')).toEqual([0.5]); // u1, u3
  expect(col(f, 'day_90')).toEqual([0]); // 05-31 + 90 = 08-29, complete
  expect(col(f, 'day_180')).toEqual([null]);
  expect(col(f, 'day_365')).toEqual([null]);
});

it('on or after: the week ending on day N or any later day', async () => {
  const f = await query({ mode: 'on_or_after', offsets: [30, 60] });
  expect(col(f, 'day_30')).toEqual([1]);
  expect(col(f, 'day_60')).toEqual([0.75]); // u1 (55), u3 (60), u4 (81)
});

it('weekly cohorts in cells, one-member cohorts, a tenant, and empty', async () => {
  const weeks = await query({ interval: 'week', offsets: [30], format: 'cells' });
  expect(col(weeks, 'cohort')).toEqual(['2026-04-27', '2026-05-04', '2026-05-18', '2026-05-25'].map((d) => Date.parse(`${d}T00:00:00Z`)));
  expect(col(weeks, 'cohort_size')).toEqual([1, 1, 1, 1]);
  expect(col(weeks, 'retained')).toEqual([1, 1, 1, 0]);
  expect(col(weeks, 'incomplete')).toEqual([false, false, false, false]);
  const june = await query({ from: '2026-06-01T00:00:00Z', to: '2026-07-01T00:00:00Z', offsets: [30, 95] });
  expect(col(june, 'cohort_size')).toEqual([1]);
  expect(col(june, 'day_30')).toEqual([0]); // never came back: 0, not null
  expect(col(june, 'day_95')).toEqual([null]); // 06-01 + 95 = 09-04: not yet
  expect(col(await query({ filters: { tenant: ['tb'] } }), 'day_30')).toEqual([0]);
  expect(col(await query({ from: '2025-01-01T00:00:00Z', to: '2025-02-01T00:00:00Z' }), 'cohort')).toEqual([]);
});

it('refuses offsets under a week and repeated offsets, naming the field', async () => {
  const bad = async (offsets: unknown) =>
    (
      await postJson(`${svc.url}/api/v1/query`, {
        type: 'retention_days',
        from: '2026-05-01T00:00:00Z',
        to: '2026-06-01T00:00:00Z',
        offsets,
      })
    ).body.error;
  expect(await bad([3])).toMatch(/^offsets/);
  expect(await bad([30, 30])).toMatch(/^offsets/);
});

it('answers the same once pending deltas are compacted into activity bit strings', async () => {
  const before = [await query(), await query({ mode: 'on_or_after', offsets: [30, 60] })];
  await db.pool.query('SELECT saasmon_compact_event_rollups()');
  expect([await query(), await query({ mode: 'on_or_after', offsets: [30, 60] })]).toEqual(before);
});
