// Revenue movement alerts (revenue.rules.yml): they open a conversation with the business owner.
import { gaugeValues, pct, seriesText } from './lib.mjs';
import { EXPORTER, GUARDS } from './kpi.mjs';

const MRR = { ...EXPORTER, currency: 'USD' };

export const revenue = {
  file: 'revenue.rules.yml',
  header: `Revenue movement alerts (config: alerts.SaasRevenue*). Warning by default: they open a
conversation, they do not page; audience="business" routes them to the business receiver.`,
  groupName: 'saasmon-revenue',
  ruleFiles: ['volume-guards.rules.yml', 'revenue.rules.yml'],
  evalOrder: ['saasmon-volume-guards', 'saasmon-revenue'],
  specs: (cfg) => [
    {
      // Value = the fraction lost since 7 days ago. Needs 7 days of Prometheus history: without the
      // offset sample the expression is empty, never a false drop.
      name: 'SaasRevenueMrrDrop',
      domain: 'revenue',
      dashboard: 'revenue',
      expr: '(1 - saasmon_mrr / (saasmon_mrr offset 7d))',
      op: '>',
      keepFiringFor: '6h',
      summary: (sev, t) => `MRR more than ${pct(t)} below 7 days ago`,
      description: (sev, t) =>
        `MRR ({{ $labels.currency }}) is {{ $value | humanizePercentage }} lower than 7 days ago; ${sev} above a ${pct(t)} drop.`,
      guard: GUARDS.paying(cfg),
      test: {
        labels: MRR,
        healthy: 0,
        // 7 days of a steady MRR first, so that the offset exists when the drop starts.
        onset: 7 * 1440 + 1,
        series: (phases) => [
          { series: seriesText('saasmon_mrr', MRR), values: gaugeValues(phases.map(([drop, n]) => [1000 * (1 - drop), n])) },
        ],
      },
    },
    {
      // The exporter's month-over-month growth; the founder playbook calls under 5% critical.
      name: 'SaasRevenueMrrGrowthLow',
      domain: 'revenue',
      dashboard: 'revenue',
      expr: 'saasmon_mrr_growth_30d_ratio',
      op: '<',
      keepFiringFor: '6h',
      summary: (sev, t) => `MRR growth (30d) below ${pct(t)}`,
      description: (sev, t) => `MRR grew {{ $value | humanizePercentage }} over the last 30 days; ${sev} below ${pct(t)}.`,
      guard: GUARDS.paying(cfg),
      test: {
        labels: EXPORTER,
        series: (phases) => [{ series: seriesText('saasmon_mrr_growth_30d_ratio', EXPORTER), values: gaugeValues(phases) }],
      },
    },
    {
      // +Inf (no churn or contraction at all) never matches.
      name: 'SaasRevenueQuickRatioLow',
      domain: 'revenue',
      dashboard: 'revenue',
      expr: 'saasmon_quick_ratio_30d',
      op: '<',
      keepFiringFor: '6h',
      summary: (sev, t) => `Quick ratio (30d) below ${t}`,
      description: (sev, t) =>
        `Quick ratio over the last 30 days is {{ $value | printf "%.2f" }}; MRR gained (new, reactivation, expansion) is under ${t} times the MRR lost to churn and contraction.`,
      guard: GUARDS.paying(cfg),
      test: {
        labels: EXPORTER,
        series: (phases) => [{ series: seriesText('saasmon_quick_ratio_30d', EXPORTER), values: gaugeValues(phases) }],
      },
    },
  ],
};
