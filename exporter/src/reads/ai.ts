import { toCount, toNumberOrUndefined } from '../db/parse';
import { Queryable } from '../db/pool';
import { Micros, parseMoney } from '../domain/money';
import { sqlDaysBefore } from './window';

// The AI family's reads (SQL and row parsing): model telemetry and training jobs at T for the ai
// collector, cost per tenant and savings validation over a range for the query API. Windows are
// rolling, (T-w, T] on started_at; ranges [from, to) on started_at (finished_at for jobs).

/** Label value of the models and error types folded by the caps. */
export const OTHER = '_other';

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

const SQL_AI_BY_MODEL = `${CAPPED}
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

const SQL_AI_BY_TIER = `${CAPPED}
SELECT p, m, coalesce(operation, '') AS operation, coalesce(tier, '') AS tier, count(*) AS requests
FROM r WHERE in24h GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`;

const SQL_AI_ERRORS = `${CAPPED}, e AS (
  SELECT error_type, count(*) AS n FROM r WHERE in24h AND NOT success GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT $3
)
SELECT p, m, CASE WHEN e.error_type IS NULL THEN '${OTHER}' ELSE r.error_type END AS error_type, count(*) AS errors
FROM r LEFT JOIN e ON e.error_type = r.error_type
WHERE in24h AND NOT success GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;

const SQL_TRAINING = `
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

export interface ModelFacts {
  provider: string;
  model: string;
  /** Calls started in the last 24 h, and the successful ones. */
  requests: number;
  successes: number;
  /** Nearest-rank percentiles over the last hour, milliseconds; null without calls. */
  latencyMs: { p50: number | null; p95: number | null; p99: number | null };
  timeToFirstTokenMs: { p50: number | null; p95: number | null };
  tokensUncached: number;
  tokensCached: number;
  tokensOut: number;
  cost: Micros;
  /** Recommendations of the last 30 days: accepted, and with a decision. */
  accepted: number;
  decided: number;
  estimatedSavings: Micros;
  validatedSavings: Micros;
  /** Over calls with both figures; null when none has both. */
  bothEstimated: Micros | null;
  bothValidated: Micros | null;
}

export interface TierRequests {
  provider: string;
  model: string;
  operation: string;
  tier: string;
  requests: number;
}

export interface ErrorCount {
  provider: string;
  model: string;
  errorType: string;
  errors: number;
}

export interface TrainingFacts {
  queued: number;
  running: number;
  /** Finished in the last 24 h, by final status. */
  succeeded: number;
  failed: number;
  cancelled: number;
  gpuHours: number | undefined;
  computeCost: Micros;
  medianSeconds: number | undefined;
}

export interface AiFacts {
  models: ModelFacts[];
  tiers: TierRequests[];
  errors: ErrorCount[];
  training: TrainingFacts;
}

const moneyOrNull = (v: Num) => (v === null ? null : parseMoney(v));

/** Everything the ai collector publishes at `now`: the `maxModels` busiest models and `maxErrorTypes` error types by name. */
export async function readAiFacts(db: Queryable, now: Date, maxModels: number, maxErrorTypes: number): Promise<AiFacts> {
  const models = (await db.query<ModelRow>(SQL_AI_BY_MODEL, [now, maxModels])).rows;
  const tiers = (
    await db.query<{ p: string; m: string; operation: string; tier: string; requests: string }>(SQL_AI_BY_TIER, [now, maxModels])
  ).rows;
  const errors = (
    await db.query<{ p: string; m: string; error_type: string; errors: string }>(SQL_AI_ERRORS, [now, maxModels, maxErrorTypes])
  ).rows;
  const jobs = (await db.query<Record<string, string | null>>(SQL_TRAINING, [now])).rows[0] ?? {};
  return {
    models: models.map((r) => ({
      provider: r.p,
      model: r.m,
      requests: toCount(r.requests),
      successes: toCount(r.successes),
      latencyMs: { p50: r.lat50, p95: r.lat95, p99: r.lat99 },
      timeToFirstTokenMs: { p50: r.ttft50, p95: r.ttft95 },
      tokensUncached: toCount(r.tokens_uncached),
      tokensCached: toCount(r.tokens_cached),
      tokensOut: toCount(r.tokens_out),
      cost: parseMoney(r.cost),
      accepted: toCount(r.accepted),
      decided: toCount(r.decided),
      estimatedSavings: parseMoney(r.estimated),
      validatedSavings: parseMoney(r.validated),
      bothEstimated: moneyOrNull(r.both_estimated),
      bothValidated: moneyOrNull(r.both_validated),
    })),
    tiers: tiers.map((r) => ({ provider: r.p, model: r.m, operation: r.operation, tier: r.tier, requests: toCount(r.requests) })),
    errors: errors.map((r) => ({ provider: r.p, model: r.m, errorType: r.error_type, errors: toCount(r.errors) })),
    training: {
      queued: toCount(jobs.queued),
      running: toCount(jobs.running),
      succeeded: toCount(jobs.succeeded),
      failed: toCount(jobs.failed),
      cancelled: toCount(jobs.cancelled),
      gpuHours: toNumberOrUndefined(jobs.gpu_hours),
      computeCost: parseMoney(jobs.compute_cost ?? null),
      medianSeconds: toNumberOrUndefined(jobs.median_seconds),
    },
  };
}

// Top tenants by AI spend over [from, to): the cost of their AI calls (started_at in the range)
// plus the compute cost of their training jobs (finished_at in the range), largest first.
const SQL_AI_COST_BY_TENANT = `
WITH calls AS (
  SELECT tenant_id, sum(cost) AS ai_cost, count(*) AS requests
  FROM ai_requests WHERE started_at >= $1::timestamptz AND started_at < $2::timestamptz
  GROUP BY tenant_id
), jobs AS (
  SELECT tenant_id, sum(coalesce(compute_cost, 0)) AS compute_cost, sum(coalesce(gpu_hours, 0)) AS gpu_hours, count(*) AS jobs
  FROM training_jobs WHERE finished_at >= $1::timestamptz AND finished_at < $2::timestamptz
  GROUP BY tenant_id
)
SELECT coalesce(c.tenant_id, j.tenant_id) AS tenant_id, t.name,
       coalesce(c.ai_cost, 0) AS ai_cost, coalesce(j.compute_cost, 0) AS compute_cost,
       coalesce(c.ai_cost, 0) + coalesce(j.compute_cost, 0) AS total_cost,
       coalesce(c.requests, 0) AS requests, coalesce(j.jobs, 0) AS jobs, coalesce(j.gpu_hours, 0) AS gpu_hours
FROM calls c FULL JOIN jobs j ON j.tenant_id = c.tenant_id
LEFT JOIN tenants t ON t.id = coalesce(c.tenant_id, j.tenant_id)
ORDER BY total_cost DESC, tenant_id
LIMIT $3`;

interface CostByTenantRow {
  tenant_id: string;
  name: string | null;
  ai_cost: string;
  compute_cost: string;
  total_cost: string;
  requests: string;
  jobs: string;
  gpu_hours: string;
}

export interface TenantAiCost {
  tenantId: string;
  name: string | null;
  aiCost: Micros;
  computeCost: Micros;
  totalCost: Micros;
  requests: number;
  jobs: number;
  gpuHours: number | undefined;
}

/** The `limit` tenants spending most on AI over [from, to), largest first, ties by tenant id. */
export async function readAiCostByTenant(db: Queryable, from: string, to: Date, limit: number): Promise<TenantAiCost[]> {
  const { rows } = await db.query<CostByTenantRow>(SQL_AI_COST_BY_TENANT, [from, to, limit]);
  return rows.map((r) => ({
    tenantId: r.tenant_id,
    name: r.name,
    aiCost: parseMoney(r.ai_cost),
    computeCost: parseMoney(r.compute_cost),
    totalCost: parseMoney(r.total_cost),
    requests: toCount(r.requests),
    jobs: toCount(r.jobs),
    gpuHours: toNumberOrUndefined(r.gpu_hours),
  }));
}

// Estimated against validated savings of AI recommendations started in [from, to), per model or
// routing tier.
const GROUP = { model: "coalesce(provider, '') || ' ' || model", tier: "coalesce(tier, '')" } as const;

const sqlAiSavingsValidation = (by: keyof typeof GROUP) => `
SELECT ${GROUP[by]} AS key,
  count(*) FILTER (WHERE estimated_savings IS NOT NULL) AS estimated_n,
  count(*) FILTER (WHERE validated_savings IS NOT NULL) AS validated_n,
  coalesce(sum(estimated_savings), 0) AS estimated,
  coalesce(sum(validated_savings), 0) AS validated,
  sum(estimated_savings) FILTER (WHERE validated_savings IS NOT NULL) AS both_estimated,
  sum(validated_savings) FILTER (WHERE estimated_savings IS NOT NULL) AS both_validated
FROM ai_requests
WHERE started_at >= $1::timestamptz AND started_at < $2::timestamptz
  AND (estimated_savings IS NOT NULL OR validated_savings IS NOT NULL)
GROUP BY 1
ORDER BY estimated DESC, key`;

interface SavingsValidationRow {
  key: string;
  estimated_n: string;
  validated_n: string;
  estimated: string;
  validated: string;
  both_estimated: string | null;
  both_validated: string | null;
}

export interface SavingsValidation {
  key: string;
  estimatedCount: number;
  validatedCount: number;
  estimated: Micros;
  validated: Micros;
  /** Over the recommendations with both figures; null when none has both. */
  bothEstimated: Micros | null;
  bothValidated: Micros | null;
}

/** Savings of recommendations started in [from, to), grouped by model or tier, largest estimate first. */
export async function readAiSavingsValidation(db: Queryable, by: keyof typeof GROUP, from: string, to: Date): Promise<SavingsValidation[]> {
  const { rows } = await db.query<SavingsValidationRow>(sqlAiSavingsValidation(by), [from, to]);
  return rows.map((r) => ({
    key: r.key,
    estimatedCount: toCount(r.estimated_n),
    validatedCount: toCount(r.validated_n),
    estimated: parseMoney(r.estimated),
    validated: parseMoney(r.validated),
    bothEstimated: moneyOrNull(r.both_estimated),
    bothValidated: moneyOrNull(r.both_validated),
  }));
}
