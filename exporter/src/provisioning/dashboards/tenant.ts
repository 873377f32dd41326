import { dashboard, dashboardLink, gauge, prom, promVariable, row, stat, thresholds, timeseries, UID } from '../grafana';
import { HEALTH_BANDS } from './common';

const SCORE = 'saasmon_tenant_health_score{tenant="$tenant"}';
const CHURN = 'saasmon_tenant_churn_probability_ratio{tenant="$tenant"}';

/** Drill-down for one tenant, opened from the tenant-health dashboard with var-tenant. */
export const tenantDashboard = dashboard({
  uid: UID.tenant,
  title: 'saasmon / Tenant',
  description: 'One tenant: health score, churn probability, its plan, its trend and its standing among all tenants.',
  tags: ['tenants'],
  variables: [promVariable('tenant', 'Tenant', 'label_values(saasmon_tenant_health_score, tenant)')],
  links: [{ ...dashboardLink(UID.tenants, 'All tenants'), type: 'link', icon: 'arrow-left' }],
  items: [
    row('Tenant $tenant'),
    gauge('Health score', [prom(SCORE)], { min: 0, max: 100, decimals: 0, thresholds: HEALTH_BANDS, w: 6, h: 7 }),
    stat('Plan', [prom(SCORE, '{{plan}}', { instant: true })], {
      textMode: 'name',
      graph: false,
      thresholds: thresholds('blue'),
      w: 6,
      h: 7,
    }),
    stat('Tenants with a lower score', [prom(`count(saasmon_tenant_health_score < scalar(${SCORE})) or vector(0)`)], {
      decimals: 0,
      thresholds: thresholds('blue'),
      graph: false,
      w: 6,
      h: 7,
      description: 'Among the exported per-tenant series.',
    }),
    stat('Average health score (all tenants)', [prom('saasmon_tenant_health_score_avg')], {
      decimals: 0,
      thresholds: HEALTH_BANDS,
      graph: false,
      w: 6,
      h: 7,
    }),
    row('Churn risk (model) beside the health score (rules)'),
    stat('Churn probability, next 30 / 90 days', [prom(CHURN, '{{horizon}}', { instant: true })], {
      unit: 'percentunit',
      decimals: 1,
      graph: false,
      thresholds: thresholds('green', [0.1, 'orange'], [0.3, 'red']),
      w: 8,
      h: 7,
      description:
        "Logistic regression trained on this company's own tenant-months (saasmon_tenant_churn_probability_ratio); the drivers per tenant are in the churn_risk query. Absent for tenants not paying now or beyond the series cap.",
    }),
    stat('Model AUC on its last 6 months', [prom('saasmon_churn_risk_auc_ratio', '{{horizon}}', { instant: true })], {
      decimals: 2,
      graph: false,
      thresholds: thresholds('red', [0.6, 'orange'], [0.7, 'green']),
      w: 8,
      h: 7,
      description:
        'Probability that a tenant who left was ranked above one who stayed, on months the model did not train on (0.5: no better than chance).',
    }),
    stat(
      'Tenants expected to leave (all tenants)',
      [prom('saasmon_churn_risk_expected_churned_tenants', '{{horizon}}', { instant: true })],
      {
        decimals: 1,
        graph: false,
        thresholds: thresholds('blue'),
        w: 8,
        h: 7,
      },
    ),
    row('Trend'),
    timeseries('Health score over time', [prom(SCORE, '$tenant'), prom('saasmon_tenant_health_score_avg', 'all tenants (mean)')], {
      min: 0,
      max: 100,
      decimals: 0,
      thresholds: HEALTH_BANDS,
      thresholdLine: true,
      w: 12,
      h: 10,
    }),
    timeseries('Churn probability over time', [prom(CHURN, '{{horizon}}')], {
      unit: 'percentunit',
      min: 0,
      max: 1,
      decimals: 1,
      w: 12,
      h: 10,
    }),
  ],
});
