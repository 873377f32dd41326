// AI model and training-job alerts (ai.rules.yml) over the exporter's AI collector: slow responses,
// error ratio, cost spikes, failed training jobs. Per (provider, model); model names are capped by
// the exporter, so these series stay few.
import { gaugeValues, pct, seriesText } from './lib.mjs';
import { EXPORTER } from './kpi.mjs';

const MODEL = { ...EXPORTER, provider: 'openai', model: 'gpt-4o' };

export const ai = {
  file: 'ai.rules.yml',
  header: `AI model and training-job alerts (config: alerts.SaasAi*) over saasmon_ai_* and saasmon_training_*.
The error ratio needs a minimum of volume_guards.ai_requests_24h calls of the model in 24 h; the cost
spike compares the last 24 h with the same 24 h a week earlier (needs 7 days of Prometheus history:
without it the expression is empty, never a false spike).`,
  groupName: 'saasmon-ai',
  ruleFiles: ['ai.rules.yml'],
  groups: (cfg) => [
    {
      name: 'saasmon-ai',
      rules: [
        {
          record: 'model:saasmon_ai_requests_24h:volume_guard',
          expr: `sum without (operation, tier) (saasmon_ai_requests_24h) >= ${cfg.volume_guards.ai_requests_24h}`,
        },
      ],
    },
  ],
  specs: (cfg) => [
    {
      name: 'SaasAiLatencyHigh',
      domain: 'ai',
      dashboard: 'ai',
      expr: 'saasmon_ai_latency_1h_seconds{percentile="p95"}',
      op: '>',
      summary: (sev, t) => `AI responses slow: p95 above ${t}s`,
      description: (sev, t) =>
        `p95 latency of {{ $labels.provider }} {{ $labels.model }} over the last hour is {{ $value | humanizeDuration }}; ${sev} above ${t}s.`,
      test: {
        labels: { ...MODEL, percentile: 'p95' },
        series: (p) => [{ series: seriesText('saasmon_ai_latency_1h_seconds', { ...MODEL, percentile: 'p95' }), values: gaugeValues(p) }],
      },
    },
    {
      name: 'SaasAiErrorRatioHigh',
      domain: 'ai',
      dashboard: 'ai',
      expr: '(1 - saasmon_ai_success_24h_ratio)',
      op: '>',
      guard: {
        record: 'model:saasmon_ai_requests_24h:volume_guard',
        on: ['job', 'instance', 'provider', 'model'],
        min: cfg.volume_guards.ai_requests_24h,
        what: 'calls in 24 h',
        series: (n, samples) => [
          {
            series: seriesText('saasmon_ai_requests_24h', { ...MODEL, operation: 'chat', tier: 'standard' }),
            values: gaugeValues([[n, samples]]),
          },
        ],
      },
      summary: (sev, t) => `AI error ratio above ${pct(t)}`,
      description: (sev, t) =>
        `{{ $value | humanizePercentage }} of the calls to {{ $labels.provider }} {{ $labels.model }} in the last 24 h failed; ${sev} above ${pct(t)}.`,
      test: {
        labels: MODEL,
        series: (p) => [{ series: seriesText('saasmon_ai_success_24h_ratio', MODEL), values: gaugeValues(p.map(([v, n]) => [1 - v, n])) }],
      },
    },
    {
      name: 'SaasAiCostSpike',
      domain: 'ai',
      dashboard: 'ai',
      expr: '(saasmon_ai_cost_24h / (saasmon_ai_cost_24h offset 7d))',
      op: '>',
      summary: (sev, t) => `AI cost more than ${t}x a week ago`,
      description: (sev, t) =>
        `{{ $labels.provider }} {{ $labels.model }} cost {{ $value | printf "%.1f" }} times as much in the last 24 h as in the same 24 h a week ago; ${sev} above ${t}x.`,
      test: {
        labels: { ...MODEL, currency: 'USD' },
        healthy: 1,
        onset: 7 * 1440 + 1,
        series: (p) => [
          {
            series: seriesText('saasmon_ai_cost_24h', { ...MODEL, currency: 'USD' }),
            values: gaugeValues(p.map(([v, n]) => [100 * v, n])),
          },
        ],
      },
    },
    {
      name: 'SaasAiTrainingJobsFailed',
      domain: 'ai',
      dashboard: 'ai',
      expr: 'saasmon_training_jobs_finished_24h{status="failed"}',
      op: '>',
      summary: () => 'Training jobs failed',
      description: (sev, t) => `{{ $value | printf "%.0f" }} training jobs failed in the last 24 h; ${sev} above ${t}.`,
      test: {
        labels: { ...EXPORTER, status: 'failed' },
        healthy: 0,
        bad: (sev, t) => Math.floor(t) + (sev === 'critical' ? 3 : 1),
        series: (p) => [
          { series: seriesText('saasmon_training_jobs_finished_24h', { ...EXPORTER, status: 'failed' }), values: gaugeValues(p) },
        ],
      },
    },
  ],
};
