import { EXPECTED, insertTenantHealthFixture, T } from '../../testing/tenant-health-fixture';
import { createTestSchema, TestSchema } from '../../testing/db';
import { NO_COLLECTORS, postJson, startTestService } from '../../testing/service';
import { RunningService } from '../../service';

let db: TestSchema;
let svc: RunningService;
type Frame = {
  name: string;
  fields: Array<{ name: string; type: string; values: unknown[] }>;
  meta?: { custom?: Record<string, unknown> };
};
const col = (f: Frame | undefined, n: string) => f?.fields.find((x) => x.name === n)?.values;
const health = (extra: Record<string, unknown> = {}) => postJson(`${svc.url}/api/v1/query`, { type: 'tenant_health', ...extra });
const frameOf = async (extra: Record<string, unknown> = {}) => {
  const r = await health(extra);
  expect(r.status).toBe(200);
  return (r.body.frames as Frame[])[0];
};

beforeAll(async () => {
  db = await createTestSchema('qhealth');
  svc = await startTestService(db, {}, () => T);
  await insertTenantHealthFixture(db);
});
afterAll(async () => {
  await svc.close();
  await db.close();
});

it('lists every live tenant, lowest score first, with its components, risk and last activity', async () => {
  const f = await frameOf();
  // te 0, tc 44, tb 50, ta 61, th 100 (hand-computed in testing/tenant-health-fixture.ts)
  const order = [...EXPECTED].sort((a, b) => a.score - b.score);
  expect(col(f, 'tenant')).toEqual(['te', 'tc', 'tb', 'ta', 'th']);
  expect(col(f, 'name')).toEqual(order.map((e) => e.name));
  expect(col(f, 'plan')).toEqual(order.map((e) => e.plan));
  expect(col(f, 'score')).toEqual([0, 44, 50, 61, 100]);
  expect(col(f, 'activity')).toEqual([0, 0, 50, 50, 100]);
  expect(col(f, 'adoption')).toEqual([0, 25, 75, 50, 100]);
  expect(col(f, 'payment')).toEqual([0, 100, 0, 100, 100]);
  expect(col(f, 'support')).toEqual([0, 90, 100, 40, 100]);
  expect(col(f, 'risk')).toEqual(['critical', 'at_risk', 'watch', 'watch', 'healthy']);
  expect(col(f, 'last_activity')).toEqual(order.map((e) => (e.last === null ? null : Date.parse(e.last))));
  expect(f?.fields.find((x) => x.name === 'last_activity')?.type).toBe('time');
  expect(f?.meta?.custom).toEqual({ total: 5, limit: 100, offset: 0, asOf: T.toISOString() });
});

it('pages with limit and offset and reports the total before paging', async () => {
  const p1 = await frameOf({ limit: 2 });
  expect(col(p1, 'tenant')).toEqual(['te', 'tc']);
  expect(p1?.meta?.custom).toEqual({ total: 5, limit: 2, offset: 0, asOf: T.toISOString() });
  const p3 = await frameOf({ limit: 2, offset: 4 });
  expect(col(p3, 'tenant')).toEqual(['th']);
  const past = await frameOf({ limit: 2, offset: 10 });
  expect(col(past, 'tenant')).toEqual([]);
  expect(past?.meta?.custom).toEqual({ total: 5, limit: 2, offset: 10, asOf: T.toISOString() });
});

it('filters by tenant attributes and by risk without changing any score', async () => {
  // tb's adoption is still 75: the set of all event names ignores the filter
  const starter = await frameOf({ filters: { plan: ['starter'] } });
  expect(col(starter, 'tenant')).toEqual(['te', 'tb']);
  expect(col(starter, 'adoption')).toEqual([0, 75]);
  const smbOrganic = await frameOf({ filters: { segment: ['smb'], channel: ['organic'] } });
  expect(col(smbOrganic, 'tenant')).toEqual(['tc', 'tb']);
  const one = await frameOf({ filters: { tenant: ['tb'] } });
  expect(col(one, 'tenant')).toEqual(['tb']);
  expect(col(one, 'adoption')).toEqual([75]);
  expect(col(await frameOf({ filters: { tenant: ['nobody'] } }), 'tenant')).toEqual([]);
  const watch = await frameOf({ risk: ['watch', 'critical'] });
  expect(col(watch, 'tenant')).toEqual(['te', 'tb', 'ta']);
  expect(watch?.meta?.custom).toEqual({ total: 3, limit: 100, offset: 0, asOf: T.toISOString() });
});

it('refuses bad bodies with a 400 naming the field', async () => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ limit: 0 }, /^limit:/],
    [{ limit: 1001 }, /^limit:/],
    [{ limit: 2.5 }, /^limit:/],
    [{ offset: -1 }, /^offset:/],
    [{ risk: ['doomed'] }, /^risk\[0\]:/],
    [{ risk: [] }, /^risk:/],
    [{ filters: { country: ['fr'] } }, /^filters: .*country/],
    [{ filters: { plan: 'starter' } }, /^filters\.plan:/],
    [{ sort: 'score' }, /sort/],
  ];
  for (const [body, message] of cases) {
    const r = await health(body);
    expect([body, r.status]).toEqual([body, 400]);
    expect(String(r.body.error)).toMatch(message);
  }
});

describe('with the tenant_health collector running', () => {
  let withCollector: RunningService;
  let clock = T;
  const fromService = async (extra: Record<string, unknown> = {}) => {
    const r = await postJson(`${withCollector.url}/api/v1/query`, { type: 'tenant_health', ...extra });
    expect(r.status).toBe(200);
    return (r.body.frames as Frame[])[0];
  };
  const supportOf = (f: Frame | undefined, tenant: string) => col(f, 'support')?.[(col(f, 'tenant') as string[]).indexOf(tenant)];
  beforeAll(async () => {
    withCollector = await startTestService(
      db,
      { collectors: { ...NO_COLLECTORS, tenant_health: { enabled: true, intervalSeconds: 3600 } } },
      () => clock,
    );
    // The scheduler's own first run comes within a second of the start: let it pass, so that no
    // run of the collector follows the ticket below.
    await new Promise((r) => setTimeout(r, 1_100));
    await withCollector.scheduler.runAll();
    // After the collector's run: an urgent ticket costs th 25 support points.
    await db.insert('support_tickets', [{ id: 'k-late', tenant_id: 'th', priority: 'urgent', opened_at: '2026-06-15T11:00:00Z' }]);
  });
  afterAll(() => withCollector.close());

  it("answers from the collector's last table while it is fresh, filtered as the SQL would, then computes again", async () => {
    const cached = await fromService();
    expect(cached?.meta?.custom).toEqual({ total: 5, limit: 100, offset: 0, asOf: T.toISOString() });
    expect(supportOf(cached, 'th')).toBe(100);
    expect(supportOf(await frameOf(), 'th')).toBe(75); // the service without the collector computes at once

    expect(col(await fromService({ filters: { segment: ['smb'], channel: ['organic'] } }), 'tenant')).toEqual(['tc', 'tb']);
    expect(col(await fromService({ filters: { plan: ['starter'] }, risk: ['critical'] }), 'tenant')).toEqual(['te']);
    expect(col(await fromService({ filters: { plan: [] } }), 'tenant')).toHaveLength(5);
    expect(col(await fromService({ filters: { tenant: ['tc'] } }), 'tenant')).toEqual(['tc']);

    // More than two collector intervals later the table is stale: computed at the query instant.
    clock = new Date(T.getTime() + 2 * 3600_000 + 1);
    const recomputed = await fromService();
    expect(recomputed?.meta?.custom?.asOf).toBe(clock.toISOString());
    expect(supportOf(recomputed, 'th')).toBe(75);
  });
});
