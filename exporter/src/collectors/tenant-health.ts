import { Config } from '../config/schema';
import { byScoreThenTenant, RISK_LEVELS, TenantHealth } from '../domain/tenant-health';
import { readTenantHealth } from '../reads/tenant-health';
import { counter, family, gauge, MetricFamily } from '../metrics/family';
import { capSeries, DroppedSeriesTotal } from './cardinality-cap';
import { Collector } from './collector';
import { LatestTenantHealth } from './latest-tenant-health';

// Tenant health (docs/metrics.md, "Tenant health"). Per-tenant cardinality is the
// score only; the components are in the tenant_health query of the API.

const NAME = 'tenant_health' as const;
export const TENANT_HEALTH_INTERVAL_SECONDS = 60;

const metrics = {
  score: gauge(
    'saasmon_tenant_health_score',
    'Tenant health score 0-100 (weighted mean of activity, adoption, payment, support), per live tenant; capped by tenantHealth.maxSeries, lowest scores kept.',
    ['tenant', 'plan'],
  ),
  byRisk: gauge('saasmon_tenants_by_risk', 'Live tenants per health risk level (healthy, watch, at_risk, critical); never capped.', [
    'risk',
  ]),
  scoreAvg: gauge('saasmon_tenant_health_score_avg', 'Mean health score over all live tenants; absent when there are none.'),
  dropped: gauge(
    'saasmon_tenant_health_series_dropped_last_run',
    'Per-tenant score series left out by the tenantHealth.maxSeries cap in the last run.',
  ),
  droppedTotal: counter(
    'saasmon_tenant_health_series_dropped_total',
    'Per-tenant score series left out by the tenantHealth.maxSeries cap, summed over runs since the exporter started.',
  ),
};

// The SQL is shared with the tenant_health query API: reads/tenant-health.ts.

export function tenantHealthFamilies(tenants: readonly TenantHealth[], config: Config, droppedTotal: DroppedSeriesTotal): MetricFamily[] {
  const { kept, dropped } = capSeries(tenants, config.tenantHealth.maxSeries, byScoreThenTenant);
  const total = droppedTotal.add(dropped);
  const count = (risk: string) => tenants.filter((t) => t.risk === risk).length;
  const avg = tenants.length > 0 ? tenants.reduce((s, t) => s + t.score, 0) / tenants.length : undefined;
  return [
    family(
      metrics.score,
      kept.map((t) => ({ labels: { tenant: t.tenant, plan: t.plan }, value: t.score })),
    ),
    family(
      metrics.byRisk,
      RISK_LEVELS.map((risk) => ({ labels: { risk }, value: count(risk) })),
    ),
    family(metrics.scoreAvg, avg),
    family(metrics.dropped, dropped),
    family(metrics.droppedTotal, total),
  ];
}

/**
 * One collector instance owns its dropped-series running total (see DroppedSeriesTotal); with
 * `latest`, each run's table is also kept there for the query API.
 */
export function createTenantHealthCollector(latest?: LatestTenantHealth): Collector {
  const droppedTotal = new DroppedSeriesTotal();
  return {
    name: NAME,
    defaultIntervalSeconds: TENANT_HEALTH_INTERVAL_SECONDS,
    metrics: Object.values(metrics),
    async collect({ db, now, config }) {
      const tenants = await readTenantHealth(db, now, config);
      latest?.record(now, tenants);
      return tenantHealthFamilies(tenants, config, droppedTotal);
    },
  };
}
