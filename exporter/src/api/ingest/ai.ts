import { z } from 'zod';
import { EntitySpec } from './entities';
import { key } from '../validators';
import { isoTimestamp } from './timestamps';

/**
 * Ingest of AI model calls and training jobs, on the entity endpoints' guarantees (router.ts):
 * strict schemas naming the bad item and field, one statement per request (acknowledged =
 * committed), rows upserted by the client's id so a retry is a no-op and a later report (a user's
 * decision, billing's validated savings, a job finishing) completes the row.
 */

const count = z.number().int().min(0).max(2_147_483_647);

/** Money as a JSON number or a decimal string, at most `scale` decimals: stored as numeric, exactly. */
const money = (scale: number, max: number) =>
  z
    .union([z.number().finite(), z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a decimal number')])
    .refine(
      (v) => (String(v).split('.')[1] ?? '').replace(/e.*$/i, '').length <= scale && !/e/i.test(String(v)),
      `must have at most ${scale} decimals`,
    )
    .refine((v) => Math.abs(Number(v)) < max, `must be below ${max}`);

const nonNegativeMoney = (scale: number, max: number) => money(scale, max).refine((v) => Number(v) >= 0, 'must not be negative');

export const aiRequestSchema = z
  .object({
    id: key,
    tenant_id: key,
    user_id: key.nullable().optional(),
    provider: key.nullable().optional(),
    operation: key.nullable().optional(),
    model: key,
    tier: key.nullable().optional(),
    started_at: isoTimestamp,
    latency_ms: count,
    first_token_ms: count.nullable().optional(),
    tokens_in: count.optional(),
    tokens_in_cached: count.optional(),
    tokens_out: count.optional(),
    error_type: key.nullable().optional(),
    cost: nonNegativeMoney(6, 1e8).optional(),
    success: z.boolean(),
    accepted: z.boolean().nullable().optional(),
    estimated_savings: money(2, 1e12).nullable().optional(),
    validated_savings: money(2, 1e12).nullable().optional(),
  })
  .strict()
  .refine((r) => r.first_token_ms === null || r.first_token_ms === undefined || r.first_token_ms <= r.latency_ms, {
    message: 'must not exceed latency_ms (time to first token of a streaming call; leave it out for other calls)',
    path: ['first_token_ms'],
  })
  .refine((r) => (r.tokens_in_cached ?? 0) <= (r.tokens_in ?? 0), {
    message: 'must not exceed tokens_in (input tokens include the cached ones)',
    path: ['tokens_in_cached'],
  })
  .refine((r) => r.success === (r.error_type === null || r.error_type === undefined), {
    message: 'must be set exactly when success is false',
    path: ['error_type'],
  });

const FINISHED = ['succeeded', 'failed', 'cancelled'];

export const trainingJobSchema = z
  .object({
    id: key,
    tenant_id: key,
    user_id: key.nullable().optional(),
    status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
    created_at: isoTimestamp,
    started_at: isoTimestamp.nullable().optional(),
    finished_at: isoTimestamp.nullable().optional(),
    gpu_hours: nonNegativeMoney(4, 1e8).nullable().optional(),
    compute_cost: nonNegativeMoney(2, 1e12).nullable().optional(),
  })
  .strict()
  .refine((j) => FINISHED.includes(j.status) === Boolean(j.finished_at), {
    message: 'must be set exactly when status is succeeded, failed or cancelled',
    path: ['finished_at'],
  })
  .refine((j) => !j.finished_at || !j.started_at || Date.parse(j.finished_at) >= Date.parse(j.started_at), {
    message: 'must not be before started_at',
    path: ['finished_at'],
  });

// A repeated report never erases what a later one added: the decision and the validated savings
// arrive after the call, so null in a retry keeps the stored value.
export const UPSERT_AI_REQUESTS = `
INSERT INTO ai_requests (id, tenant_id, user_id, provider, operation, model, tier, started_at, latency_ms,
  first_token_ms, tokens_in, tokens_in_cached, tokens_out, error_type, cost, success, accepted,
  estimated_savings, validated_savings)
SELECT id, tenant_id, user_id, provider, operation, model, tier, started_at, latency_ms,
  first_token_ms, coalesce(tokens_in, 0), coalesce(tokens_in_cached, 0), coalesce(tokens_out, 0), error_type,
  coalesce(cost, 0), success, accepted, estimated_savings, validated_savings
FROM jsonb_to_recordset($1::jsonb) AS r(id text, tenant_id text, user_id text, provider text, operation text,
  model text, tier text, started_at timestamptz, latency_ms integer, first_token_ms integer, tokens_in integer,
  tokens_in_cached integer, tokens_out integer, error_type text, cost numeric, success boolean, accepted boolean,
  estimated_savings numeric, validated_savings numeric)
ON CONFLICT (id, started_at) DO UPDATE SET
  tenant_id = EXCLUDED.tenant_id, user_id = EXCLUDED.user_id, provider = EXCLUDED.provider,
  operation = EXCLUDED.operation, model = EXCLUDED.model, tier = EXCLUDED.tier, latency_ms = EXCLUDED.latency_ms,
  first_token_ms = EXCLUDED.first_token_ms, tokens_in = EXCLUDED.tokens_in,
  tokens_in_cached = EXCLUDED.tokens_in_cached, tokens_out = EXCLUDED.tokens_out, error_type = EXCLUDED.error_type,
  cost = EXCLUDED.cost, success = EXCLUDED.success,
  accepted = coalesce(EXCLUDED.accepted, ai_requests.accepted),
  estimated_savings = coalesce(EXCLUDED.estimated_savings, ai_requests.estimated_savings),
  validated_savings = coalesce(EXCLUDED.validated_savings, ai_requests.validated_savings)
RETURNING (xmax = 0) AS inserted`;

// A late retry of "queued" or "running" never moves a finished job back.
export const UPSERT_TRAINING_JOBS = `
INSERT INTO training_jobs (id, tenant_id, user_id, status, created_at, started_at, finished_at, gpu_hours, compute_cost)
SELECT id, tenant_id, user_id, status, created_at, started_at, finished_at, gpu_hours, compute_cost
FROM jsonb_to_recordset($1::jsonb) AS r(id text, tenant_id text, user_id text, status text, created_at timestamptz,
  started_at timestamptz, finished_at timestamptz, gpu_hours numeric, compute_cost numeric)
ON CONFLICT (id) DO UPDATE SET
  tenant_id = EXCLUDED.tenant_id, user_id = EXCLUDED.user_id, created_at = EXCLUDED.created_at,
  status = CASE WHEN training_jobs.finished_at IS NOT NULL AND EXCLUDED.finished_at IS NULL THEN training_jobs.status ELSE EXCLUDED.status END,
  started_at = coalesce(EXCLUDED.started_at, training_jobs.started_at),
  finished_at = coalesce(EXCLUDED.finished_at, training_jobs.finished_at),
  gpu_hours = coalesce(EXCLUDED.gpu_hours, training_jobs.gpu_hours),
  compute_cost = coalesce(EXCLUDED.compute_cost, training_jobs.compute_cost)
RETURNING (xmax = 0) AS inserted`;

export const AI_ENTITIES: readonly EntitySpec[] = [
  {
    route: 'ai-requests',
    table: 'ai_requests',
    schema: aiRequestSchema,
    timeFields: ['started_at'],
    upsertSql: UPSERT_AI_REQUESTS,
    tenantField: 'tenant_id',
  },
  {
    route: 'training-jobs',
    table: 'training_jobs',
    schema: trainingJobSchema,
    timeFields: ['created_at', 'started_at', 'finished_at'],
    upsertSql: UPSERT_TRAINING_JOBS,
    tenantField: 'tenant_id',
  },
];
