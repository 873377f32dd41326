import { Micros, moneyToNumber } from '../domain/money';
import { family, gauge } from '../metrics/family';
import { ModelFacts, readAiFacts } from '../reads/ai';
import { Collector } from './collector';

// AI model telemetry and training jobs, per model (provider, model); windows rolling, (T-w, T] on
// started_at. Tenant, user and request ids never become labels: per-tenant cost is the
// ai_cost_by_tenant query. Labels from data are capped: the config.ai.maxModels busiest
// (provider, model) pairs over 30 days keep their names, the rest are summed as model="_other",
// provider="_other"; error types likewise (config.ai.maxErrorTypes). The SQL is reads/ai.ts.

const NAME = 'ai' as const;
const INTERVAL_SECONDS = 60;

const M = ['provider', 'model'] as const;
const metrics = {
  requests: gauge('saasmon_ai_requests_24h', 'AI calls started in the last 24 h, by model, operation and routing tier.', [
    ...M,
    'operation',
    'tier',
  ]),
  success: gauge('saasmon_ai_success_24h_ratio', 'Successful AI calls over calls started in the last 24 h.', M),
  errors: gauge('saasmon_ai_errors_24h', 'Failed AI calls started in the last 24 h, by error type.', [...M, 'error_type']),
  latency: gauge(
    'saasmon_ai_latency_1h_seconds',
    'Nearest-rank percentile of the latency (request to last byte) of AI calls started in the last hour, successful and failed.',
    [...M, 'percentile'],
  ),
  ttft: gauge(
    'saasmon_ai_time_to_first_token_1h_seconds',
    'Nearest-rank percentile of the time to first token of streaming AI calls started in the last hour (non-streaming calls are not counted).',
    [...M, 'percentile'],
  ),
  tokens: gauge(
    'saasmon_ai_tokens_24h',
    'Tokens of AI calls started in the last 24 h: input_uncached + input_cached = all input tokens; output.',
    [...M, 'type'],
  ),
  cost: gauge('saasmon_ai_cost_24h', 'Cost of AI calls started in the last 24 h.', [...M, 'currency']),
  costPerRequest: gauge('saasmon_ai_cost_per_request_24h', 'Cost of AI calls started in the last 24 h over their number.', [
    ...M,
    'currency',
  ]),
  acceptance: gauge(
    'saasmon_ai_acceptance_30d_ratio',
    'AI recommendations accepted over those with a decision, started in the last 30 days; absent without decisions.',
    M,
  ),
  savings: gauge('saasmon_ai_savings_30d', 'Estimated and validated savings of AI calls started in the last 30 days.', [
    ...M,
    'currency',
    'kind',
  ]),
  savingsValidation: gauge(
    'saasmon_ai_savings_validation_30d_ratio',
    'Validated over estimated savings, over calls of the last 30 days with both set; absent when none.',
    M,
  ),
  jobsOpen: gauge('saasmon_training_jobs', 'Training jobs now queued or running.', ['status']),
  jobsFinished: gauge('saasmon_training_jobs_finished_24h', 'Training jobs finished in the last 24 h, by final status.', ['status']),
  gpuSeconds: gauge(
    'saasmon_training_gpu_seconds_24h',
    'GPU time (gpu_hours in seconds, base unit) of training jobs finished in the last 24 h.',
  ),
  computeCost: gauge('saasmon_training_compute_cost_24h', 'Compute cost of training jobs finished in the last 24 h.', ['currency']),
  duration: gauge(
    'saasmon_training_duration_median_24h_seconds',
    'Median duration (finished - started) of training jobs that succeeded in the last 24 h; absent when none.',
  ),
};

const ms = (v: number | null) => (v === null ? undefined : v / 1000);
const ratio = (a: number, b: number) => (b > 0 ? a / b : undefined);

export const aiCollector: Collector = {
  name: NAME,
  metrics: Object.values(metrics),
  defaultIntervalSeconds: INTERVAL_SECONDS,
  async collect({ db, now, config }) {
    const { maxModels, maxErrorTypes } = config.ai;
    const currency = config.currency;
    const { models, tiers, errors, training: jobs } = await readAiFacts(db, now, maxModels, maxErrorTypes);
    const lm = (r: { provider: string; model: string }) => ({ provider: r.provider, model: r.model });
    const active = models.filter((r) => r.requests > 0);
    const quantiles = (rows: ModelFacts[], qs: Array<[string, (r: ModelFacts) => number | null]>) =>
      rows.flatMap((r) => qs.map(([percentile, pick]) => ({ labels: { ...lm(r), percentile }, value: ms(pick(r)) })));
    const money = (v: Micros) => moneyToNumber(v);
    return [
      family(
        metrics.requests,
        tiers.map((r) => ({ labels: { ...lm(r), operation: r.operation, tier: r.tier }, value: r.requests })),
      ),
      family(
        metrics.success,
        active.map((r) => ({ labels: lm(r), value: ratio(r.successes, r.requests) })),
      ),
      family(
        metrics.errors,
        errors.map((r) => ({ labels: { ...lm(r), error_type: r.errorType }, value: r.errors })),
      ),
      family(
        metrics.latency,
        quantiles(models, [
          ['p50', (r) => r.latencyMs.p50],
          ['p95', (r) => r.latencyMs.p95],
          ['p99', (r) => r.latencyMs.p99],
        ]),
      ),
      family(
        metrics.ttft,
        quantiles(models, [
          ['p50', (r) => r.timeToFirstTokenMs.p50],
          ['p95', (r) => r.timeToFirstTokenMs.p95],
        ]),
      ),
      family(
        metrics.tokens,
        active.flatMap((r) => [
          { labels: { ...lm(r), type: 'input_uncached' }, value: r.tokensUncached },
          { labels: { ...lm(r), type: 'input_cached' }, value: r.tokensCached },
          { labels: { ...lm(r), type: 'output' }, value: r.tokensOut },
        ]),
      ),
      family(
        metrics.cost,
        active.map((r) => ({ labels: { ...lm(r), currency }, value: money(r.cost) })),
      ),
      family(
        metrics.costPerRequest,
        active.map((r) => ({ labels: { ...lm(r), currency }, value: money(r.cost) / r.requests })),
      ),
      family(
        metrics.acceptance,
        models.map((r) => ({ labels: lm(r), value: ratio(r.accepted, r.decided) })),
      ),
      family(
        metrics.savings,
        models.flatMap((r) => [
          { labels: { ...lm(r), currency, kind: 'estimated' }, value: money(r.estimatedSavings) },
          { labels: { ...lm(r), currency, kind: 'validated' }, value: money(r.validatedSavings) },
        ]),
      ),
      family(
        metrics.savingsValidation,
        models.map((r) => ({
          labels: lm(r),
          value: r.bothEstimated === null ? undefined : ratio(money(r.bothValidated ?? 0n), money(r.bothEstimated)),
        })),
      ),
      family(metrics.jobsOpen, [
        { labels: { status: 'queued' }, value: jobs.queued },
        { labels: { status: 'running' }, value: jobs.running },
      ]),
      family(
        metrics.jobsFinished,
        (['succeeded', 'failed', 'cancelled'] as const).map((status) => ({ labels: { status }, value: jobs[status] })),
      ),
      family(metrics.gpuSeconds, (jobs.gpuHours ?? 0) * 3600),
      family(metrics.computeCost, [{ labels: { currency }, value: money(jobs.computeCost) }]),
      family(metrics.duration, jobs.medianSeconds),
    ];
  },
};
