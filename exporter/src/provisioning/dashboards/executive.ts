import { alignment, dashboard, dashboardLink, prom, promTable, row, stat, table, timeseries, UID, barGauge } from '../grafana';
import { ALIGNMENT_BANDS, byCurrency, errorRatio, higherIsBetter, jobVariable, lowerIsBetter } from './common';

/** One page for the leadership team: money, users, churn, uptime, alignment, what is on fire. */
export const executiveDashboard = dashboard({
  uid: UID.executive,
  title: 'saasmon / Executive summary',
  description: 'MRR, growth, active users, churn, uptime, the operational alignment score and the alerts firing now.',
  tags: ['executive'],
  variables: [jobVariable()],
  links: [
    { ...dashboardLink(UID.revenue, 'Revenue'), type: 'link', icon: 'dashboard' },
    { ...dashboardLink(UID.engagement, 'Users and engagement'), type: 'link', icon: 'dashboard' },
    { ...dashboardLink(UID.tenants, 'Tenant health'), type: 'link', icon: 'dashboard' },
  ],
  items: [
    row('Business'),
    stat('MRR', [prom(byCurrency('saasmon_mrr'), '{{currency}}')], {
      unit: 'short',
      decimals: 0,
      textMode: 'value_and_name',
      description: 'Monthly recurring revenue now, in the reporting currency.',
      panelLinks: [dashboardLink(UID.revenue, 'Revenue details')],
    }),
    stat('MRR growth (30d)', [prom('saasmon_mrr_growth_30d_ratio')], {
      unit: 'percentunit',
      decimals: 1,
      thresholds: higherIsBetter(0, 0.05),
      description: 'MRR now over MRR 30 days ago, minus 1.',
    }),
    stat('Paying customers', [prom('saasmon_paying_customers')], { decimals: 0, thresholds: { mode: 'absolute', steps: [{ color: 'blue', value: null }] } }),
    stat('Monthly active users', [prom('saasmon_active_users{window="30d"}')], {
      decimals: 0,
      thresholds: { mode: 'absolute', steps: [{ color: 'blue', value: null }] },
      panelLinks: [dashboardLink(UID.engagement, 'Engagement details')],
    }),
    stat('Customer churn (30d)', [prom('saasmon_customer_churn_30d_ratio')], {
      unit: 'percentunit',
      decimals: 1,
      thresholds: lowerIsBetter(0.07, 0.1),
      description: 'Share of the tenants paying 30 days ago that pay nothing now (warning 7%, critical 10%).',
    }),
    stat('Platform availability (30d)', [prom(`1 - (${errorRatio('30d')})`)], {
      unit: 'percentunit',
      decimals: 3,
      min: 0.99,
      max: 1,
      thresholds: higherIsBetter(0.995, 0.999),
      description: 'Share of HTTP requests of the selected services answered without a 5xx over the last 30 days.',
      noValue: 'no HTTP metrics',
    }),
    row('Alignment and trend'),
    alignment(
      'Operational alignment',
      [
        prom('saasmon_alignment_score', 'score'),
        promTable('saasmon_alignment_kpi_value'),
        promTable('saasmon_alignment_kpi_target'),
        promTable('saasmon_alignment_kpi_weight'),
        promTable('saasmon_alignment_kpi_score'),
      ],
      { thresholds: ALIGNMENT_BANDS, description: 'Weighted KPI scores against targets; the first row is the priority action.', h: 14 },
    ),
    timeseries('MRR', [prom(byCurrency('saasmon_mrr'), 'MRR {{currency}}')], { unit: 'short', decimals: 0, h: 7 }),
    timeseries('Active users', [prom('saasmon_active_users', '{{window}}')], {
      decimals: 0,
      h: 7,
      overrides: [
        { matcher: { id: 'byName', options: '1d' }, properties: [{ id: 'displayName', value: 'DAU' }] },
        { matcher: { id: 'byName', options: '7d' }, properties: [{ id: 'displayName', value: 'WAU' }] },
        { matcher: { id: 'byName', options: '30d' }, properties: [{ id: 'displayName', value: 'MAU' }] },
      ],
    }),
    row('Now'),
    table('Active alerts', [promTable('sort_desc(count by (alertname, severity) (ALERTS{alertstate="firing", alertname!="Watchdog"}))')], {
      description: 'Prometheus alerts firing now (the Watchdog heartbeat is left out), by severity.',
      transformations: [{ id: 'organize', options: { excludeByName: { Time: true }, renameByName: { Value: 'instances' } } }],
      sortBy: [{ displayName: 'severity', desc: false }],
      noValue: 'No alerts firing',
      w: 12,
    }),
    barGauge('Tenants by risk', [prom('saasmon_tenants_by_risk', '{{risk}}', { instant: true })], {
      decimals: 0,
      thresholds: { mode: 'absolute', steps: [{ color: 'blue', value: null }] },
      panelLinks: [dashboardLink(UID.tenants, 'Tenant health')],
      w: 6,
    }),
    stat('Exporter up (30d)', [prom('avg_over_time(up{job="saasmon"}[30d])')], {
      unit: 'percentunit',
      decimals: 2,
      thresholds: higherIsBetter(0.99, 0.999),
      description: 'Share of Prometheus scrapes of the saasmon exporter that succeeded over 30 days.',
      w: 6,
      h: 4,
      graph: false,
    }),
    stat('Data quality score', [prom('saasmon_data_quality_score')], {
      unit: 'percent',
      decimals: 0,
      thresholds: higherIsBetter(80, 100),
      w: 6,
      h: 4,
      graph: false,
      panelLinks: [dashboardLink(UID.operations, 'Operations')],
    }),
  ],
});
