import {
  dashboard,
  dashboardLink,
  gauge,
  healthMatrix,
  prom,
  row,
  saasmon,
  saasmonVariable,
  stat,
  table,
  thresholds,
  timeseries,
  UID,
} from '../grafana';
import { HEALTH_BANDS } from './common';

const SCORE = 'saasmon_tenant_health_score{tenant="$tenant"}';
const CHURN = 'saasmon_tenant_churn_probability_ratio{tenant="$tenant"}';

/** Every analytics panel of the page is filtered to the chosen tenant (`filters.tenant` of the body). */
const ONE = { tenant: '$tenant' } as const;
const hidden = (...names: string[]) => ({ id: 'organize', options: { excludeByName: Object.fromEntries(names.map((n) => [n, true])) } });

/** Drill-down for one tenant, opened from the tenant-health dashboard (or any tenant list) with var-tenant. */
export const tenantDashboard = dashboard({
  uid: UID.tenant,
  title: 'saasmon / Tenant',
  description:
    'One tenant: health score and its components, churn probability with its drivers, MRR and plan history, users and power users, NPS, and its standing among all tenants.',
  tags: ['tenants'],
  time: { from: 'now-1y', to: 'now' },
  // Every live tenant by name (the per-tenant Prometheus series are capped; the database is not).
  variables: [saasmonVariable('tenant', 'Tenant', 'tenants')],
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
    healthMatrix('Health components now', [saasmon({ queryType: 'tenant_health', ...ONE })], {
      matrix: { layout: 'wide', rowField: 'name', columnFields: ['score', 'activity', 'adoption', 'payment', 'support'] },
      min: 0,
      max: 100,
      decimals: 0,
      thresholds: HEALTH_BANDS,
      description:
        'The rule-based score and its components (activity: events, adoption: features used, payment, support: open tickets) as of the last tenant_health run; their history is below.',
      w: 16,
      h: 5,
    }),
    table('Last activity and risk level', [saasmon({ queryType: 'tenant_health', ...ONE })], {
      transformations: [hidden('tenant', 'name', 'score', 'activity', 'adoption', 'payment', 'support')],
      w: 8,
      h: 5,
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
    table('Churn probability and the signals that drive it', [saasmon({ queryType: 'churn_risk', ...ONE })], {
      transformations: [hidden('tenant', 'name', 'plan')],
      overrides: [
        {
          matcher: { id: 'byRegexp', options: '^churn_probability_(30|90)d$' },
          properties: [
            { id: 'unit', value: 'percentunit' },
            { id: 'decimals', value: 1 },
            { id: 'thresholds', value: thresholds('green', [0.1, 'orange'], [0.3, 'red']) },
            { id: 'custom.cellOptions', value: { type: 'color-background', mode: 'basic' } },
          ],
        },
      ],
      description:
        "The model's 30- and 90-day probabilities beside the rule-based health score, and the three signals adding most to this tenant's risk (contribution to the log-odds). Empty for a tenant not paying now.",
      w: 24,
      h: 5,
    }),
    row('Revenue'),
    table('MRR now', [saasmon({ queryType: 'high_value_tenants', ...ONE })], {
      decimals: 0,
      transformations: [hidden('rank', 'tenant', 'name')],
      overrides: [
        {
          matcher: { id: 'byName', options: 'share_of_mrr' },
          properties: [
            { id: 'unit', value: 'percentunit' },
            { id: 'decimals', value: 2 },
          ],
        },
      ],
      description: "MRR, ARR and the tenant's share of the company's MRR, users; empty when the tenant pays nothing now.",
      w: 24,
      h: 4,
    }),
    table('MRR history: plan changes', [saasmon({ queryType: 'plan_changes', ...ONE })], {
      decimals: 0,
      transformations: [hidden('tenant', 'name', 'segment')],
      description: 'Every plan change in the range, newest first, with the MRR before and after.',
      w: 12,
      h: 8,
    }),
    table('Churn events', [saasmon({ queryType: 'churned_tenants', ...ONE })], {
      decimals: 0,
      transformations: [hidden('tenant', 'name', 'segment')],
      noValue: 'Did not churn in the range',
      w: 12,
      h: 8,
    }),
    row('Users and voice of the customer'),
    table('Onboarding (tenants created in the last year)', [saasmon({ queryType: 'new_tenants', days: 365, ...ONE })], {
      transformations: [hidden('tenant', 'name', 'segment', 'channel')],
      description: 'Stage, users, activated users, features used and last activity; empty for a tenant older than a year.',
      w: 24,
      h: 4,
    }),
    table('Power users of this tenant (top 10% of all users, 30 days)', [saasmon({ queryType: 'power_users', share: 10, ...ONE })], {
      transformations: [hidden('tenant', 'tenant_name', 'plan')],
      w: 12,
      h: 8,
    }),
    timeseries('NPS per month', [saasmon({ queryType: 'nps', interval: 'month', ...ONE })], {
      decimals: 0,
      bars: true,
      overrides: [
        {
          matcher: { id: 'byRegexp', options: '^(promoters|passives|detractors)$' },
          properties: [{ id: 'custom.hideFrom', value: { legend: false, tooltip: false, viz: true } }],
        },
      ],
      description: "This tenant's users' NPS per month and the responses behind it.",
      w: 12,
      h: 8,
    }),
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
    timeseries(
      'Health components over time (end of each week)',
      [saasmon({ queryType: 'tenant_health_history', interval: 'week', ...ONE })],
      {
        min: 0,
        max: 100,
        decimals: 0,
        description:
          'Score and components as the tenant_health table would have shown them at the end of each ISO week (now for this week), computed from the database over the whole time range: history before the exporter ran included.',
        w: 24,
        h: 10,
      },
    ),
  ],
});
