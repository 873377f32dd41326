import {
  barGauge,
  dashboard,
  dashboardLink,
  healthMatrix,
  prom,
  promTable,
  row,
  saasmon,
  stat,
  table,
  thresholds,
  timeseries,
  UID,
} from '../grafana';
import { HEALTH_BANDS } from './common';

/** Data link to the drill-down dashboard for the tenant id in the clicked cell or row. */
export const tenantLink = (field: string) => ({
  ...dashboardLink(UID.tenant, 'Open tenant ${__data.fields.' + field + '}', { vars: 'var-tenant=${__data.fields.' + field + '}' }),
});

/** A table column whose cells open the tenant page (`idField`: the column holding the tenant id). */
export const tenantColumnLink = (column = 'tenant', idField = column) => ({
  matcher: { id: 'byName', options: column },
  properties: [{ id: 'links', value: [tenantLink(idField)] }],
});

const RISK_COLORS = [
  {
    type: 'value',
    options: {
      healthy: { color: 'green', index: 0 },
      watch: { color: 'yellow', index: 1 },
      at_risk: { color: 'orange', index: 2 },
      critical: { color: 'dark-red', index: 3 },
    },
  },
];

const riskOverrides = ['healthy', 'watch', 'at_risk', 'critical'].map((risk, i) => ({
  matcher: { id: 'byName', options: risk },
  properties: [{ id: 'color', value: { mode: 'fixed', fixedColor: ['green', 'yellow', 'orange', 'dark-red'][i] } }],
}));

/** Which customers need attention, and why. */
export const tenantsDashboard = dashboard({
  uid: UID.tenants,
  title: 'saasmon / Tenant health',
  description:
    'Health score (activity, adoption, payment, support) of every live tenant, risk levels and the at-risk list; click a tenant to drill down.',
  tags: ['tenants'],
  items: [
    row('Overview'),
    stat('Tenants by risk', [prom('saasmon_tenants_by_risk', '{{risk}}')], {
      decimals: 0,
      textMode: 'value_and_name',
      graph: false,
      overrides: riskOverrides,
      w: 12,
    }),
    stat('Average health score', [prom('saasmon_tenant_health_score_avg')], {
      decimals: 0,
      thresholds: HEALTH_BANDS,
      min: 0,
      max: 100,
      w: 6,
    }),
    stat('Series dropped by the cap (1h)', [prom('sum(increase(saasmon_tenant_health_series_dropped_total[1h]))')], {
      decimals: 0,
      thresholds: thresholds('green', [1, 'yellow']),
      description:
        'Per-tenant series left out by tenantHealth.maxSeries (healthiest first). Non-zero: the matrix and list below only show the lowest scores.',
      graph: false,
      w: 6,
    }),
    row('Health matrix'),
    healthMatrix('Tenant health components (lowest score first)', [saasmon({ queryType: 'tenant_health' })], {
      // Wide: one data row per tenant, a field per component; links read the row's tenant id.
      matrix: { layout: 'wide', rowField: 'name', columnFields: ['score', 'activity', 'adoption', 'payment', 'support'] },
      min: 0,
      max: 100,
      decimals: 0,
      thresholds: HEALTH_BANDS,
      sortRows: 'worst',
      rowLimit: 50,
      links: [tenantLink('tenant')],
      description: 'One row per tenant (the 100 lowest scores), a column per health component; click a cell to open the tenant.',
      h: 16,
    }),
    row('At risk'),
    table('At-risk tenants (score < 50)', [promTable('sort(saasmon_tenant_health_score < 50)')], {
      thresholds: HEALTH_BANDS,
      transformations: [
        {
          id: 'organize',
          options: { excludeByName: { Time: true, __name__: true, job: true, instance: true }, renameByName: { Value: 'score' } },
        },
      ],
      overrides: [
        { matcher: { id: 'byName', options: 'tenant' }, properties: [{ id: 'links', value: [tenantLink('tenant')] }] },
        {
          matcher: { id: 'byName', options: 'score' },
          properties: [
            { id: 'custom.cellOptions', value: { type: 'color-background', mode: 'basic' } },
            { id: 'decimals', value: 0 },
          ],
        },
      ],
      sortBy: [{ displayName: 'score', desc: false }],
      noValue: 'No tenant under 50',
      w: 12,
      h: 10,
    }),
    table('Lowest scores with components', [saasmon({ queryType: 'tenant_health' })], {
      mappings: RISK_COLORS,
      overrides: [
        { matcher: { id: 'byName', options: 'tenant' }, properties: [{ id: 'links', value: [tenantLink('tenant')] }] },
        { matcher: { id: 'byName', options: 'risk' }, properties: [{ id: 'custom.cellOptions', value: { type: 'color-text' } }] },
        {
          matcher: { id: 'byRegexp', options: '^(score|activity|adoption|payment|support)$' },
          properties: [
            { id: 'thresholds', value: HEALTH_BANDS },
            { id: 'custom.cellOptions', value: { type: 'color-text' } },
          ],
        },
      ],
      w: 12,
      h: 10,
    }),
    row('Churn risk (model)'),
    table('Highest churn risk, with the signals that drive it', [saasmon({ queryType: 'churn_risk', limit: 50 })], {
      overrides: [
        tenantColumnLink('tenant'),
        {
          matcher: { id: 'byRegexp', options: '^churn_probability_(30|90)d$' },
          properties: [
            { id: 'unit', value: 'percentunit' },
            { id: 'decimals', value: 1 },
            { id: 'thresholds', value: thresholds('green', [0.1, 'orange'], [0.3, 'red']) },
            { id: 'custom.cellOptions', value: { type: 'color-background', mode: 'basic' } },
          ],
        },
        {
          matcher: { id: 'byName', options: 'health_score' },
          properties: [
            { id: 'thresholds', value: HEALTH_BANDS },
            { id: 'custom.cellOptions', value: { type: 'color-text' } },
          ],
        },
        { matcher: { id: 'byName', options: 'health_risk' }, properties: [{ id: 'mappings', value: RISK_COLORS }] },
      ],
      description:
        "Paying tenants, highest 30-day churn probability first: the model's probability beside the rule-based health score, and the three signals adding most to the risk (signal and its contribution to the log-odds). The second frame is the model's quality per horizon.",
      w: 24,
      h: 10,
    }),
    row('Usage against plan limits'),
    table('Usage vs plan limits (fullest first)', [saasmon({ queryType: 'tenant_usage', limit: 100 })], {
      overrides: [
        tenantColumnLink('tenant', 'tenant_id'),
        { matcher: { id: 'byName', options: 'tenant_id' }, properties: [{ id: 'custom.hidden', value: true }] },
        {
          matcher: { id: 'byName', options: 'usage_ratio' },
          properties: [
            { id: 'unit', value: 'percentunit' },
            { id: 'decimals', value: 0 },
            { id: 'min', value: 0 },
            { id: 'max', value: 1 },
            { id: 'thresholds', value: thresholds('green', [0.8, 'orange'], [1, 'red']) },
            { id: 'custom.cellOptions', value: { type: 'gauge', mode: 'basic' } },
          ],
        },
      ],
      noValue: 'No usage reported',
      description:
        'Per tenant and resource: the newest usage snapshot against the limit of the plan in force; over the limit first. An empty ratio is an unlimited resource.',
      w: 24,
      h: 10,
    }),
    row('Drill-downs'),
    table('High-value tenants (by MRR now)', [saasmon({ queryType: 'high_value_tenants', limit: 20 })], {
      decimals: 0,
      overrides: [
        tenantColumnLink('tenant'),
        {
          matcher: { id: 'byName', options: 'share_of_mrr' },
          properties: [
            { id: 'unit', value: 'percentunit' },
            { id: 'decimals', value: 1 },
          ],
        },
      ],
      w: 12,
      h: 10,
    }),
    table('New tenants (30 days) and their onboarding', [saasmon({ queryType: 'new_tenants', days: 30 })], {
      overrides: [tenantColumnLink('tenant')],
      description: 'Created in the last 30 days, newest first: stage (signed up, trialing, activated, paid), users, features used.',
      w: 12,
      h: 10,
    }),
    table('Churned tenants (dashboard range)', [saasmon({ queryType: 'churned_tenants' })], {
      decimals: 0,
      overrides: [tenantColumnLink('tenant')],
      description: 'Who stopped paying, when, on which plan and why, with the MRR lost; newest first.',
      w: 12,
      h: 10,
    }),
    table('Plan changes (dashboard range)', [saasmon({ queryType: 'plan_changes' })], {
      decimals: 0,
      overrides: [
        tenantColumnLink('tenant'),
        {
          matcher: { id: 'byName', options: 'mrr_delta' },
          properties: [
            { id: 'thresholds', value: thresholds('red', [0, 'green']) },
            { id: 'custom.cellOptions', value: { type: 'color-text' } },
          ],
        },
      ],
      description: 'Upgrades and downgrades (old plan to new plan) with the MRR delta; newest first.',
      w: 12,
      h: 10,
    }),
    row('Trend'),
    timeseries('Tenants by risk', [prom('saasmon_tenants_by_risk', '{{risk}}')], { stack: true, decimals: 0, overrides: riskOverrides }),
    barGauge('Average health score by plan', [prom('avg by (plan) (saasmon_tenant_health_score)', '{{plan}}', { instant: true })], {
      decimals: 0,
      min: 0,
      max: 100,
      thresholds: HEALTH_BANDS,
      description: 'Over the exported per-tenant series (all tenants unless the series cap dropped some).',
    }),
  ],
});
