import { toCount, toNumberOrUndefined } from '../db/parse';
import { moneyToNumber, parseMoney } from '../domain/money';
import { family, gauge } from '../metrics/family';
import { Collector } from './collector';
import { sqlDaysBefore } from '../reads/window';

// AI model telemetry and training jobs, per model (provider, model); windows rolling, (T-w, T] on
// started_at. Tenant, user and request ids never become labels: per-tenant cost is the
// ai_cost_by_tenant query. Labels from data are capped: the config.ai.maxModels busiest
// (provider, model) pairs over 30 days keep their names, the rest are summed as model="_other",
// provider="_other"; error types likewise (config.ai.maxErrorTypes).

const NAME = 'ai' as const;
const INTERVAL_SECONDS = 60;
const OTHER = '_other';

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

/** The 30-day window with capped model names: one definition for every AI read below. */
const CAPPED = `
WITH w AS (
  SELECT * FROM ai_requests WHERE started_at > ${sqlDaysBefore('$1::timestamptz', 30)} AND started_at <= $1::timestamptz
), top AS (
  SELECT coalesce(provider, '') AS provider, model FROM w GROUP BY 1, 2 ORDER BY count(*) DESC, 1, 2 LIMIT $2
), r AS (
  SELECT w.*, top.model IS NULL AS folded,
         CASE WHEN top.model IS NULL THEN '${OTHER}' ELSE coalesce(w.provider, '') END AS p,
         CASE WHEN top.model IS NULL THEN '${OTHER}' ELSE w.model END AS m,
         w.started_at > $1::timestamptz - interval '24 hours' AS in24h,
         w.started_at > $1::timestamptz - interval '1 hour' AS in1h
  FROM w LEFT JOIN top ON top.provider = coalesce(w.provider, '') AND top.model = w.model
)`;

export const SQL_AI_BY_MODEL = `${CAPPED}
SELECT p, m,
  count(*) FILTER (WHERE in24h) AS requests,
  count(*) FILTER (WHERE in24h AND success) AS successes,
  percentile_disc(0.5) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE in1h) AS lat50,
  percentile_disc(0.95) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE in1h) AS lat95,
  percentile_disc(0.99) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE in1h) AS lat99,
  percentile_disc(0.5) WITHIN GROUP (ORDER BY first_token_ms) FILTER (WHERE in1h AND first_token_ms IS NOT NULL) AS ttft50,
  percentile_disc(0.95) WITHIN GROUP (ORDER BY first_token_ms) FILTER (WHERE in1h AND first_token_ms IS NOT NULL) AS ttft95,
  coalesce(sum(tokens_in - tokens_in_cached) FILTER (WHERE in24h), 0) AS tokens_uncached,
  coalesce(sum(tokens_in_cached) FILTER (WHERE in24h), 0) AS tokens_cached,
  coalesce(sum(tokens_out) FILTER (WHERE in24h), 0) AS tokens_out,
  coalesce(sum(cost) FILTER (WHERE in24h), 0) AS cost,
  count(*) FILTER (WHERE accepted) AS accepted,
  count(accepted) AS decided,
  coalesce(sum(estimated_savings), 0) AS estimated,
  coalesce(sum(validated_savings), 0) AS validated,
  sum(validated_savings) FILTER (WHERE estimated_savings IS NOT NULL AND validated_savings IS NOT NULL) AS both_validated,
  sum(estimated_savings) FILTER (WHERE estimated_savings IS NOT NULL AND validated_savings IS NOT NULL) AS both_estimated
FROM r GROUP BY p, m ORDER BY p, m`;

export const SQL_AI_BY_TIER = `${CAPPED}
SELECT p, m, coalesce(operation, '') AS operation, coalesce(tier, '') AS tier, count(*) AS requests
FROM r WHERE in24h GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`;

export const SQL_AI_ERRORS = `${CAPPED}, e AS (
  SELECT error_type, count(*) AS n FROM r WHERE in24h AND NOT success GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT $3
)
SELECT p, m, CASE WHEN e.error_type IS NULL THEN '${OTHER}' ELSE r.error_type END AS error_type, count(*) AS errors
FROM r LEFT JOIN e ON e.error_type = r.error_type
WHERE in24h AND NOT success GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;

export const SQL_TRAINING = `
SELECT
  count(*) FILTER (WHERE status = 'queued' AND finished_at IS NULL) AS queued,
  count(*) FILTER (WHERE status = 'running' AND finished_at IS NULL) AS running,
  count(*) FILTER (WHERE f AND status = 'succeeded') AS succeeded,
  count(*) FILTER (WHERE f AND status = 'failed') AS failed,
  count(*) FILTER (WHERE f AND status = 'cancelled') AS cancelled,
  coalesce(sum(gpu_hours) FILTER (WHERE f), 0) AS gpu_hours,
  coalesce(sum(compute_cost) FILTER (WHERE f), 0) AS compute_cost,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at))
    FILTER (WHERE f AND status = 'succeeded' AND started_at IS NOT NULL) AS median_seconds
FROM (SELECT *, finished_at > $1::timestamptz - interval '24 hours' AND finished_at <= $1::timestamptz AS f
      FROM training_jobs WHERE finished_at IS NULL OR finished_at > $1::timestamptz - interval '24 hours') j`;

type Num = string | null;
interface ModelRow {
  p: string;
  m: string;
  requests: string;
  successes: string;
  lat50: number | null;
  lat95: number | null;
  lat99: number | null;
  ttft50: number | null;
  ttft95: number | null;
  tokens_uncached: string;
  tokens_cached: string;
  tokens_out: string;
  cost: string;
  accepted: string;
  decided: string;
  estimated: string;
  validated: string;
  both_validated: Num;
  both_estimated: Num;
}

const ms = (v: number | null) => (v === null ? undefined : v / 1000);
const ratio = (a: number, b: number) => (b > 0 ? a / b : undefined);

export const aiCollector: Collector = {
  name: NAME,
  metrics: Object.values(metrics),
  defaultIntervalSeconds: INTERVAL_SECONDS,
  async collect({ db, now, config }) {
    const { maxModels, maxErrorTypes } = config.ai;
    const currency = config.currency;
    const models = (await db.query<ModelRow>(SQL_AI_BY_MODEL, [now, maxModels])).rows;
    const tiers = (
      await db.query<{ p: string; m: string; operation: string; tier: string; requests: string }>(SQL_AI_BY_TIER, [now, maxModels])
    ).rows;
    const errors = (
      await db.query<{ p: string; m: string; error_type: string; errors: string }>(SQL_AI_ERRORS, [now, maxModels, maxErrorTypes])
    ).rows;
    const jobs = (await db.query<Record<string, string | null>>(SQL_TRAINING, [now])).rows[0] ?? {};
    const lm = (r: { p: string; m: string }) => ({ provider: r.p, model: r.m });
    const active = models.filter((r) => toCount(r.requests) > 0);
    const quantiles = <K extends keyof ModelRow>(rows: ModelRow[], qs: Array<[string, K]>) =>
      rows.flatMap((r) => qs.map(([percentile, k]) => ({ labels: { ...lm(r), percentile }, value: ms(r[k] as number | null) })));
    const money = (v: Num) => moneyToNumber(parseMoney(v));
    return [
      family(
        metrics.requests,
        tiers.map((r) => ({ labels: { ...lm(r), operation: r.operation, tier: r.tier }, value: toCount(r.requests) })),
      ),
      family(
        metrics.success,
        active.map((r) => ({ labels: lm(r), value: ratio(toCount(r.successes), toCount(r.requests)) })),
      ),
      family(
        metrics.errors,
        errors.map((r) => ({ labels: { ...lm(r), error_type: r.error_type }, value: toCount(r.errors) })),
      ),
      family(
        metrics.latency,
        quantiles(models, [
          ['p50', 'lat50'],
          ['p95', 'lat95'],
          ['p99', 'lat99'],
        ]),
      ),
      family(
        metrics.ttft,
        quantiles(models, [
          ['p50', 'ttft50'],
          ['p95', 'ttft95'],
        ]),
      ),
      family(
        metrics.tokens,
        active.flatMap((r) => [
          { labels: { ...lm(r), type: 'input_uncached' }, value: toCount(r.tokens_uncached) },
          { labels: { ...lm(r), type: 'input_cached' }, value: toCount(r.tokens_cached) },
          { labels: { ...lm(r), type: 'output' }, value: toCount(r.tokens_out) },
        ]),
      ),
      family(
        metrics.cost,
        active.map((r) => ({ labels: { ...lm(r), currency }, value: money(r.cost) })),
      ),
      family(
        metrics.costPerRequest,
        active.map((r) => ({ labels: { ...lm(r), currency }, value: money(r.cost) / toCount(r.requests) })),
      ),
      family(
        metrics.acceptance,
        models.map((r) => ({ labels: lm(r), value: ratio(toCount(r.accepted), toCount(r.decided)) })),
      ),
      family(
        metrics.savings,
        models.flatMap((r) => [
          { labels: { ...lm(r), currency, kind: 'estimated' }, value: money(r.estimated) },
          { labels: { ...lm(r), currency, kind: 'validated' }, value: money(r.validated) },
        ]),
      ),
      family(
        metrics.savingsValidation,
        models.map((r) => ({
          labels: lm(r),
          value: r.both_estimated === null ? undefined : ratio(money(r.both_validated), money(r.both_estimated)),
        })),
      ),
      family(metrics.jobsOpen, [
        { labels: { status: 'queued' }, value: toCount(jobs.queued) },
        { labels: { status: 'running' }, value: toCount(jobs.running) },
      ]),
      family(
        metrics.jobsFinished,
        (['succeeded', 'failed', 'cancelled'] as const).map((status) => ({ labels: { status }, value: toCount(jobs[status]) })),
      ),
      family(metrics.gpuSeconds, (toNumberOrUndefined(jobs.gpu_hours) ?? 0) * 3600),
      family(metrics.computeCost, [{ labels: { currency }, value: money(jobs.compute_cost ?? null) }]),
      family(metrics.duration, toNumberOrUndefined(jobs.median_seconds)),
    ];
  },
};
