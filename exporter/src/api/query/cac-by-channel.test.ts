import { createTestSchema, TestSchema } from '../../testing/db';
import { postJson, startTestService } from '../../testing/service';
import { RunningService } from '../../service';

const NOW = new Date('2026-04-15T00:00:00Z');
let db: TestSchema;
let svc: RunningService;
type Frame = { fields: Array<{ name: string; values: unknown[] }> };
const col = (f: Frame | undefined, n: string) => f?.fields.find((x) => x.name === n)?.values;
const query = (body: Record<string, unknown>) => postJson(`${svc.url}/api/v1/query`, { type: 'cac_by_channel', ...body });

const tenant = (id: string, channel: string | null) => ({
  id,
  name: id,
  plan: 'p',
  acquisition_channel: channel,
  created_at: '2025-01-01T00:00:00Z',
});
const sub = (id: string, tenant: string, status: string, from: string) => ({
  id,
  tenant_id: tenant,
  plan: 'p',
  status,
  amount: '10.00',
  interval_months: 1,
  valid_from: from,
  valid_to: null,
});

beforeAll(async () => {
  db = await createTestSchema('cacchannel');
  svc = await startTestService(db, {}, () => NOW);
  await db.insert('tenants', [
    tenant('p1', 'paid'),
    tenant('p2', 'paid'),
    tenant('o1', 'organic'),
    tenant('n1', null),
    tenant('r1', 'referral'),
  ]);
  await db.insert('subscriptions', [
    // p1: trial from 01-20 (not paying), first pays 02-03: February
    { ...sub('s1', 'p1', 'trialing', '2026-01-20T00:00:00Z'), valid_to: '2026-02-03T00:00:00Z' },
    sub('s2', 'p1', 'active', '2026-02-03T00:00:00Z'),
    sub('s3', 'p2', 'active', '2026-03-01T00:00:00Z'), // March, at midnight
    sub('s4', 'o1', 'active', '2026-02-28T23:59:59Z'), // February, its last second
    sub('s5', 'n1', 'active', '2026-03-10T00:00:00Z'), // March, no channel
    sub('s6', 'r1', 'active', '2025-12-01T00:00:00Z'), // before the range
  ]);
  await db.insert('marketing_spend', [
    { channel: 'paid', month: '2026-01-01', amount: '999.00' },
    { channel: 'paid', month: '2026-02-01', amount: '1000.00' },
    { channel: 'paid', month: '2026-03-01', amount: '600.00' },
    { channel: 'partner', month: '2026-03-01', amount: '300.00' },
    { channel: 'paid', month: '2026-04-01', amount: '200.00' },
  ]);
});
afterAll(async () => {
  await svc.close();
  await db.close();
});

it('gives spend, new paying tenants and CAC per month and channel, with the blended (all) row', async () => {
  const r = await query({ from: '2026-02-01T00:00:00Z', to: '2026-05-01T00:00:00Z' });
  expect(r.status).toBe(200);
  const [f] = r.body.frames as Frame[];
  const [feb, mar, apr] = ['2026-02-01', '2026-03-01', '2026-04-01'].map((d) => Date.parse(`${d}T00:00:00Z`));
  expect(col(f, 'time')).toEqual([feb, feb, feb, mar, mar, mar, mar, apr, apr]);
  expect(col(f, 'channel')).toEqual(['organic', 'paid', '(all)', 'paid', 'partner', '(none)', '(all)', 'paid', '(all)']);
  expect(col(f, 'spend')).toEqual([0, 1000, 1000, 600, 300, 0, 900, 200, 200]);
  expect(col(f, 'new_customers')).toEqual([1, 1, 2, 1, 0, 1, 2, 0, 0]);
  // Feb: organic 0/1, paid 1000/1, all 1000/2; Mar: paid 600/1, partner 300/0 (none), (none) 0/1,
  // all 900/2; April (not over at now): no new tenant, no CAC
  expect(col(f, 'cac')).toEqual([0, 1000, 500, 600, null, 0, 450, null, null]);
  expect(col(f, 'complete')).toEqual([true, true, true, true, true, true, true, false, false]);
});

it('names the bad field', async () => {
  const r = await query({ from: '2026-02-01T00:00:00Z', to: '2026-05-01T00:00:00Z', channel: 'paid' });
  expect(r.status).toBe(400);
  expect(r.body.error).toMatch(/channel/);
  expect((await query({ from: '2026-02-01T00:00:00Z' })).body.error).toMatch(/^to:/);
});
