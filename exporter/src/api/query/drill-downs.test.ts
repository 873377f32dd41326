import { createTestSchema, TestSchema } from '../../testing/db';
import { postJson, startTestService } from '../../testing/service';
import { RunningService } from '../../service';

// One hand-computed company for the four tenant lists: churned_tenants, plan_changes,
// new_tenants and high_value_tenants (docs/metrics.md "Drill-downs").

const NOW = new Date('2026-04-15T00:00:00Z');
let db: TestSchema;
let svc: RunningService;
type Frame = { fields: Array<{ name: string; values: unknown[] }> };
const col = (f: Frame | undefined, n: string) => f?.fields.find((x) => x.name === n)?.values;
const query = async (body: Record<string, unknown>) => {
  const r = await postJson(`${svc.url}/api/v1/query`, body);
  expect(r.status).toBe(200);
  return (r.body.frames as Frame[])[0];
};
const ms = (iso: string) => Date.parse(iso);

const tenant = (id: string, plan: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: id.toUpperCase(),
  plan,
  segment: 'smb',
  created_at: '2025-01-01T00:00:00Z',
  ...extra,
});
let s = 0;
const sub = (tenantId: string, plan: string, status: string, amount: string, months: number, from: string, to: string | null) => ({
  id: `s${++s}`,
  tenant_id: tenantId,
  plan,
  status,
  amount,
  interval_months: months,
  valid_from: from,
  valid_to: to,
});
let e = 0;
const ev = (tenantId: string, user: string, name: string, at: string) => ({
  id: `e${++e}`,
  tenant_id: tenantId,
  user_id: user,
  name,
  occurred_at: at,
});

beforeAll(async () => {
  db = await createTestSchema('drill');
  svc = await startTestService(db, {}, () => NOW);
  await db.insert('tenants', [
    tenant('a', 'pro', { churn_reason: 'price', churned_at: '2026-02-01T00:00:00Z' }),
    tenant('b', 'basic', { segment: 'enterprise' }),
    tenant('c', 'pro'),
    tenant('d', 'pro'),
    tenant('e', 'pro'),
    tenant('f', 'business', { churn_reason: 'missing_feature' }),
    tenant('g', 'business'),
    tenant('h', 'basic'),
    tenant('i', 'pro'),
    tenant('n1', 'pro', { created_at: '2026-04-01T00:00:00Z' }),
    tenant('n2', 'basic', { created_at: '2026-04-10T00:00:00Z', segment: 'enterprise' }),
    tenant('n3', 'basic', { created_at: '2026-04-14T00:00:00Z' }),
    tenant('n4', 'basic', { created_at: '2026-03-16T00:00:00Z' }), // exactly now - 30d: outside
    tenant('n5', 'basic', { created_at: '2026-03-16T00:00:01Z' }),
    tenant('n6', 'basic', { created_at: '2026-04-16T00:00:00Z' }), // after now
  ]);
  await db.insert('subscriptions', [
    sub('a', 'pro', 'active', '100.00', 1, '2025-06-01T00:00:00Z', '2026-02-01T00:00:00Z'), // churns 02-01, lost 100
    sub('b', 'basic', 'active', '50.00', 1, '2025-01-01T00:00:00Z', '2026-03-01T00:00:00Z'), // basic -> pro 03-01, +50
    sub('b', 'pro', 'active', '1200.00', 12, '2026-03-01T00:00:00Z', null),
    sub('c', 'pro', 'active', '80.00', 1, '2025-01-01T00:00:00Z', '2026-01-15T00:00:00Z'), // churns 01-15
    sub('c', 'pro', 'active', '80.00', 1, '2026-02-01T00:00:00Z', '2026-03-10T00:00:00Z'), // comes back, churns 03-10
    sub('d', 'pro', 'trialing', '30.00', 1, '2026-03-01T00:00:00Z', '2026-03-15T00:00:00Z'), // trial -> paid: no change
    sub('d', 'basic', 'active', '30.00', 1, '2026-03-15T00:00:00Z', null),
    sub('e', 'pro', 'active', '70.00', 1, '2026-01-01T00:00:00Z', '2026-05-01T00:00:00Z'), // ends after now
    sub('f', 'business', 'past_due', '90.00', 3, '2025-10-01T00:00:00Z', '2026-03-20T00:00:00Z'), // 30 + add-on 10
    sub('f', 'addon', 'active', '10.00', 1, '2025-10-01T00:00:00Z', '2026-03-20T00:00:00Z'),
    sub('g', 'business', 'active', '200.00', 1, '2025-06-01T00:00:00Z', '2026-02-10T00:00:00Z'), // business -> basic, -160
    sub('g', 'basic', 'active', '40.00', 1, '2026-02-10T00:00:00Z', null),
    sub('h', 'basic', 'active', '25.00', 1, '2025-12-01T00:00:00Z', '2026-02-01T00:00:00Z'), // churns with a: tie
    sub('i', 'pro', 'active', '60.00', 1, '2025-01-01T00:00:00Z', '2026-01-20T00:00:00Z'), // renewal, same plan
    sub('i', 'pro', 'active', '60.00', 1, '2026-01-20T00:00:00Z', null),
    sub('n1', 'pro', 'trialing', '0.00', 1, '2026-04-01T00:00:00Z', '2026-04-10T00:00:00Z'),
    sub('n1', 'pro', 'active', '100.00', 1, '2026-04-10T00:00:00Z', null),
    sub('n3', 'basic', 'trialing', '0.00', 1, '2026-04-14T00:00:00Z', null),
  ]);
  await db.insert('users', [
    { id: 'u1', tenant_id: 'n1', created_at: '2026-04-01T00:00:00Z', activated_at: '2026-04-02T00:00:00Z' },
    { id: 'u2', tenant_id: 'n1', created_at: '2026-04-01T06:00:00Z' },
    {
      id: 'u3',
      tenant_id: 'n1',
      created_at: '2026-04-01T00:00:00Z',
      activated_at: '2026-04-01T12:00:00Z',
      deleted_at: '2026-04-05T00:00:00Z',
    },
    { id: 'u4', tenant_id: 'n2', created_at: '2026-04-10T00:00:00Z', activated_at: '2026-04-12T12:00:00Z' },
  ]);
  await db.insert('events', [
    ev('n1', 'u1', 'login', '2026-04-02T08:00:00Z'),
    ev('n1', 'u1', 'login', '2026-04-02T09:00:00Z'),
    ev('n1', 'u2', 'report.exported', '2026-04-03T10:00:00Z'),
    ev('n2', 'u4', 'login', '2026-04-16T10:00:00Z'), // after now: not counted
  ]);
});
afterAll(async () => {
  await svc.close();
  await db.close();
});

const RANGE = { from: '2026-01-01T00:00:00Z', to: '2026-05-01T00:00:00Z' };

describe('churned_tenants', () => {
  it('lists every drop of MRR to 0, newest first, ties by tenant; a tenant can churn twice', async () => {
    const f = await query({ type: 'churned_tenants', ...RANGE });
    expect(col(f, 'tenant')).toEqual(['f', 'c', 'a', 'h', 'c']);
    expect(col(f, 'time')).toEqual(['2026-03-20', '2026-03-10', '2026-02-01', '2026-02-01', '2026-01-15'].map((d) => ms(`${d}T00:00:00Z`)));
    expect(col(f, 'lost_mrr')).toEqual([40, 80, 100, 25, 80]);
    expect(col(f, 'plan')).toEqual(['business', 'pro', 'pro', 'basic', 'pro']);
    expect(col(f, 'reason')).toEqual(['missing_feature', null, 'price', null, null]);
  });

  it('drills down to one tenant, one member and empty ranges', async () => {
    expect(col(await query({ type: 'churned_tenants', ...RANGE, filters: { tenant: ['c'] } }), 'lost_mrr')).toEqual([80, 80]);
    const one = await query({ type: 'churned_tenants', from: '2026-03-15T00:00:00Z', to: '2026-03-21T00:00:00Z' });
    expect(col(one, 'tenant')).toEqual(['f']);
    // [from, to): a churn exactly at `to` is outside
    expect(col(await query({ type: 'churned_tenants', from: '2026-03-11T00:00:00Z', to: '2026-03-20T00:00:00Z' }), 'tenant')).toEqual([]);
    expect(col(await query({ type: 'churned_tenants', ...RANGE, filters: { tenant: ['zzz'] } }), 'tenant')).toEqual([]);
    expect(col(await query({ type: 'churned_tenants', ...RANGE, filters: { plan: ['basic'] } }), 'tenant')).toEqual(['h']);
  });
});

describe('plan_changes', () => {
  it('lists old -> new plan with the MRR delta; renewals and trial conversions are not changes', async () => {
    const f = await query({ type: 'plan_changes', ...RANGE });
    expect(col(f, 'tenant')).toEqual(['b', 'g']);
    expect(col(f, 'old_plan')).toEqual(['basic', 'business']);
    expect(col(f, 'new_plan')).toEqual(['pro', 'basic']);
    expect(col(f, 'old_mrr')).toEqual([50, 200]);
    expect(col(f, 'new_mrr')).toEqual([100, 40]);
    expect(col(f, 'mrr_delta')).toEqual([50, -160]);
    expect(col(f, 'time')).toEqual([ms('2026-03-01T00:00:00Z'), ms('2026-02-10T00:00:00Z')]);
  });

  it('one member and empty', async () => {
    expect(col(await query({ type: 'plan_changes', ...RANGE, filters: { tenant: ['g'] } }), 'mrr_delta')).toEqual([-160]);
    expect(col(await query({ type: 'plan_changes', ...RANGE, filters: { tenant: ['i', 'd'] } }), 'tenant')).toEqual([]);
  });
});

describe('new_tenants', () => {
  it('lists tenants created in the last 30 days with their onboarding progress', async () => {
    const f = await query({ type: 'new_tenants' });
    expect(col(f, 'tenant')).toEqual(['n3', 'n2', 'n1', 'n5']);
    expect(col(f, 'stage')).toEqual(['trialing', 'activated', 'paid', 'signed_up']);
    expect(col(f, 'users')).toEqual([0, 1, 2, 0]); // u3 is deleted
    expect(col(f, 'activated_users')).toEqual([0, 1, 1, 0]);
    expect(col(f, 'days_to_activation')).toEqual([null, 2.5, 1, null]);
    expect(col(f, 'days_to_paid')).toEqual([null, null, 9, null]);
    expect(col(f, 'features_used')).toEqual([0, 0, 2, 0]);
    expect(col(f, 'last_activity')).toEqual([null, null, ms('2026-04-03T10:00:00Z'), null]);
  });

  it('narrows by days and filters; empty when nothing is new', async () => {
    expect(col(await query({ type: 'new_tenants', days: 2 }), 'tenant')).toEqual(['n3']);
    expect(col(await query({ type: 'new_tenants', filters: { segment: ['enterprise'] } }), 'tenant')).toEqual(['n2']);
    expect(col(await query({ type: 'new_tenants', filters: { tenant: ['a'] } }), 'tenant')).toEqual([]);
  });
});

describe('high_value_tenants', () => {
  it('ranks tenants by MRR now, ties by tenant id, with their share of all MRR', async () => {
    const f = await query({ type: 'high_value_tenants' });
    expect(col(f, 'tenant')).toEqual(['b', 'n1', 'e', 'i', 'g', 'd']);
    expect(col(f, 'rank')).toEqual([1, 2, 3, 4, 5, 6]);
    expect(col(f, 'mrr')).toEqual([100, 100, 70, 60, 40, 30]);
    expect(col(f, 'arr')).toEqual([1200, 1200, 840, 720, 480, 360]);
    expect(col(f, 'share_of_mrr')).toEqual([0.25, 0.25, 0.175, 0.15, 0.1, 0.075]);
    expect(col(f, 'plan')).toEqual(['pro', 'pro', 'pro', 'pro', 'basic', 'basic']);
    expect(col(f, 'users')).toEqual([0, 2, 0, 0, 0, 0]);
    expect(col(f, 'first_paid_at')?.[0]).toBe(ms('2025-01-01T00:00:00Z'));
  });

  it('limit, one member (share of the whole company) and empty', async () => {
    expect(col(await query({ type: 'high_value_tenants', limit: 2 }), 'tenant')).toEqual(['b', 'n1']);
    expect(col(await query({ type: 'high_value_tenants', filters: { tenant: ['g'] } }), 'share_of_mrr')).toEqual([0.1]);
    expect(col(await query({ type: 'high_value_tenants', filters: { plan: ['nope'] } }), 'tenant')).toEqual([]);
  });

  it('names a bad field', async () => {
    const r = await postJson(`${svc.url}/api/v1/query`, { type: 'high_value_tenants', limit: 0 });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/^limit/);
    const r2 = await postJson(`${svc.url}/api/v1/query`, { type: 'churned_tenants', ...RANGE, filters: { tenant: 'a' } });
    expect(r2.status).toBe(400);
    expect(r2.body.error).toMatch(/filters\.tenant/);
  });
});
