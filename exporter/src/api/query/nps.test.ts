import { createTestSchema, TestSchema } from '../../testing/db';
import { postJson, startTestService } from '../../testing/service';
import { RunningService } from '../../service';

let db: TestSchema;
let svc: RunningService;
type Frame = { fields: Array<{ name: string; values: unknown[] }> };
const col = (f: Frame | undefined, n: string) => f?.fields.find((x) => x.name === n)?.values;
const nps = async (extra: Record<string, unknown> = {}) => {
  const r = await postJson(`${svc.url}/api/v1/query`, { type: 'nps', from: '2026-05-01T00:00:00Z', to: '2026-07-01T00:00:00Z', ...extra });
  expect(r.status).toBe(200);
  return (r.body.frames as Frame[])[0];
};
let n = 0;
const response = (tenant: string, score: number, at: string) => ({ id: `r${++n}`, tenant_id: tenant, score, responded_at: at });

beforeAll(async () => {
  db = await createTestSchema('nps');
  svc = await startTestService(db);
  await db.insert('tenants', [
    { id: 'ta', name: 'A', plan: 'starter', segment: 'smb', created_at: '2026-01-01T00:00:00Z' },
    { id: 'tb', name: 'B', plan: 'business', segment: 'enterprise', created_at: '2026-01-01T00:00:00Z' },
  ]);
  await db.insert('nps_responses', [
    // May: ta 10, 9, 3; tb 7. June: tb 0; a tenant unknown to `tenants` 10.
    response('ta', 10, '2026-05-02T00:00:00Z'),
    response('ta', 9, '2026-05-10T00:00:00Z'),
    response('ta', 3, '2026-05-20T00:00:00Z'),
    response('tb', 7, '2026-05-31T23:59:59Z'),
    response('tb', 0, '2026-06-01T00:00:00Z'),
    response('tx', 10, '2026-06-15T00:00:00Z'),
    response('ta', 10, '2026-07-01T00:00:00Z'), // at `to`: outside
  ]);
  await db.insert('subscriptions', [
    {
      id: 's1',
      tenant_id: 'ta',
      plan: 'basic',
      status: 'trialing',
      amount: '0',
      interval_months: 1,
      valid_from: '2026-05-01T00:00:00Z',
      valid_to: '2026-05-15T00:00:00Z',
    },
    { id: 's2', tenant_id: 'ta', plan: 'pro', status: 'active', amount: '100', interval_months: 1, valid_from: '2026-05-15T00:00:00Z' },
  ]);
});
afterAll(async () => {
  await svc.close();
  await db.close();
});

it('computes NPS per month from promoters, passives and detractors', async () => {
  const f = await nps();
  expect(col(f, 'time')).toEqual([Date.parse('2026-05-01T00:00:00Z'), Date.parse('2026-06-01T00:00:00Z')]);
  expect(col(f, 'responses')).toEqual([4, 2]);
  expect(col(f, 'nps')).toEqual([25, 0]); // (2 - 1) / 4; (1 - 1) / 2
});

it('takes tenant filters: one tenant, a plan, a segment; unknown tenants count only unfiltered', async () => {
  expect(col(await nps({ filters: { tenant: ['ta'] } }), 'nps')).toEqual([100 / 3]);
  expect(col(await nps({ filters: { plan: ['business'] } }), 'nps')).toEqual([0, -100]);
  expect(col(await nps({ filters: { segment: ['enterprise'], tenant: ['tb'] } }), 'responses')).toEqual([1, 1]);
  expect(col(await nps({ filters: { tenant: ['nobody'] } }), 'nps')).toEqual([]);
});

it('breaks down by the plan in force at the response instant, or by segment', async () => {
  const byPlan = await nps({ breakdown: 'plan' });
  expect(col(byPlan, 'time')).toEqual(['2026-05-01', '2026-05-01', '2026-05-01', '2026-06-01'].map((d) => Date.parse(`${d}T00:00:00Z`)));
  expect(col(byPlan, 'plan')).toEqual(['(none)', 'basic', 'pro', '(none)']);
  expect(col(byPlan, 'responses')).toEqual([1, 2, 1, 2]);
  expect(col(byPlan, 'nps')).toEqual([0, 100, -100, 0]);
  const bySegment = await nps({ breakdown: 'segment' });
  expect(col(bySegment, 'segment')).toEqual(['enterprise', 'smb', '(none)', 'enterprise']);
  expect(col(bySegment, 'nps')).toEqual([0, 100 / 3, 100, -100]);
  expect(col(await nps({ breakdown: 'segment', filters: { tenant: ['tb'] } }), 'nps')).toEqual([0, -100]);
});

it('refuses unknown filters, naming the field', async () => {
  const r = await postJson(`${svc.url}/api/v1/query`, {
    type: 'nps',
    from: '2026-05-01T00:00:00Z',
    to: '2026-07-01T00:00:00Z',
    filters: { country: ['fr'] },
  });
  expect(r.status).toBe(400);
  expect(r.body.error).toMatch(/^filters/);
});
