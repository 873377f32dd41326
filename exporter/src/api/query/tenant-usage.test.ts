import { createTestSchema, TestSchema } from '../../testing/db';
import { TEST_TOKENS } from '../../testing/tokens';
import { postJson, startTestService } from '../../testing/service';
import { RunningService } from '../../service';

// Plan limits and usage through the ingest routes, read back by the tenant_usage query type.
const NOW = new Date('2026-06-15T12:00:00Z');
let db: TestSchema;
let svc: RunningService;
type Frame = { fields: Array<{ name: string; values: unknown[] }> };
const col = (f: Frame | undefined, n: string) => f?.fields.find((x) => x.name === n)?.values;
const ingest = (path: string, body: unknown) => postJson(`${svc.url}/api/v1/ingest/${path}`, body, TEST_TOKENS.ingest);
const query = (body: Record<string, unknown>) => postJson(`${svc.url}/api/v1/query`, { type: 'tenant_usage', ...body });
const usage = (tenant_id: string, resource: string, measured_at: string, value: number | string) => ({
  tenant_id,
  resource,
  measured_at,
  value,
});

beforeAll(async () => {
  db = await createTestSchema('tenantusage');
  svc = await startTestService(db, { api: { rateLimit: { requestsPerSecond: 1000, burst: 1000 } } }, () => NOW);
  await db.insert('tenants', [
    { id: 't1', name: 'Acme', plan: 'starter', created_at: '2026-01-01T00:00:00Z' },
    { id: 't2', name: 'Beta', plan: 'starter', created_at: '2026-01-01T00:00:00Z' },
    { id: 't3', name: 'Corp', plan: 'enterprise', created_at: '2026-01-01T00:00:00Z' },
  ]);
  // t1 upgraded to pro: the plan in force, not tenants.plan, decides its limits.
  await db.insert('subscriptions', [
    {
      id: 's1',
      tenant_id: 't1',
      plan: 'pro',
      status: 'active',
      amount: '99.00',
      interval_months: 1,
      valid_from: '2026-06-01T00:00:00Z',
      valid_to: null,
    },
  ]);
  const limits = await ingest('plan-limits', {
    items: [
      { plan: 'pro', resource: 'storage_bytes', limit_value: 1000 },
      { plan: 'pro', resource: 'api_calls_month', limit_value: '10000' },
      { plan: 'starter', resource: 'storage_bytes', limit_value: 100 },
      { plan: 'starter', resource: 'api_calls_month', limit_value: 1000 },
    ],
  });
  expect(limits.body).toEqual({ created: 4, updated: 0 });
  const u = await ingest('tenant-usage', {
    items: [
      usage('t1', 'storage_bytes', '2026-06-14T00:00:00Z', 500),
      usage('t1', 'storage_bytes', '2026-06-15T11:00:00Z', 900),
      usage('t1', 'api_calls_month', '2026-06-15T11:00:00Z', 2500),
      usage('t2', 'storage_bytes', '2026-06-15T11:00:00Z', 95),
      usage('t2', 'api_calls_month', '2026-06-15T11:00:00Z', '1200'),
      usage('t3', 'storage_bytes', '2026-06-15T11:00:00Z', 5000000000),
    ],
  });
  expect(u.body).toEqual({ created: 6, updated: 0 });
});
afterAll(async () => {
  await svc.close();
  await db.close();
});

it('shows usage against the limit of the plan in force, fullest first, unlimited last', async () => {
  const r = await query({});
  expect(r.status).toBe(200);
  const [f] = r.body.frames as Frame[];
  expect(col(f, 'tenant_id')).toEqual(['t2', 't2', 't1', 't1', 't3']);
  expect(col(f, 'resource')).toEqual(['api_calls_month', 'storage_bytes', 'storage_bytes', 'api_calls_month', 'storage_bytes']);
  expect(col(f, 'plan')).toEqual(['starter', 'starter', 'pro', 'pro', 'enterprise']);
  expect(col(f, 'usage')).toEqual([1200, 95, 900, 2500, 5000000000]);
  expect(col(f, 'limit')).toEqual([1000, 100, 1000, 10000, null]);
  expect(col(f, 'usage_ratio')).toEqual([1.2, 0.95, 0.9, 0.25, null]);
});

it('reads the newest snapshot at or before `at`, for the asked resources', async () => {
  const [f] = (await query({ at: '2026-06-14T12:00:00Z', resources: ['storage_bytes'] })).body.frames as Frame[];
  expect(col(f, 'tenant_id')).toEqual(['t1']);
  expect(col(f, 'usage')).toEqual([500]);
  // on 06-14 t1 was already on pro (from 06-01)
  expect(col(f, 'usage_ratio')).toEqual([0.5]);
});

it('keeps the tenants the standard filters match (recorded plan, tenant ids); none matching: empty', async () => {
  // t1 is recorded as starter (its subscription to pro decides its limits, not the filter)
  const [byPlan] = (await query({ filters: { plan: ['starter'] } })).body.frames as Frame[];
  expect(col(byPlan, 'tenant_id')).toEqual(['t2', 't2', 't1', 't1']);
  const [one] = (await query({ filters: { tenant: ['t3'] } })).body.frames as Frame[];
  expect(col(one, 'tenant_id')).toEqual(['t3']);
  expect(col(one, 'usage')).toEqual([5000000000]);
  const [both] = (await query({ filters: { plan: ['enterprise'], tenant: ['t1'] } })).body.frames as Frame[];
  expect(col(both, 'tenant_id')).toEqual([]);
  const bad = await query({ filters: { tenants: ['t1'] } });
  expect(bad.status).toBe(400);
  expect(bad.body.error).toMatch(/filters/);
});

it('refuses bad rows naming the field, and the same row twice in one request', async () => {
  const neg = await ingest('tenant-usage', usage('t1', 'storage_bytes', '2026-06-15T11:30:00Z', -1));
  expect(neg.status).toBe(400);
  expect(neg.body.error).toMatch(/value/);
  const twice = await ingest('plan-limits', {
    items: [
      { plan: 'x', resource: 'seats', limit_value: 1 },
      { plan: 'x', resource: 'seats', limit_value: 2 },
    ],
  });
  expect(twice.status).toBe(400);
  expect(twice.body.error).toMatch(/items\[1\]: repeats items\[0\]/);
  const retry = await ingest('plan-limits', { plan: 'pro', resource: 'storage_bytes', limit_value: 1000 });
  expect(retry.body).toEqual({ created: 0, updated: 1 });
});
