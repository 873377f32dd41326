import { createTestSchema, TestSchema } from '../../testing/db';
import { postJson, startTestService } from '../../testing/service';
import { RunningService } from '../../service';

const NOW = new Date('2026-07-01T00:00:00Z');
let db: TestSchema;
let svc: RunningService;
type Frame = { fields: Array<{ name: string; values: unknown[] }>; meta?: { custom?: Record<string, unknown> } };
const col = (f: Frame | undefined, n: string) => f?.fields.find((x) => x.name === n)?.values;
const funnel = async (extra: Record<string, unknown> = {}) => {
  const r = await postJson(`${svc.url}/api/v1/query`, {
    type: 'lifecycle_funnel',
    from: '2026-01-01T00:00:00Z',
    to: '2026-07-01T00:00:00Z',
    ...extra,
  });
  expect(r.status).toBe(200);
  return (r.body.frames as Frame[])[0];
};
const ms = (iso: string) => Date.parse(iso);

const tenant = (id: string, created: string) => ({ id, name: id, plan: 'pro', created_at: created });
let n = 0;
const sub = (tenantId: string, status: string, amount: string, from: string, to: string | null = null) => ({
  id: `s${++n}`,
  tenant_id: tenantId,
  plan: 'pro',
  status,
  amount,
  interval_months: 1,
  valid_from: from,
  valid_to: to,
});
const user = (id: string, tenantId: string, activated: string | null, deleted: string | null = null) => ({
  id,
  tenant_id: tenantId,
  created_at: '2025-12-01T00:00:00Z',
  activated_at: activated,
  deleted_at: deleted,
});

beforeAll(async () => {
  db = await createTestSchema('lifecycle');
  svc = await startTestService(db, {}, () => NOW);
  await db.insert('tenants', [
    tenant('j1', '2026-01-05T00:00:00Z'),
    tenant('j2', '2026-01-10T00:00:00Z'),
    tenant('j3', '2026-01-20T00:00:00Z'),
    tenant('j4', '2026-01-31T23:59:59Z'),
    tenant('m1', '2026-05-01T00:00:00Z'),
    tenant('m2', '2026-05-15T00:00:00Z'),
    tenant('k1', '2026-06-28T00:00:00Z'),
    tenant('o1', '2025-12-31T23:59:59Z'), // before from
    tenant('o2', '2026-07-01T00:00:00Z'), // at to
  ]);
  await db.insert('users', [
    user('u1', 'j1', '2026-01-06T00:00:00Z'),
    user('u2', 'j2', '2026-01-13T00:00:00Z'),
    user('u2x', 'j2', '2026-01-11T00:00:00Z', '2026-03-01T00:00:00Z'), // deleted: not counted
    user('u3', 'j3', null),
    user('u4', 'm1', '2026-05-02T00:00:00Z'),
    user('u5', 'm2', '2026-05-20T00:00:00Z'),
    user('u6', 'o1', '2026-01-01T00:00:00Z'),
  ]);
  await db.insert('subscriptions', [
    // j1: trial 14 days, converts at its end; still paying 90 days after: retained
    sub('j1', 'trialing', '0.00', '2026-01-05T00:00:00Z', '2026-01-19T00:00:00Z'),
    sub('j1', 'active', '100.00', '2026-01-19T00:00:00Z'),
    // j2: pays from day 30 and stops before day 90 of paying: not retained; no trial
    sub('j2', 'active', '50.00', '2026-02-09T00:00:00Z', '2026-03-01T00:00:00Z'),
    // j3: a trial that never converts
    sub('j3', 'trialing', '0.00', '2026-01-20T00:00:00Z', '2026-02-03T00:00:00Z'),
    // m1: paid on day 9; 90 days later is after now: not eligible for retention
    sub('m1', 'active', '30.00', '2026-05-10T00:00:00Z'),
    // m2: one-day trial, pays before any user activates
    sub('m2', 'trialing', '0.00', '2026-05-15T00:00:00Z', '2026-05-16T00:00:00Z'),
    sub('m2', 'past_due', '30.00', '2026-05-16T00:00:00Z'),
    // k1: trial still running: undecided
    sub('k1', 'trialing', '0.00', '2026-06-28T00:00:00Z'),
  ]);
});
afterAll(async () => {
  await svc.close();
  await db.close();
});

it('counts each stage per signup cohort, then all cohorts together', async () => {
  const f = await funnel();
  expect(col(f, 'cohort')).toEqual([ms('2026-01-01T00:00:00Z'), ms('2026-05-01T00:00:00Z'), ms('2026-06-01T00:00:00Z'), null]);
  expect(col(f, 'tenants')).toEqual([4, 2, 1, 7]);
  expect(col(f, 'activated')).toEqual([2, 2, 0, 4]);
  expect(col(f, 'paid')).toEqual([2, 2, 0, 4]);
  expect(col(f, 'retained')).toEqual([1, 0, 0, 1]);
  expect(col(f, 'retained_eligible')).toEqual([2, 0, 0, 2]);
  expect(col(f, 'activation_rate')).toEqual([0.5, 1, 0, 4 / 7]);
  expect(col(f, 'paid_rate')).toEqual([0.5, 1, 0, 4 / 7]);
  expect(col(f, 'paid_from_activated')).toEqual([1, 1, null, 1]);
  expect(col(f, 'retained_rate')).toEqual([0.5, null, null, 0.5]);
  expect(col(f, 'trials')).toEqual([2, 1, 0, 3]);
  expect(col(f, 'trials_converted')).toEqual([1, 1, 0, 2]);
  expect(col(f, 'trial_to_paid')).toEqual([0.5, 1, null, 2 / 3]);
});

it('gives median days between stages over the tenants that reached both', async () => {
  const f = await funnel();
  // to activation: Jan 1, 3; May 1, 5; all 1, 1, 3, 5
  expect(col(f, 'median_days_to_activation')).toEqual([2, 3, null, 2]);
  // to paid: Jan 14, 30; May 9, 1; all 1, 9, 14, 30
  expect(col(f, 'median_days_to_paid')).toEqual([22, 5, null, 11.5]);
  // activation -> paid: j1 13, j2 27, m1 8 (m2 paid before activating)
  expect(col(f, 'median_days_activation_to_paid')).toEqual([20, 8, null, 13]);
});

it('drills down to one tenant, takes N and weeks, and is empty with no cohort', async () => {
  const one = await funnel({ filters: { tenant: ['j2'] } });
  expect(col(one, 'tenants')).toEqual([1, 1]);
  expect(col(one, 'retained_rate')).toEqual([0, 0]);
  expect(col(one, 'median_days_to_paid')).toEqual([30, 30]);
  // N = 10: j2 pays on its day 10 of paying, m1 too (05-20 <= now), m2 (05-26)
  expect(col(await funnel({ retainedDays: 10 }), 'retained')).toEqual([2, 2, 0, 4]);
  const weeks = await funnel({ interval: 'week', to: '2026-01-12T00:00:00Z' });
  expect(col(weeks, 'cohort')).toEqual([ms('2026-01-05T00:00:00Z'), null]);
  expect(col(weeks, 'tenants')).toEqual([2, 2]);
  const empty = await funnel({ from: '2025-01-01T00:00:00Z', to: '2025-06-01T00:00:00Z' });
  expect(col(empty, 'tenants')).toEqual([0]);
  expect(col(empty, 'activation_rate')).toEqual([null]);
  expect(col(empty, 'median_days_to_paid')).toEqual([null]);
});

it('refuses bad bodies naming the field', async () => {
  const r = await postJson(`${svc.url}/api/v1/query`, {
    type: 'lifecycle_funnel',
    from: '2026-01-01T00:00:00Z',
    to: '2026-07-01T00:00:00Z',
    retainedDays: 0,
  });
  expect(r.status).toBe(400);
  expect(r.body.error).toMatch(/^retainedDays/);
});
