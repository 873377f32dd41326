import { collectLines } from '../testing/collect';
import { createTestSchema, TestSchema } from '../testing/db';
import { capSeries } from './cardinality-cap';
import { createTenantHealthCollector } from './tenant-health';

const T = new Date('2026-06-15T12:00:00Z');
let db: TestSchema;

beforeAll(async () => {
  db = await createTestSchema('cap');
  // No users, no events: score = .25 * payment + .15 * support
  const created = '2026-01-01T00:00:00Z';
  await db.insert(
    'tenants',
    ['c1', 'c3', 'c2', 'c4'].map((id) => ({ id, name: id, plan: 'starter', created_at: created })),
  );
  // c2 and c3: one urgent ticket each -> 25 + .15 * 75 = 36.25 -> 36 (a tie, c2 first by id)
  await db.insert('support_tickets', [
    { id: 'k1', tenant_id: 'c3', priority: 'urgent', opened_at: created },
    { id: 'k2', tenant_id: 'c2', priority: 'urgent', opened_at: created },
  ]);
  // c4: past_due -> 0 + 15 = 15; c1: 25 + 15 = 40
  await db.insert('subscriptions', [
    { id: 's1', tenant_id: 'c4', plan: 'starter', status: 'past_due', amount: '10.00', interval_months: 1, valid_from: created },
  ]);
});
afterAll(() => db.close());

it('keeps the lowest scores first (ties by tenant id) and counts the dropped series across runs', async () => {
  const collector = createTenantHealthCollector();
  const config = db.config({ tenantHealth: { maxSeries: 2 } });
  const first = await collectLines(collector, config, T, /score\{|dropped|by_risk/);
  expect(first).toEqual([
    'saasmon_tenant_health_score{tenant="c2",plan="starter"} 36',
    'saasmon_tenant_health_score{tenant="c4",plan="starter"} 15',
    'saasmon_tenant_health_series_dropped_last_run 2',
    'saasmon_tenant_health_series_dropped_total 2',
    // the risk counts cover every tenant, capped or not
    'saasmon_tenants_by_risk{risk="at_risk"} 3',
    'saasmon_tenants_by_risk{risk="critical"} 1',
    'saasmon_tenants_by_risk{risk="healthy"} 0',
    'saasmon_tenants_by_risk{risk="watch"} 0',
  ]);
  const second = await collectLines(collector, config, T, /dropped/);
  expect(second).toEqual(['saasmon_tenant_health_series_dropped_last_run 2', 'saasmon_tenant_health_series_dropped_total 4']);
});

it('keeps no per-tenant series with a cap of 0, and every one under a cap above the count', async () => {
  const none = await collectLines(createTenantHealthCollector(), db.config({ tenantHealth: { maxSeries: 0 } }), T, /score\{|dropped/);
  expect(none).toEqual(['saasmon_tenant_health_series_dropped_last_run 4', 'saasmon_tenant_health_series_dropped_total 4']);
  const all = await collectLines(createTenantHealthCollector(), db.config({ tenantHealth: { maxSeries: 10 } }), T, /score\{/);
  expect(all).toHaveLength(4);
});

it('capSeries sorts without touching its input', () => {
  const input = [3, 1, 2];
  expect(capSeries(input, 2, (a, b) => a - b)).toEqual({ kept: [1, 2], dropped: 1 });
  expect(input).toEqual([3, 1, 2]);
});
