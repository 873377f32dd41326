import { insertTenantHealthFixture, T } from '../testing/tenant-health-fixture';
import { collectLines } from '../testing/collect';
import { createTestSchema, TestSchema } from '../testing/db';
import { createTenantHealthCollector } from './tenant-health';

let db: TestSchema;

beforeAll(async () => {
  db = await createTestSchema('health');
});
afterAll(() => db.close());

it('reports every risk level at 0, no average and no dropped series on an empty database', async () => {
  expect(await collectLines(createTenantHealthCollector(), db.config(), T)).toEqual([
    'saasmon_tenant_health_series_dropped_last_run 0',
    'saasmon_tenant_health_series_dropped_total 0',
    'saasmon_tenants_by_risk{risk="at_risk"} 0',
    'saasmon_tenants_by_risk{risk="critical"} 0',
    'saasmon_tenants_by_risk{risk="healthy"} 0',
    'saasmon_tenants_by_risk{risk="watch"} 0',
  ]);
});

it('scores live tenants from activity, adoption, payment and support (hand-computed, see the fixture)', async () => {
  await insertTenantHealthFixture(db);
  expect(await collectLines(createTenantHealthCollector(), db.config(), T)).toEqual([
    // (61 + 50 + 44 + 0 + 100) / 5
    'saasmon_tenant_health_score_avg 51',
    'saasmon_tenant_health_score{tenant="ta",plan="business"} 61',
    'saasmon_tenant_health_score{tenant="tb",plan="starter"} 50',
    'saasmon_tenant_health_score{tenant="tc",plan="free"} 44',
    'saasmon_tenant_health_score{tenant="te",plan="starter"} 0',
    'saasmon_tenant_health_score{tenant="th",plan="enterprise"} 100',
    'saasmon_tenant_health_series_dropped_last_run 0',
    'saasmon_tenant_health_series_dropped_total 0',
    'saasmon_tenants_by_risk{risk="at_risk"} 1',
    'saasmon_tenants_by_risk{risk="critical"} 1',
    'saasmon_tenants_by_risk{risk="healthy"} 1',
    'saasmon_tenants_by_risk{risk="watch"} 2',
  ]);
});

it('takes weights and bands from config', async () => {
  // payment only: ta 100, tb 0, tc 100, te 0, th 100; healthy from 100, watch from 90
  const config = db.config({
    tenantHealth: { weights: { activity: 0, adoption: 0, payment: 1, support: 0 }, bands: { healthy: 100, watch: 90, atRisk: 1 } },
  });
  expect(await collectLines(createTenantHealthCollector(), config, T, /by_risk|score\{tenant="ta"/)).toEqual([
    'saasmon_tenant_health_score{tenant="ta",plan="business"} 100',
    'saasmon_tenants_by_risk{risk="at_risk"} 0',
    'saasmon_tenants_by_risk{risk="critical"} 2',
    'saasmon_tenants_by_risk{risk="healthy"} 3',
    'saasmon_tenants_by_risk{risk="watch"} 0',
  ]);
});
