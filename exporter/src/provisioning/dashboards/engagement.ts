import {
  barChart,
  barGauge,
  dashboard,
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
import { higherIsBetter } from './common';
import { tenantColumnLink } from './tenants';

const blue = thresholds('blue');
const windowNames = [
  { matcher: { id: 'byName', options: '1d' }, properties: [{ id: 'displayName', value: 'DAU' }] },
  { matcher: { id: 'byName', options: '7d' }, properties: [{ id: 'displayName', value: 'WAU' }] },
  { matcher: { id: 'byName', options: '30d' }, properties: [{ id: 'displayName', value: 'MAU' }] },
];
/** Retention cells: a heat scale over the share of the cohort that came back. */
const retentionColors = thresholds('red', [0.1, 'orange'], [0.2, 'yellow'], [0.3, 'green']);

/** A cohort table's options: rates as a heat scale, the cohort (in `cohortUnit`) and its size plain. */
function retentionCells(cohortUnit: string) {
  return {
    unit: 'percentunit',
    decimals: 0,
    min: 0,
    max: 1,
    thresholds: retentionColors,
    noValue: '',
    custom: { cellOptions: { type: 'color-background', mode: 'gradient' } },
    overrides: [
      {
        matcher: { id: 'byName', options: 'cohort' },
        properties: [
          { id: 'unit', value: cohortUnit },
          { id: 'custom.cellOptions', value: { type: 'auto' } },
        ],
      },
      {
        matcher: { id: 'byName', options: 'cohort_size' },
        properties: [
          { id: 'unit', value: 'none' },
          { id: 'displayName', value: 'users' },
          { id: 'custom.cellOptions', value: { type: 'auto' } },
        ],
      },
    ],
  };
}

/** Are people using the product, coming back, and converting? */
export const engagementDashboard = dashboard({
  uid: UID.engagement,
  title: 'saasmon / Users and engagement',
  description: 'DAU/WAU/MAU, stickiness, activation, retention (D1/D7/D30 and the cohort matrix), a funnel and feature adoption by plan.',
  tags: ['engagement'],
  time: { from: 'now-90d', to: 'now' },
  variables: [
    saasmonVariable('plan', 'Plan', 'plans', { multi: true, includeAll: true }),
    // The demo product's core journey; pick any events seen in the last 90 days.
    saasmonVariable('steps', 'Funnel steps', 'event_names', { multi: true, current: ['login', 'report.created', 'report.exported'] }),
    // Features whose early use is compared with retention (feature impact).
    saasmonVariable('features', 'Features (impact)', 'event_names', {
      multi: true,
      current: ['report.created', 'workflow.created', 'invite.sent', 'integration.connected'],
    }),
  ],
  items: [
    row('Now'),
    stat('DAU', [prom('saasmon_active_users{window="1d"}')], { decimals: 0, thresholds: blue }),
    stat('WAU', [prom('saasmon_active_users{window="7d"}')], { decimals: 0, thresholds: blue }),
    stat('MAU', [prom('saasmon_active_users{window="30d"}')], { decimals: 0, thresholds: blue }),
    stat('Stickiness (DAU/MAU)', [prom('saasmon_stickiness_ratio')], {
      unit: 'percentunit',
      decimals: 1,
      thresholds: higherIsBetter(0.1, 0.2),
    }),
    stat('Activation rate', [prom('saasmon_activation_ratio')], {
      unit: 'percentunit',
      decimals: 1,
      thresholds: higherIsBetter(0.2, 0.3),
      description: 'Users created 37 to 7 days ago who activated within 7 days (warning under 30%, critical under 20%).',
    }),
    stat('NPS (90d)', [prom('saasmon_nps_90d')], { decimals: 0, thresholds: thresholds('red', [0, 'yellow'], [30, 'green']) }),
    row('Activity'),
    timeseries('Active users (from Prometheus)', [prom('saasmon_active_users', '{{window}}')], { decimals: 0, overrides: windowNames }),
    timeseries('Active users per day (from the database)', [saasmon({ queryType: 'active_users' })], {
      decimals: 0,
      description: 'DAU/WAU/MAU recomputed for every day of the range from the event rollups (history from before Prometheus started).',
      overrides: [
        {
          matcher: { id: 'byName', options: 'stickiness' },
          properties: [{ id: 'custom.hideFrom', value: { legend: false, tooltip: false, viz: true } }],
        },
      ],
    }),
    timeseries('Stickiness (DAU/MAU)', [prom('saasmon_stickiness_ratio', 'stickiness')], { unit: 'percentunit', decimals: 1, w: 8 }),
    timeseries('Signups', [prom('saasmon_signups', '{{window}}')], { decimals: 0, w: 8 }),
    timeseries(
      'Activation',
      [
        prom('saasmon_activation_ratio', 'users (7d)'),
        prom('saasmon_account_activation_ratio', 'accounts (7d)'),
        prom('saasmon_viral_coefficient', 'viral coefficient'),
      ],
      { unit: 'percentunit', decimals: 1, w: 8 },
    ),
    row('Retention'),
    timeseries('D1 / D7 / D30 retention', [prom('saasmon_retention_ratio', 'D{{day}}')], {
      unit: 'percentunit',
      decimals: 1,
      w: 8,
      description: 'Share of the users who signed up on a day that came back on day N (cohorts of the last 30 days).',
    }),
    table(
      'Weekly cohort retention',
      [saasmon({ queryType: 'retention', interval: 'week', periods: 12, retentionMode: 'return_on', plans: ['$plan'] })],
      {
        ...retentionCells('time:YYYY-MM-DD'),
        description: 'Rows are signup cohorts, columns periods since signup ("return on"). Blank cells have not ended yet.',
        w: 16,
        h: 10,
      },
    ),
    table('Retention at day 30 / 60 / 90 / 180 / 365 (monthly cohorts)', [saasmon({ queryType: 'retention_days', plans: ['$plan'] })], {
      ...retentionCells('time:YYYY-MM'),
      description:
        'Users who signed up in each month of the range, active in the week ending on day N. Blank: day N not reached yet. Widen the range to 1 year or more to fill day 180 and 365.',
      w: 24,
      h: 9,
    }),
    row('Lifecycle'),
    table(
      'Lifecycle funnel: signup, activated, paid, retained (90 days), per signup month',
      [saasmon({ queryType: 'lifecycle_funnel', retainedDays: 90, plans: ['$plan'] })],
      {
        decimals: 0,
        overrides: [
          {
            matcher: { id: 'byName', options: 'cohort' },
            properties: [
              { id: 'unit', value: 'time:YYYY-MM' },
              { id: 'noValue', value: 'all' },
            ],
          },
          {
            matcher: { id: 'byRegexp', options: '_rate$|^paid_from_activated$|^trial_to_paid$' },
            properties: [
              { id: 'unit', value: 'percentunit' },
              { id: 'decimals', value: 1 },
            ],
          },
          { matcher: { id: 'byRegexp', options: '^median_days' }, properties: [{ id: 'decimals', value: 1 }] },
        ],
        description:
          'Tenants created in each month of the range and how far they got; the last row is all cohorts together. Rates over the tenants of the cohort (retained over those 90 days old); medians in days.',
        w: 24,
        h: 9,
      },
    ),
    row('Power users'),
    table('Power users (top 10% by activity, 30 days)', [saasmon({ queryType: 'power_users', share: 10, plans: ['$plan'] })], {
      overrides: [tenantColumnLink('tenant')],
      description:
        'Users ranked by active days then events in the last 30 days, the top 10%; the second frame counts them per tenant. Click a tenant to open its page.',
      w: 24,
      h: 10,
    }),
    row('Feature impact'),
    table(
      'Feature impact: early users vs the others',
      [saasmon({ queryType: 'feature_impact', features: ['$features'], retentionDay: 30, firstDays: 7, plans: ['$plan'] })],
      {
        decimals: 1,
        overrides: [
          {
            matcher: { id: 'byRegexp', options: '^(not_)?used_early_(retention|ci_low|ci_high)$' },
            properties: [
              { id: 'unit', value: 'percentunit' },
              { id: 'decimals', value: 1 },
            ],
          },
          {
            matcher: { id: 'byRegexp', options: '^(users|used|compared|(not_)?used_early(_retained)?)$' },
            properties: [{ id: 'decimals', value: 0 }],
          },
          { matcher: { id: 'byRegexp', options: '^risk_ratio_ci_(low|high)$' }, properties: [{ id: 'decimals', value: 2 }] },
          {
            matcher: { id: 'byName', options: 'risk_ratio' },
            properties: [
              { id: 'decimals', value: 2 },
              { id: 'thresholds', value: thresholds('orange', [1, 'blue'], [1.2, 'green']) },
              { id: 'custom.cellOptions', value: { type: 'color-text' } },
            ],
          },
        ],
        description:
          'Users who signed up in the range: time to first use of each feature ($features) and day-30 retention of those who used it in their first 7 days vs those who did not (Wilson 95% intervals), and the risk ratio (Katz 95%). Association, not proof of cause.',
        w: 24,
        h: 8,
      },
    ),
    row('Funnel'),
    barGauge('Funnel: $steps', [saasmon({ queryType: 'funnel', steps: ['$steps'], windowDays: 14, plans: ['$plan'] })], {
      allValues: true,
      decimals: 0,
      thresholds: thresholds('blue'),
      options: { reduceOptions: { calcs: [], fields: '/^users$/', values: true } },
      description: 'Users reaching each step within 14 days of their first step (best attempt per user).',
      w: 10,
    }),
    table('Funnel conversion', [saasmon({ queryType: 'funnel', steps: ['$steps'], windowDays: 14, plans: ['$plan'] })], {
      w: 14,
      overrides: [{ matcher: { id: 'byName', options: 'step' }, properties: [{ id: 'custom.hidden', value: true }] }],
    }),
    barChart('Funnel by plan', [saasmon({ queryType: 'funnel', steps: ['$steps'], windowDays: 14, breakdown: 'plan', plans: ['$plan'] })], {
      xField: 'event',
      decimals: 0,
      w: 24,
      transformations: [{ id: 'groupingToMatrix', options: { columnField: 'plan', rowField: 'event', valueField: 'users' } }],
    }),
    row('Feature adoption'),
    healthMatrix('Feature adoption by plan', [saasmon({ queryType: 'feature_adoption', plans: ['$plan'] })], {
      matrix: { layout: 'long', rowField: 'feature', columnField: 'plan', valueField: 'adoption' },
      unit: 'percentunit',
      decimals: 0,
      min: 0,
      max: 1,
      thresholds: thresholds('red', [0.1, 'orange'], [0.3, 'yellow'], [0.6, 'green']),
      sortRows: 'name',
      description: 'Share of the tenants active in the last 30 days that used the feature, per plan.',
      w: 16,
      h: 14,
    }),
    barGauge('Feature adoption (all plans, 30d)', [prom('sort_desc(saasmon_feature_adoption_ratio)', '{{feature}}', { instant: true })], {
      unit: 'percentunit',
      decimals: 0,
      min: 0,
      max: 1,
      thresholds: thresholds('red', [0.1, 'orange'], [0.3, 'yellow'], [0.6, 'green']),
      w: 8,
      h: 14,
    }),
    row('Voice of the customer'),
    timeseries('NPS per month', [saasmon({ queryType: 'nps', interval: 'month' })], {
      decimals: 0,
      w: 12,
      overrides: [
        {
          matcher: { id: 'byRegexp', options: '^(promoters|passives|detractors|responses)$' },
          properties: [{ id: 'custom.hideFrom', value: { legend: false, tooltip: false, viz: true } }],
        },
      ],
    }),
    timeseries('Open support tickets', [prom('saasmon_support_tickets_open', '{{priority}}')], { stack: true, decimals: 0, w: 12 }),
  ],
});
