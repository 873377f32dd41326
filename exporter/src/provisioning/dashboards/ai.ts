import {
  barChart,
  barGauge,
  dashboard,
  healthMatrix,
  heatmap,
  Json,
  prom,
  promTable,
  promVariable,
  row,
  saasmon,
  stat,
  table,
  thresholds,
  timeseries,
  UID,
} from '../grafana';
import { higherIsBetter, lowerIsBetter } from './common';
import { tenantColumnLink } from './tenants';

/**
 * AI Performance: the exporter's AI collector (saasmon_ai_*, saasmon_training_*), per model. Tenant
 * and request ids are never labels: top tenants by cost is the ai_cost_by_tenant query type.
 */
const MODEL = 'provider=~"$provider", model=~"$model"';
/** Per-model money in one currency, the one the dashboard's currency variable picks and the titles name. */
const MODEL_MONEY = `${MODEL}, currency="$currency"`;
const byModel = '{{provider}} {{model}}';
const blue = thresholds('blue');

/** A column's unit, decimals and thresholds (the health matrix colors each column by its own). */
const column = (name: string, unit: string, decimals: number, steps: Json): Json => ({
  matcher: { id: 'byName', options: name },
  properties: [
    { id: 'unit', value: unit },
    { id: 'decimals', value: decimals },
    { id: 'thresholds', value: steps },
  ],
});

/** Models at a glance: one row per model, the four figures a model is judged by. */
const modelMatrix = healthMatrix(
  'Models at a glance (cost in $currency)',
  [
    // The same labels on the four (percentile dropped; currency fixed by the variable and named in
    // the title), so that merge makes one row per model.
    promTable(`max by (provider, model) (saasmon_ai_success_24h_ratio{${MODEL}})`),
    promTable(`max by (provider, model) (saasmon_ai_latency_1h_seconds{${MODEL}, percentile="p95"})`),
    promTable(`max by (provider, model) (saasmon_ai_cost_per_request_24h{${MODEL_MONEY}})`),
    promTable(`max by (provider, model) (saasmon_ai_acceptance_30d_ratio{${MODEL}})`),
  ],
  {
    matrix: {
      layout: 'wide',
      rowField: 'model',
      columnFields: ['success (24h)', 'p95 latency (1h)', 'cost / request (24h)', 'acceptance (30d)'],
    },
    sortRows: 'name',
    description:
      'Per model: success ratio (24h), p95 latency (1h), cost per request (24h, in the currency the dashboard shows) and acceptance (30d), each colored by its own thresholds (latency and cost: lower is better).',
    transformations: [
      { id: 'merge', options: {} },
      {
        id: 'organize',
        options: {
          excludeByName: { Time: true, provider: true },
          renameByName: {
            'Value #A': 'success (24h)',
            'Value #B': 'p95 latency (1h)',
            'Value #C': 'cost / request (24h)',
            'Value #D': 'acceptance (30d)',
          },
        },
      },
    ],
    overrides: [
      column('success (24h)', 'percentunit', 1, higherIsBetter(0.8, 0.95)),
      column('p95 latency (1h)', 's', 2, lowerIsBetter(2, 5)),
      column('cost / request (24h)', 'none', 4, lowerIsBetter(0.02, 0.05)),
      column('acceptance (30d)', 'percentunit', 0, higherIsBetter(0.3, 0.6)),
    ],
    h: 8,
  },
);

export const aiDashboard = dashboard({
  uid: UID.ai,
  title: 'saasmon / AI Performance',
  description:
    'AI model calls per model: requests, success, latency and time to first token, tokens, cost per decision, acceptance, savings; training jobs by status, GPU time and compute cost.',
  tags: ['ai', 'operations'],
  time: { from: 'now-24h', to: 'now' },
  refresh: '1m',
  variables: [
    promVariable('provider', 'Provider', 'label_values(saasmon_ai_requests_24h, provider)', {
      multi: true,
      includeAll: true,
      allValue: '.*',
    }),
    promVariable('model', 'Model', 'label_values(saasmon_ai_requests_24h{provider=~"$provider"}, model)', {
      multi: true,
      includeAll: true,
      allValue: '.*',
    }),
    // The exporter reports money in one currency (its `currency` setting); several exporters may not.
    promVariable('currency', 'Currency', 'label_values(saasmon_ai_cost_24h, currency)'),
  ],
  items: [
    row('Last 24 hours'),
    stat('Requests (24h)', [prom(`sum(saasmon_ai_requests_24h{${MODEL}})`)], { decimals: 0, thresholds: blue }),
    stat('Success rate (24h)', [prom(`1 - (sum(saasmon_ai_errors_24h{${MODEL}}) or vector(0)) / sum(saasmon_ai_requests_24h{${MODEL}})`)], {
      unit: 'percentunit',
      decimals: 2,
      thresholds: higherIsBetter(0.8, 0.95),
    }),
    stat('Cost (24h)', [prom(`sum by (currency) (saasmon_ai_cost_24h{${MODEL}})`, '{{currency}}')], {
      decimals: 2,
      textMode: 'value_and_name',
      thresholds: blue,
    }),
    stat(
      'Cost per decision (24h)',
      [prom(`sum by (currency) (saasmon_ai_cost_24h{${MODEL}}) / scalar(sum(saasmon_ai_requests_24h{${MODEL}}))`, '{{currency}}')],
      {
        decimals: 4,
        textMode: 'value_and_name',
        thresholds: blue,
        description: 'AI cost over AI calls (each call a recommendation or completion).',
      },
    ),
    stat('Acceptance (30d)', [prom(`avg(saasmon_ai_acceptance_30d_ratio{${MODEL}})`)], {
      unit: 'percentunit',
      decimals: 1,
      thresholds: higherIsBetter(0.3, 0.6),
      description: 'Mean over models of recommendations accepted over those decided.',
    }),
    stat('Validated savings (30d)', [prom(`sum by (currency, kind) (saasmon_ai_savings_30d{${MODEL}})`, '{{kind}} {{currency}}')], {
      decimals: 0,
      textMode: 'value_and_name',
      thresholds: blue,
    }),
    row('Models'),
    modelMatrix,
    table(
      'Models (24h; acceptance and savings 30d; cost in $currency)',
      [
        promTable(`sum by (provider, model) (saasmon_ai_requests_24h{${MODEL}})`),
        promTable(`saasmon_ai_success_24h_ratio{${MODEL}}`),
        promTable(`saasmon_ai_latency_1h_seconds{${MODEL}, percentile="p95"}`),
        promTable(`saasmon_ai_time_to_first_token_1h_seconds{${MODEL}, percentile="p95"}`),
        promTable(`saasmon_ai_cost_per_request_24h{${MODEL_MONEY}}`),
        promTable(`saasmon_ai_acceptance_30d_ratio{${MODEL}}`),
        promTable(`saasmon_ai_savings_validation_30d_ratio{${MODEL}}`),
      ],
      {
        transformations: [
          { id: 'merge', options: {} },
          {
            id: 'organize',
            options: {
              excludeByName: { Time: true, __name__: true, job: true, instance: true, percentile: true, currency: true },
              renameByName: {
                'Value #A': 'requests',
                'Value #B': 'success',
                'Value #C': 'p95 latency',
                'Value #D': 'p95 first token',
                'Value #E': 'cost / request',
                'Value #F': 'acceptance',
                'Value #G': 'savings validated',
              },
            },
          },
        ],
        overrides: [
          {
            matcher: { id: 'byName', options: 'success' },
            properties: [
              { id: 'unit', value: 'percentunit' },
              { id: 'decimals', value: 1 },
            ],
          },
          { matcher: { id: 'byName', options: 'p95 latency' }, properties: [{ id: 'unit', value: 's' }] },
          { matcher: { id: 'byName', options: 'p95 first token' }, properties: [{ id: 'unit', value: 's' }] },
          { matcher: { id: 'byName', options: 'cost / request' }, properties: [{ id: 'decimals', value: 4 }] },
          {
            matcher: { id: 'byName', options: 'acceptance' },
            properties: [
              { id: 'unit', value: 'percentunit' },
              { id: 'decimals', value: 1 },
            ],
          },
          {
            matcher: { id: 'byName', options: 'savings validated' },
            properties: [
              { id: 'unit', value: 'percentunit' },
              { id: 'decimals', value: 0 },
            ],
          },
        ],
        w: 24,
      },
    ),
    barGauge('Accuracy: acceptance by model (30d)', [prom(`saasmon_ai_acceptance_30d_ratio{${MODEL}}`, byModel, { instant: true })], {
      unit: 'percentunit',
      decimals: 1,
      min: 0,
      max: 1,
      thresholds: higherIsBetter(0.3, 0.6),
      w: 8,
    }),
    barGauge(
      'Cost per decision by model (24h, $currency)',
      [prom(`saasmon_ai_cost_per_request_24h{${MODEL_MONEY}}`, byModel, { instant: true })],
      {
        decimals: 4,
        thresholds: blue,
        w: 8,
      },
    ),
    barGauge(
      'Savings by model (30d): validated / estimated',
      [prom(`saasmon_ai_savings_validation_30d_ratio{${MODEL}}`, byModel, { instant: true })],
      {
        unit: 'percentunit',
        decimals: 0,
        thresholds: higherIsBetter(0.5, 0.9),
        w: 8,
      },
    ),
    row('Savings and cost by tenant (from the database)'),
    barChart('Savings by model: estimated vs validated', [saasmon({ queryType: 'ai_savings_validation', by: 'model' })], {
      xField: 'model',
      decimals: 0,
      description:
        'Over the dashboard range, calls that have an estimate: estimated savings, and validated savings over the calls validated so far (a call not validated yet is not a missed saving).',
      transformations: [
        {
          id: 'organize',
          options: { excludeByName: { recommendations_estimated: true, recommendations_validated: true, validation_ratio: true } },
        },
      ],
      w: 12,
    }),
    table('Savings validation by tier', [saasmon({ queryType: 'ai_savings_validation', by: 'tier' })], {
      decimals: 0,
      overrides: [
        {
          matcher: { id: 'byName', options: 'validation_ratio' },
          properties: [
            { id: 'unit', value: 'percentunit' },
            { id: 'thresholds', value: higherIsBetter(0.5, 0.9) },
            { id: 'custom.cellOptions', value: { type: 'color-text' } },
          ],
        },
      ],
      description: 'validation_ratio: validated / estimated over the calls that have both.',
      w: 12,
    }),
    table('Top tenants by AI cost', [saasmon({ queryType: 'ai_cost_by_tenant', limit: 10 })], {
      decimals: 2,
      overrides: [
        tenantColumnLink('tenant', 'tenant_id'),
        { matcher: { id: 'byName', options: 'tenant_id' }, properties: [{ id: 'custom.hidden', value: true }] },
        { matcher: { id: 'byName', options: 'gpu_hours' }, properties: [{ id: 'decimals', value: 1 }] },
        { matcher: { id: 'byRegexp', options: '^(ai_requests|training_jobs)$' }, properties: [{ id: 'decimals', value: 0 }] },
      ],
      description:
        'The 10 tenants with the largest AI spend over the dashboard range: model calls started in it plus training jobs finished in it. Tenant ids are never metric labels; this list is the per-tenant view. Click a tenant to open its page.',
      w: 24,
    }),
    row('Latency and usage'),
    heatmap('p95 latency by model (1h windows)', [prom(`saasmon_ai_latency_1h_seconds{${MODEL}, percentile="p95"}`, byModel)], {
      unit: 's',
      w: 12,
    }),
    timeseries(
      'Time to first token p50 / p95 (streaming calls)',
      [prom(`saasmon_ai_time_to_first_token_1h_seconds{${MODEL}}`, '{{model}} {{percentile}}')],
      { unit: 's', decimals: 2, w: 12 },
    ),
    timeseries('Tier usage (24h)', [prom(`sum by (tier) (saasmon_ai_requests_24h{${MODEL}})`, '{{tier}}')], {
      decimals: 0,
      stack: true,
      w: 8,
    }),
    timeseries('Tokens (24h)', [prom(`sum by (type) (saasmon_ai_tokens_24h{${MODEL}})`, '{{type}}')], { unit: 'short', stack: true, w: 8 }),
    timeseries('Errors by type (24h)', [prom(`sum by (error_type) (saasmon_ai_errors_24h{${MODEL}})`, '{{error_type}}')], {
      decimals: 0,
      stack: true,
      w: 8,
    }),
    timeseries('Success rate by model (24h)', [prom(`saasmon_ai_success_24h_ratio{${MODEL}}`, byModel)], {
      unit: 'percentunit',
      min: 0,
      max: 1,
      thresholds: lowerIsBetter(0.95, 0.8),
      w: 12,
    }),
    timeseries('Cost by model (24h)', [prom(`saasmon_ai_cost_24h{${MODEL}}`, '{{model}} {{currency}}')], {
      decimals: 2,
      stack: true,
      w: 12,
    }),
    row('Training jobs'),
    stat('Queued / running', [prom('saasmon_training_jobs', '{{status}}')], {
      decimals: 0,
      textMode: 'value_and_name',
      thresholds: blue,
      w: 6,
    }),
    stat('Finished (24h)', [prom('saasmon_training_jobs_finished_24h', '{{status}}')], {
      decimals: 0,
      textMode: 'value_and_name',
      thresholds: blue,
      w: 6,
    }),
    stat('GPU hours (24h)', [prom('saasmon_training_gpu_seconds_24h / 3600')], { decimals: 1, thresholds: blue, w: 4 }),
    stat('Compute cost (24h)', [prom('sum by (currency) (saasmon_training_compute_cost_24h)', '{{currency}}')], {
      decimals: 2,
      textMode: 'value_and_name',
      thresholds: blue,
      w: 4,
    }),
    stat('Median duration (24h)', [prom('saasmon_training_duration_median_24h_seconds')], { unit: 's', thresholds: blue, w: 4 }),
    timeseries('Failed training jobs (24h)', [prom('saasmon_training_jobs_finished_24h{status="failed"}', 'failed')], {
      decimals: 0,
      thresholds: thresholds('green', [1, 'red']),
      thresholdLine: true,
      w: 24,
      h: 6,
    }),
  ],
});
