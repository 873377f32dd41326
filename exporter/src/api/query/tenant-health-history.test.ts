import { EXPECTED, insertTenantHealthFixture, T } from '../../testing/tenant-health-fixture';
import { createTestSchema, TestSchema } from '../../testing/db';
import { postJson, startTestService } from '../../testing/service';
import { RunningService } from '../../service';
import { readTenantHealth, readTenantHealthHistory } from '../../reads/tenant-health';
import { historyInstants } from './tenant-health-history';

// The fixture of tenant_health (testing/tenant-health-fixture.ts, hand-computed at T) read at the
// end of earlier days, hand-computed below, and against the tenant_health table at many instants.
let db: TestSchema;
let svc: RunningService;
type Frame = { fields: Array<{ name: string; type: string; values: unknown[] }> };
const col = (f: Frame | undefined, n: string) => f?.fields.find((x) => x.name === n)?.values;
const history = (extra: Record<string, unknown>) => postJson(`${svc.url}/api/v1/query`, { type: 'tenant_health_history', ...extra });
const frameOf = async (extra: Record<string, unknown>) => {
  const r = await history(extra);
  expect(r.status).toBe(200);
  return (r.body.frames as Frame[])[0];
};

beforeAll(async () => {
  db = await createTestSchema('hhist');
  svc = await startTestService(db, {}, () => T);
  await insertTenantHealthFixture(db);
});
afterAll(async () => {
  await svc.close();
  await db.close();
});

it('gives the components at the end of each day, and at now for the day still running', async () => {
  const f = await frameOf({ from: '2026-06-13T00:00:00Z', to: '2026-06-16T00:00:00Z', filters: { tenant: ['ta'] } });
  expect(col(f, 'time')).toEqual([Date.parse('2026-06-14T00:00:00Z'), Date.parse('2026-06-15T00:00:00Z'), T.getTime()]);
  expect(col(f, 'tenant')).toEqual(['ta', 'ta', 'ta']);
  // 06-14 and 06-15 00:00: ua1 (06-10) and ua2 (05-16 12:00, inside both windows) of 4 users -> 50;
  // names of ta a, c of all a, b (th at exactly 06-14 00:00: inside), c, x, y -> 40; active row ->
  // 100; urgent + high + normal open -> 40; .4*50 + .2*40 + .25*100 + .15*40 = 59. At T as the table.
  expect(col(f, 'activity')).toEqual([50, 50, 50]);
  expect(col(f, 'adoption')).toEqual([40, 40, 50]);
  expect(col(f, 'payment')).toEqual([100, 100, 100]);
  expect(col(f, 'support')).toEqual([40, 40, 40]);
  expect(col(f, 'score')).toEqual([59, 59, EXPECTED[0].score]);
  expect(col(f, 'risk')).toEqual(['watch', 'watch', 'watch']);
});

it('leaves out instants where the tenant was not live; one point; empty; weeks', async () => {
  // td churned at 06-01 00:00: live at 05-31 00:00 only. ud1 idle -> 0; no names of its own, all
  // names in (05-01, 05-31]: c -> 0; no subscription -> 100; no tickets -> 100; score 25 + 15 = 40.
  const td = await frameOf({ from: '2026-05-30T00:00:00Z', to: '2026-06-03T00:00:00Z', filters: { tenant: ['td'] } });
  expect(col(td, 'time')).toEqual([Date.parse('2026-05-31T00:00:00Z')]);
  expect([col(td, 'activity'), col(td, 'adoption'), col(td, 'payment'), col(td, 'support')]).toEqual([[0], [0], [100], [100]]);
  expect(col(td, 'score')).toEqual([40]);
  expect(col(td, 'risk')).toEqual(['at_risk']);
  // tf is created after now; a range after now has no points
  expect(col(await frameOf({ from: '2026-06-01T00:00:00Z', to: '2026-06-16T00:00:00Z', filters: { tenant: ['tf'] } }), 'time')).toEqual([]);
  expect(col(await frameOf({ from: '2026-07-01T00:00:00Z', to: '2026-07-02T00:00:00Z', filters: { tenant: ['ta'] } }), 'time')).toEqual([]);
  // plan filter that the tenant does not match: nothing
  expect(
    col(await frameOf({ from: '2026-06-13T00:00:00Z', to: '2026-06-16T00:00:00Z', filters: { tenant: ['ta'], plan: ['free'] } }), 'time'),
  ).toEqual([]);
  // ISO weeks from Monday 06-01 (from mid-week: its week still counts); two tenants, tenant then time
  const weeks = await frameOf({
    from: '2026-06-03T00:00:00Z',
    to: '2026-06-16T00:00:00Z',
    interval: 'week',
    filters: { tenant: ['th', 'tb'] },
  });
  const ends = [Date.parse('2026-06-08T00:00:00Z'), Date.parse('2026-06-15T00:00:00Z'), T.getTime()];
  expect(col(weeks, 'tenant')).toEqual(['tb', 'tb', 'tb', 'th', 'th', 'th']);
  expect(col(weeks, 'time')).toEqual([...ends, ...ends]);
  // th: events only at 06-14 00:00. At 06-08 idle: 25 + 15 = 40. At 06-15 00:00 active (100), its
  // a, b, x, y of all a, b, c, x, y (80): 40 + 16 + 25 + 15 = 96. At T c has left the window: 100.
  expect(col(weeks, 'score')?.slice(3)).toEqual([40, 96, 100]);
  expect(col(weeks, 'adoption')?.slice(3)).toEqual([0, 80, 100]);
});

it('equals the tenant_health table at every instant, every tenant', async () => {
  const config = db.config();
  const tenants = ['ta', 'tb', 'tc', 'td', 'te', 'tf', 'th'];
  const instants = [
    '2026-05-01T00:00:00Z',
    '2026-05-16T12:00:00Z',
    '2026-06-01T00:00:00Z',
    '2026-06-10T00:00:00Z',
    '2026-06-14T00:00:00Z',
    '2026-06-15T11:59:59.999Z',
    '2026-06-15T12:00:00Z',
    '2026-06-15T12:00:00.001Z',
    '2026-06-15T13:00:00Z',
    '2026-06-16T00:00:00Z',
    '2026-06-20T00:00:00Z',
    '2026-07-14T12:00:00Z',
    '2026-07-15T12:00:00Z',
  ].map((s) => new Date(s));
  const got = await readTenantHealthHistory(db.pool, instants, config, { tenant: tenants });
  const want = [];
  for (const at of instants) for (const h of await readTenantHealth(db.pool, at, config)) want.push({ at, h });
  want.sort((a, b) => (a.h.tenant < b.h.tenant ? -1 : a.h.tenant > b.h.tenant ? 1 : a.at.getTime() - b.at.getTime()));
  expect(got.map((p) => ({ at: p.at.toISOString(), ...p.health, lastActivity: undefined }))).toEqual(
    want.map(({ at, h }) => ({ at: at.toISOString(), ...h, lastActivity: undefined })),
  );
  expect(got.length).toBeGreaterThan(40);
});

it('places points at day and ISO week ends', () => {
  const now = new Date('2026-06-15T12:00:00Z');
  expect(historyInstants(new Date('2026-06-14T05:00:00Z'), new Date('2026-06-14T06:00:00Z'), 'day', now)).toEqual([
    new Date('2026-06-15T00:00:00Z'),
  ]);
  // Sunday 06-14 belongs to the week of Monday 06-08
  expect(historyInstants(new Date('2026-06-14T05:00:00Z'), new Date('2026-06-15T00:00:00Z'), 'week', now)).toEqual([
    new Date('2026-06-15T00:00:00Z'),
  ]);
  expect(historyInstants(new Date('2026-06-15T12:00:00Z'), new Date('2026-06-16T00:00:00Z'), 'day', now)).toEqual([now]);
});

it('refuses bad bodies with a 400 naming the field', async () => {
  const range = { from: '2026-06-01T00:00:00Z', to: '2026-06-16T00:00:00Z' };
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ ...range }, /^filters/],
    [{ ...range, filters: {} }, /^filters\.tenant: one to 20 tenant ids/],
    [{ ...range, filters: { tenant: Array.from({ length: 21 }, (_, i) => `t${i}`) } }, /^filters\.tenant/],
    [{ from: '2025-01-01T00:00:00Z', to: '2026-06-16T00:00:00Z', filters: { tenant: ['ta'] } }, /^interval: at most 400 points/],
    [{ ...range, interval: 'month', filters: { tenant: ['ta'] } }, /^interval/],
  ];
  for (const [body, error] of cases) {
    const r = await history(body);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(error);
  }
  const weekly = await history({ from: '2025-01-01T00:00:00Z', to: '2026-06-16T00:00:00Z', interval: 'week', filters: { tenant: ['ta'] } });
  expect(weekly.status).toBe(200);
});
