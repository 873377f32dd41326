// Business KPI alerts (kpi.rules.yml) and the minimum-volume guards they join (volume-guards.rules.yml).
import { gauge, gaugeValues, pct, seriesText } from './lib.mjs';

/** The exporter's own series labels in tests (any job/instance works: the rules do not select one). */
export const EXPORTER = { job: 'saasmon', instance: 'exporter:9471' };

export const GUARDS = {
  signups: (cfg) => ({
    record: 'instance:saasmon_signups_30d:volume_guard',
    on: ['job', 'instance'],
    min: cfg.volume_guards.signups_30d,
    what: 'signups in 30 days',
    series: (n, samples) => [
      { series: seriesText('saasmon_signups', { ...EXPORTER, window: '30d' }), values: gaugeValues([[n, samples]]) },
    ],
  }),
  paying: (cfg) => ({
    record: 'instance:saasmon_paying_customers:volume_guard',
    on: ['job', 'instance'],
    min: cfg.volume_guards.paying_customers,
    what: 'paying customers',
    series: (n, samples) => [{ series: seriesText('saasmon_paying_customers', EXPORTER), values: gaugeValues([[n, samples]]) }],
  }),
};

export const volumeGuards = {
  file: 'volume-guards.rules.yml',
  header: `Minimum-volume guards: the one place where the "is this ratio meaningful?" volumes live
(config: volume_guards).

A ratio over a tiny denominator swings wildly (2 churned tenants out of 10 is a 20% churn rate), so
every KPI and revenue ratio alert is joined with one of these series:
  <ratio> < threshold and on(job, instance) <guard>
A guard series exists (its value is the volume) only while the volume is at least the minimum; when
it is absent the joined alert cannot fire.

Volumes used as proxies (the exporter does not export the exact cohort sizes):
- engagement ratios (activation, D7 and D30 retention): signups in the last 30 days. The activation
  cohort is users created 7-37 days ago and the retention cohorts are 30 signup days each, so the
  30-day signup count is the same order of magnitude as each cohort.
- customer ratios (churn, LTV:CAC, quick ratio, MRR drop and growth): paying customers now (the churn
  denominator is the paying customers 30 days ago; "now" needs no 30 days of Prometheus history).`,
  groups: (cfg) => [
    {
      name: 'saasmon-volume-guards',
      rules: [
        { record: 'instance:saasmon_signups_30d:volume_guard', expr: `saasmon_signups{window="30d"} >= ${cfg.volume_guards.signups_30d}` },
        {
          record: 'instance:saasmon_paying_customers:volume_guard',
          expr: `saasmon_paying_customers >= ${cfg.volume_guards.paying_customers}`,
        },
      ],
    },
  ],
  tests: () => null,
};

const below = (what) => (sev, t) => `${what} below ${pct(t)}`;

/** Ratio KPIs: [alert, metric expression, extra series labels, summary subject, description text, guard, dashboard]. */
const RATIO_KPIS = [
  [
    'SaasKpiActivationLow',
    'saasmon_activation_ratio',
    {},
    'Activation rate',
    'Activation rate is {{ $value | humanizePercentage }} (users who signed up 7-37 days ago and activated within 7 days)',
    'signups',
    'engagement',
  ],
  [
    'SaasKpiRetentionD7Low',
    'saasmon_retention_ratio{day="7"}',
    { day: '7' },
    'D7 retention',
    'D7 retention is {{ $value | humanizePercentage }} (share of the last 30 daily signup cohorts active on their day 7)',
    'signups',
    'engagement',
  ],
  [
    'SaasKpiRetentionD30Low',
    'saasmon_retention_ratio{day="30"}',
    { day: '30' },
    'D30 retention',
    'D30 retention is {{ $value | humanizePercentage }} (share of the last 30 daily signup cohorts active on their day 30)',
    'signups',
    'engagement',
  ],
];

export const kpi = {
  file: 'kpi.rules.yml',
  header: `Business KPI alerts (config: alerts.SaasKpi*; the defaults are the alignment system's KPI table).

KPIs move slowly (30-day windows, cohorts that shift at UTC midnight), so:
- warning waits long (default for: 6h), critical less (2h: its threshold is already far from normal);
- keep_firing_for (6h): a value that pokes back over the line for a few hours (a cohort boundary, a
  late batch of events) does not resolve and re-notify;
- every ratio is joined with a minimum-volume guard from volume-guards.rules.yml.
These alerts carry audience="business": Alertmanager sends them to the business receiver, never to
the pager, whatever their severity.`,
  groupName: 'saasmon-kpi',
  ruleFiles: ['volume-guards.rules.yml', 'kpi.rules.yml'],
  evalOrder: ['saasmon-volume-guards', 'saasmon-kpi'],
  specs: (cfg) => [
    ...RATIO_KPIS.map(([name, expr, labels, subject, text, guard, dashboard]) => ({
      name,
      domain: 'kpi',
      dashboard,
      expr,
      op: '<',
      keepFiringFor: '6h',
      summary: below(subject),
      description: (sev, t) => `${text}; ${sev} below ${pct(t)}.`,
      guard: GUARDS[guard](cfg),
      test: { labels: { ...EXPORTER, ...labels }, series: gauge(expr.replace(/\{.*\}$/, ''), { ...EXPORTER, ...labels }) },
    })),
    {
      name: 'SaasKpiCustomerChurnHigh',
      domain: 'kpi',
      dashboard: 'revenue',
      expr: 'saasmon_customer_churn_30d_ratio',
      op: '>',
      keepFiringFor: '6h',
      summary: (sev, t) => `Customer churn (30d) above ${pct(t)}`,
      description: (sev, t) =>
        `{{ $value | humanizePercentage }} of the tenants paying 30 days ago are no longer paying; ${sev} above ${pct(t)}.`,
      guard: GUARDS.paying(cfg),
      test: { labels: EXPORTER, series: gauge('saasmon_customer_churn_30d_ratio', EXPORTER) },
    },
    {
      name: 'SaasKpiLtvCacLow',
      domain: 'kpi',
      dashboard: 'revenue',
      expr: 'saasmon_ltv_cac',
      op: '<',
      keepFiringFor: '6h',
      summary: (sev, t) => `LTV:CAC below ${t}`,
      description: (sev, t) =>
        `LTV:CAC is {{ $value | printf "%.2f" }} (lifetime value per blended acquisition cost of last month); ${sev} below ${t}.`,
      guard: GUARDS.paying(cfg),
      test: { labels: EXPORTER, series: gauge('saasmon_ltv_cac', EXPORTER) },
    },
    {
      // The score is a weighted mean of KPI scores that exist only where the KPI is defined, so it
      // needs no volume guard of its own.
      name: 'SaasKpiAlignmentOffTrack',
      domain: 'kpi',
      dashboard: 'executive',
      expr: 'saasmon_alignment_score',
      op: '<',
      keepFiringFor: '6h',
      summary: (sev) => (sev === 'warning' ? 'Operational alignment score off track' : 'Operational alignment score far off track'),
      description: (sev, t) =>
        `The operational alignment score is {{ $value | printf "%.0f" }}/100, ${sev === 'warning' ? 'off track' : 'far off track'} (below ${t}).`,
      test: { labels: EXPORTER, series: gauge('saasmon_alignment_score', EXPORTER) },
    },
  ],
};
