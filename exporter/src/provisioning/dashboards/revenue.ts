import { barChart, barGauge, dashboard, prom, row, saasmon, stat, table, timeseries, UID } from '../grafana';
import { byCurrency, higherIsBetter, lowerIsBetter } from './common';

const negative = (name: string) => ({
  matcher: { id: 'byName', options: name },
  properties: [
    { id: 'custom.transform', value: 'negative-Y' },
    { id: 'color', value: { mode: 'fixed', fixedColor: 'red' } },
  ],
});

const blue = { mode: 'absolute', steps: [{ color: 'blue', value: null }] };

/** Where MRR comes from and where it goes; unit economics. */
export const revenueDashboard = dashboard({
  uid: UID.revenue,
  title: 'saasmon / Revenue',
  description: 'MRR and its movements, MRR by plan, churn by reason, net and gross revenue retention, LTV:CAC and CAC by channel.',
  tags: ['revenue'],
  time: { from: 'now-1y', to: 'now' },
  items: [
    row('Now'),
    stat('MRR', [prom(byCurrency('saasmon_mrr'), '{{currency}}')], {
      unit: 'short',
      decimals: 0,
      textMode: 'value_and_name',
      thresholds: blue,
    }),
    stat('ARR', [prom(byCurrency('saasmon_arr'), '{{currency}}')], {
      unit: 'short',
      decimals: 0,
      textMode: 'value_and_name',
      thresholds: blue,
    }),
    stat('ARPA', [prom(byCurrency('saasmon_arpa'), '{{currency}}')], {
      unit: 'short',
      decimals: 0,
      textMode: 'value_and_name',
      thresholds: blue,
      description: 'MRR per paying customer.',
    }),
    stat('Quick ratio (30d)', [prom('saasmon_quick_ratio_30d')], {
      decimals: 2,
      thresholds: higherIsBetter(1, 4),
      description: '(new + reactivation + expansion) / (contraction + churn) over 30 days. Below 1 the business shrinks.',
    }),
    stat('NRR (12m)', [prom('saasmon_net_revenue_retention_12m_ratio')], {
      unit: 'percentunit',
      decimals: 1,
      thresholds: higherIsBetter(0.9, 1),
    }),
    stat('GRR (12m)', [prom('saasmon_gross_revenue_retention_12m_ratio')], {
      unit: 'percentunit',
      decimals: 1,
      thresholds: higherIsBetter(0.8, 0.9),
    }),
    row('MRR movements'),
    timeseries('MRR movements per month', [saasmon({ queryType: 'mrr_movements', interval: 'month' })], {
      bars: true,
      stack: true,
      decimals: 0,
      description: 'New, expansion and reactivation up; contraction and churn down. Start + movements = end for every month.',
      overrides: [negative('contraction'), negative('churn')],
      // Bars at each period's start (`time`); the period end and the MRR levels are in the table below.
      transformations: [{ id: 'organize', options: { excludeByName: { end: true, starting_mrr: true, ending_mrr: true } } }],
    }),
    barGauge(
      'MRR movements (last 30 days)',
      [prom(`sum by (type, currency) (saasmon_mrr_movement_30d)`, '{{type}} {{currency}}', { instant: true })],
      {
        unit: 'short',
        decimals: 0,
        thresholds: blue,
        w: 6,
      },
    ),
    stat('MRR growth (30d)', [prom('saasmon_mrr_growth_30d_ratio')], {
      unit: 'percentunit',
      decimals: 1,
      thresholds: higherIsBetter(0, 0.05),
      w: 6,
      h: 8,
    }),
    timeseries('MRR by plan', [prom('sum by (plan, currency) (saasmon_mrr_by_plan)', '{{plan}} {{currency}}')], {
      stack: true,
      unit: 'short',
      decimals: 0,
    }),
    timeseries('MRR by plan per month (from the database)', [saasmon({ queryType: 'revenue_by_plan', interval: 'month' })], {
      bars: true,
      stack: true,
      decimals: 0,
      description:
        'MRR per plan at the end of each month, recomputed from the subscription history (history from before Prometheus started).',
      transformations: [{ id: 'organize', options: { excludeByName: { at: true } } }],
    }),
    table('Subscribers and MRR by plan now', [saasmon({ queryType: 'subscribers_by_plan' })], {
      decimals: 0,
      description: 'Paying tenants, MRR and ARPA per plan at the query instant (as saasmon_mrr_by_plan).',
      w: 24,
      h: 6,
    }),
    row('MRR forecast'),
    barChart(
      'MRR: the last 12 month-ends and the next 12 months, with 80% and 95% intervals',
      [saasmon({ queryType: 'mrr_forecast', months: 12 })],
      {
        xField: 'time',
        decimals: 0,
        description:
          'Log-linear trend fitted on the last 12 month-ends (fitted), projected 12 months ahead (forecast) with 80% and 95% prediction intervals. Months, not the dashboard range: the forecast lies in the future.',
        transformations: [
          // The backtest frame has its own table beside.
          {
            id: 'filterFieldsByName',
            options: { include: { names: ['time', 'mrr', 'fitted', 'lower_95', 'lower_80', 'forecast', 'upper_80', 'upper_95'] } },
          },
        ],
        overrides: [
          { matcher: { id: 'byName', options: 'mrr' }, properties: [{ id: 'color', value: { mode: 'fixed', fixedColor: 'blue' } }] },
          { matcher: { id: 'byName', options: 'forecast' }, properties: [{ id: 'color', value: { mode: 'fixed', fixedColor: 'green' } }] },
          {
            matcher: { id: 'byRegexp', options: '^(lower|upper)_80$' },
            properties: [{ id: 'color', value: { mode: 'fixed', fixedColor: 'light-green' } }],
          },
          {
            matcher: { id: 'byRegexp', options: '^(lower|upper)_95$' },
            properties: [{ id: 'color', value: { mode: 'fixed', fixedColor: 'super-light-green' } }],
          },
          {
            matcher: { id: 'byName', options: 'fitted' },
            properties: [{ id: 'custom.hideFrom', value: { legend: false, tooltip: false, viz: true } }],
          },
        ],
        options: { xTickLabelRotation: -45, showValue: 'never' },
        w: 16,
        h: 10,
      },
    ),
    table('Forecast backtest (1 month ahead, last 6 months)', [saasmon({ queryType: 'mrr_forecast', months: 12 })], {
      decimals: 0,
      transformations: [{ id: 'filterFieldsByName', options: { include: { names: ['time', 'actual', 'predicted', 'ape'] } } }],
      overrides: [
        {
          matcher: { id: 'byName', options: 'ape' },
          properties: [
            { id: 'unit', value: 'percentunit' },
            { id: 'decimals', value: 1 },
          ],
        },
      ],
      description: 'Each of the last 6 month-ends predicted from the months before it: actual, predicted, absolute percentage error (ape).',
      w: 8,
      h: 10,
    }),
    row('Churn'),
    timeseries(
      'Churn rates (30d)',
      [
        prom('saasmon_customer_churn_30d_ratio', 'customer churn'),
        prom('saasmon_gross_mrr_churn_30d_ratio', 'gross MRR churn'),
        prom('saasmon_net_mrr_churn_30d_ratio', 'net MRR churn'),
      ],
      { unit: 'percentunit', decimals: 1, thresholds: lowerIsBetter(0.07, 0.1), thresholdLine: true },
    ),
    table('Churn by reason', [saasmon({ queryType: 'churn_by_reason', interval: 'month' })], {
      description: 'Churned tenants and the MRR they took with them, per reason.',
      decimals: 0,
    }),
    table('Churn, ARPA and LTV by plan (last 30 days)', [saasmon({ queryType: 'revenue_breakdown', by: 'plan' })], {
      decimals: 0,
      overrides: [
        {
          matcher: { id: 'byRegexp', options: '_rate$' },
          properties: [
            { id: 'unit', value: 'percentunit' },
            { id: 'decimals', value: 1 },
          ],
        },
      ],
      description:
        'Customer and gross MRR churn over 30 days by the plan tenants had 30 days ago; paying, MRR, ARPA and LTV by the plan in force now.',
      w: 12,
    }),
    table('Churn, ARPA and LTV by segment (last 30 days)', [saasmon({ queryType: 'revenue_breakdown', by: 'segment' })], {
      decimals: 0,
      overrides: [
        {
          matcher: { id: 'byRegexp', options: '_rate$' },
          properties: [
            { id: 'unit', value: 'percentunit' },
            { id: 'decimals', value: 1 },
          ],
        },
      ],
      w: 12,
    }),
    row('Retention and unit economics'),
    timeseries(
      'Net and gross revenue retention (12m)',
      [prom('saasmon_net_revenue_retention_12m_ratio', 'NRR'), prom('saasmon_gross_revenue_retention_12m_ratio', 'GRR')],
      { unit: 'percentunit', decimals: 1, w: 8 },
    ),
    timeseries('LTV:CAC', [prom('saasmon_ltv_cac', 'LTV:CAC')], {
      decimals: 1,
      thresholds: higherIsBetter(2, 3),
      thresholdLine: true,
      description: 'Warning under 3, critical under 2 (docs/metrics.md, KPI thresholds).',
      w: 8,
    }),
    stat('LTV', [prom(byCurrency('saasmon_ltv'), '{{currency}}')], {
      unit: 'short',
      decimals: 0,
      textMode: 'value_and_name',
      thresholds: blue,
      w: 4,
      h: 4,
    }),
    stat('CAC (blended)', [prom(byCurrency('saasmon_cac_blended'), '{{currency}}')], {
      unit: 'short',
      decimals: 0,
      textMode: 'value_and_name',
      thresholds: blue,
      w: 4,
      h: 4,
    }),
    barGauge(
      'CAC by channel (last complete month)',
      [prom('sum by (channel, currency) (saasmon_cac)', '{{channel}} {{currency}}', { instant: true })],
      {
        unit: 'short',
        decimals: 0,
        thresholds: blue,
        w: 8,
      },
    ),
    table('CAC by channel per month', [saasmon({ queryType: 'cac_by_channel' })], {
      decimals: 0,
      description: 'Marketing spend over new paying tenants, per channel and month; `complete` is false for the running month.',
      sortBy: [{ displayName: 'time', desc: true }],
      w: 16,
    }),
  ],
});
