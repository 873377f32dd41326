import { CopyRow } from './copy';
import { Random } from './random';
import { TenantModel } from './tenants';
import { DAY_MS, HOUR_MS, iso, MINUTE_MS } from './time';

/** Models of the demo: per-token prices (per million tokens) and typical latency. */
const MODELS = [
  { provider: 'openai', model: 'gpt-4o', tier: 'standard', inPrice: 2.5, cachedPrice: 1.25, outPrice: 10, latencyMs: 2_400, weight: 4 },
  { provider: 'openai', model: 'gpt-4o-mini', tier: 'fast', inPrice: 0.15, cachedPrice: 0.075, outPrice: 0.6, latencyMs: 900, weight: 6 },
  { provider: 'anthropic', model: 'claude-sonnet', tier: 'deep', inPrice: 3, cachedPrice: 0.3, outPrice: 15, latencyMs: 4_500, weight: 2 },
  { provider: 'self-hosted', model: 'local-7b', tier: 'fast', inPrice: 0, cachedPrice: 0, outPrice: 0, latencyMs: 600, weight: 3 },
] as const;
const MODEL_WEIGHTS = Object.fromEntries(MODELS.map((m, i) => [String(i), m.weight])) as Record<string, number>;
const ERRORS = { timeout: 4, rate_limited: 3, server_error: 2, content_filter: 1 } as const;
const OPERATIONS = { chat: 6, completion: 2, embeddings: 2 } as const;

const AI_HISTORY_DAYS = 14;
const alive = (t: TenantModel, ms: number) => t.aliveSpans.some(([a, b]) => a <= ms && ms < b);
const money6 = (v: number) => v.toFixed(6);

/**
 * AI calls of the last two weeks: a few a day per live tenant, spread over the models; streaming
 * chat calls have a time to first token; 2-3% fail; chat and completion calls are recommendations
 * (a user accepts about 60%, each claims a saving; billing validates accepted ones a week later at
 * 80-110% of the claim). Columns: see AI_REQUEST_COLUMNS.
 */
export const AI_REQUEST_COLUMNS = [
  'id',
  'tenant_id',
  'user_id',
  'provider',
  'operation',
  'model',
  'tier',
  'started_at',
  'latency_ms',
  'first_token_ms',
  'tokens_in',
  'tokens_in_cached',
  'tokens_out',
  'error_type',
  'cost',
  'success',
  'accepted',
  'estimated_savings',
  'validated_savings',
];

export function* aiRequestRows(seed: number, tenants: readonly TenantModel[], nowMs: number): Generator<CopyRow> {
  const r = Random.stream(seed, 'ai');
  let n = 0;
  for (let day = AI_HISTORY_DAYS; day >= 0; day--) {
    const dayStart = nowMs - day * DAY_MS - DAY_MS;
    for (const t of tenants) {
      const calls = r.poisson(4);
      for (let c = 0; c < calls; c++) {
        const started = dayStart + Math.floor(r.next() * DAY_MS);
        if (started >= nowMs || !alive(t, started)) continue;
        const m = MODELS[Number(r.weighted(MODEL_WEIGHTS))] ?? MODELS[0];
        const operation = r.weighted(OPERATIONS);
        const latency = Math.max(50, Math.round(m.latencyMs * r.exponential(1)));
        const streaming = operation === 'chat' && r.chance(0.7);
        const failed = r.chance(m.provider === 'self-hosted' ? 0.03 : 0.02);
        const tokensIn = operation === 'embeddings' ? r.int(50, 800) : r.int(300, 4_000);
        const cached = operation === 'embeddings' ? 0 : Math.floor(tokensIn * r.between(0, 0.6));
        const tokensOut = operation === 'embeddings' || failed ? 0 : r.int(50, 900);
        const cost = ((tokensIn - cached) * m.inPrice + cached * m.cachedPrice + tokensOut * m.outPrice) / 1e6;
        const recommendation = operation !== 'embeddings' && !failed;
        const decided = recommendation && started < nowMs - HOUR_MS && r.chance(0.8);
        const accepted = decided ? r.chance(0.6) : null;
        const estimated = recommendation ? Math.round(r.between(5, 400) * 100) / 100 : null;
        const validated =
          accepted && estimated !== null && started < nowMs - 7 * DAY_MS ? Math.round(estimated * r.between(0.8, 1.1) * 100) / 100 : null;
        yield [
          `ai_${++n}`,
          t.id,
          null,
          m.provider,
          operation,
          m.model,
          m.tier,
          iso(started),
          latency,
          streaming ? Math.min(latency, Math.round(latency * r.between(0.08, 0.3))) : null,
          tokensIn,
          cached,
          tokensOut,
          failed ? r.weighted(ERRORS) : null,
          money6(cost),
          failed ? 'f' : 't',
          accepted === null ? null : accepted ? 't' : 'f',
          estimated === null ? null : estimated.toFixed(2),
          validated === null ? null : validated.toFixed(2),
        ];
      }
    }
  }
}

export const TRAINING_JOB_COLUMNS = [
  'id',
  'tenant_id',
  'user_id',
  'status',
  'created_at',
  'started_at',
  'finished_at',
  'gpu_hours',
  'compute_cost',
];

/** About two training jobs a day over 90 days: most succeed, some fail or are cancelled; the newest queue or run. */
export function* trainingJobRows(seed: number, tenants: readonly TenantModel[], nowMs: number): Generator<CopyRow> {
  const r = Random.stream(seed, 'training');
  const perGpuHour = 2.5;
  let n = 0;
  for (let created = nowMs - 90 * DAY_MS; created < nowMs; created += Math.round(r.exponential(12 * HOUR_MS))) {
    const live = tenants.filter((t) => alive(t, created));
    if (live.length === 0) continue;
    const t = r.pick(live);
    const started = created + r.int(1, 30) * MINUTE_MS;
    const gpuHours = Math.round(r.between(0.5, 16) * 10_000) / 10_000;
    const finished = started + Math.round((gpuHours / 4) * HOUR_MS);
    const x = r.next();
    const status = started > nowMs ? 'queued' : finished > nowMs ? 'running' : x < 0.88 ? 'succeeded' : x < 0.96 ? 'failed' : 'cancelled';
    const done = status === 'succeeded' || status === 'failed' || status === 'cancelled';
    const used = status === 'succeeded' ? gpuHours : done ? Math.round(gpuHours * r.between(0.1, 0.9) * 10_000) / 10_000 : null;
    yield [
      `tj_${++n}`,
      t.id,
      null,
      status,
      iso(created),
      status === 'queued' ? null : iso(started),
      done ? iso(Math.min(finished, nowMs - MINUTE_MS)) : null,
      used === null ? null : used.toFixed(4),
      used === null ? null : (used * perGpuHour).toFixed(2),
    ];
  }
}
