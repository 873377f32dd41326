import { dashboard, dashboardLink, gauge, prom, promVariable, row, stat, thresholds, timeseries, UID } from '../grafana';
import { HEALTH_BANDS } from './common';

const SCORE = 'saasmon_tenant_health_score{tenant="$tenant"}';

/** Drill-down for one tenant, opened from the tenant-health dashboard with var-tenant. */
export const tenantDashboard = dashboard({
  uid: UID.tenant,
  title: 'saasmon / Tenant',
  description: 'One tenant: health score, its plan, its trend and its standing among all tenants.',
  tags: ['tenants'],
  variables: [promVariable('tenant', 'Tenant', 'label_values(saasmon_tenant_health_score, tenant)')],
  links: [{ ...dashboardLink(UID.tenants, 'All tenants'), type: 'link', icon: 'arrow-left' }],
  items: [
    row('Tenant $tenant'),
    gauge('Health score', [prom(SCORE)], { min: 0, max: 100, decimals: 0, thresholds: HEALTH_BANDS, w: 6, h: 7 }),
    stat('Plan', [prom(SCORE, '{{plan}}', { instant: true })], { textMode: 'name', graph: false, thresholds: thresholds('blue'), w: 6, h: 7 }),
    stat(
      'Tenants with a lower score',
      [prom(`count(saasmon_tenant_health_score < scalar(${SCORE})) or vector(0)`)],
      { decimals: 0, thresholds: thresholds('blue'), graph: false, w: 6, h: 7, description: 'Among the exported per-tenant series.' },
    ),
    stat('Average health score (all tenants)', [prom('saasmon_tenant_health_score_avg')], {
      decimals: 0,
      thresholds: HEALTH_BANDS,
      graph: false,
      w: 6,
      h: 7,
    }),
    row('Trend'),
    timeseries('Health score over time', [prom(SCORE, '$tenant'), prom('saasmon_tenant_health_score_avg', 'all tenants (mean)')], {
      min: 0,
      max: 100,
      decimals: 0,
      thresholds: HEALTH_BANDS,
      thresholdLine: true,
      w: 24,
      h: 10,
    }),
  ],
});
