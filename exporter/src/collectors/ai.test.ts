import { aiCollector } from './ai';
import { collectLines } from '../testing/collect';
import { createTestSchema, TestSchema } from '../testing/db';

const T = new Date('2026-06-15T12:00:00Z');
let db: TestSchema;

beforeAll(async () => {
  db = await createTestSchema('ai');
});
afterAll(() => db.close());

const call = (id: string, model: string, provider: string | null, started_at: string, extra: Record<string, unknown>) => ({
  id,
  tenant_id: 't1',
  model,
  provider,
  operation: 'chat',
  tier: 'standard',
  started_at,
  latency_ms: 100,
  tokens_in: 0,
  tokens_in_cached: 0,
  tokens_out: 0,
  cost: '0',
  success: true,
  ...extra,
});

it('reports zero training jobs and no AI series on an empty database', async () => {
  expect(await collectLines(aiCollector, db.config(), T)).toEqual([
    'saasmon_training_compute_cost_24h{currency="USD"} 0',
    'saasmon_training_gpu_seconds_24h 0',
    'saasmon_training_jobs_finished_24h{status="cancelled"} 0',
    'saasmon_training_jobs_finished_24h{status="failed"} 0',
    'saasmon_training_jobs_finished_24h{status="succeeded"} 0',
    'saasmon_training_jobs{status="queued"} 0',
    'saasmon_training_jobs{status="running"} 0',
  ]);
});

it('computes per-model figures over (T-1h, T], (T-24h, T] and (T-30d, T], with models and error types capped', async () => {
  await db.insert('ai_requests', [
    // gpt-4o: r1-r3 in the last hour, r4 in the last 24 h, r5 and r6 (exactly T-24h: outside) in 30 days.
    call('r1', 'gpt-4o', 'openai', '2026-06-15T11:30:00Z', {
      latency_ms: 1000,
      first_token_ms: 200,
      tokens_in: 1000,
      tokens_in_cached: 400,
      tokens_out: 100,
      cost: '0.010000',
      accepted: true,
      estimated_savings: '10.00',
      validated_savings: '8.00',
    }),
    call('r2', 'gpt-4o', 'openai', '2026-06-15T11:45:00Z', {
      latency_ms: 3000,
      tokens_in: 500,
      tokens_out: 50,
      cost: '0.005000',
      accepted: false,
    }),
    call('r3', 'gpt-4o', 'openai', '2026-06-15T11:50:00Z', {
      latency_ms: 2000,
      first_token_ms: 400,
      tokens_in: 100,
      cost: '0.001000',
      success: false,
      error_type: 'timeout',
    }),
    call('r4', 'gpt-4o', 'openai', '2026-06-15T06:00:00Z', {
      latency_ms: 9000,
      first_token_ms: 100,
      tokens_in: 2000,
      tokens_in_cached: 1000,
      tokens_out: 300,
      cost: '0.020000',
      tier: 'deep',
      estimated_savings: '5.00',
    }),
    call('r5', 'gpt-4o', 'openai', '2026-06-10T00:00:00Z', {
      cost: '1.000000',
      accepted: true,
      estimated_savings: '20.00',
      validated_savings: '25.00',
    }),
    call('r6', 'gpt-4o', 'openai', '2026-06-14T12:00:00Z', { success: false, error_type: 'rate_limited' }),
    call('r7', 'claude-sonnet', 'anthropic', '2026-06-15T11:10:00Z', {
      latency_ms: 500,
      first_token_ms: 100,
      tokens_in: 300,
      tokens_out: 30,
      cost: '0.003000',
      tier: 'fast',
    }),
    // The third model by volume: folded into _other with maxModels 2 (ties by provider, model).
    call('r8', 'local-7b', 'self-hosted', '2026-06-15T11:20:00Z', {
      latency_ms: 800,
      tokens_in: 10,
      success: false,
      error_type: 'server_error',
      operation: null,
      tier: null,
    }),
  ]);
  const lines = await collectLines(aiCollector, db.config({ ai: { maxModels: 2, maxErrorTypes: 1 } }), T, /^saasmon_ai_/);
  const gpt = 'provider="openai",model="gpt-4o"';
  const claude = 'provider="anthropic",model="claude-sonnet"';
  const other = 'provider="_other",model="_other"';
  expect(lines).toEqual(
    [
      // cost 24h: 0.01 + 0.005 + 0.001 + 0.02; per request over 4 calls
      `saasmon_ai_cost_24h{${claude},currency="USD"} 0.003`,
      `saasmon_ai_cost_24h{${gpt},currency="USD"} 0.036`,
      `saasmon_ai_cost_24h{${other},currency="USD"} 0`,
      `saasmon_ai_cost_per_request_24h{${claude},currency="USD"} 0.003`,
      `saasmon_ai_cost_per_request_24h{${gpt},currency="USD"} 0.009`,
      `saasmon_ai_cost_per_request_24h{${other},currency="USD"} 0`,
      // decisions in 30 days: r1 yes, r2 no, r5 yes
      `saasmon_ai_acceptance_30d_ratio{${gpt}} 0.6666666666666666`,
      // error types capped at 1: server_error and timeout tie at 1, server_error sorts first
      `saasmon_ai_errors_24h{${gpt},error_type="_other"} 1`,
      `saasmon_ai_errors_24h{${other},error_type="server_error"} 1`,
      // latency over the last hour: gpt [1000, 2000, 3000] ms, nearest rank
      `saasmon_ai_latency_1h_seconds{${claude},percentile="p50"} 0.5`,
      `saasmon_ai_latency_1h_seconds{${claude},percentile="p95"} 0.5`,
      `saasmon_ai_latency_1h_seconds{${claude},percentile="p99"} 0.5`,
      `saasmon_ai_latency_1h_seconds{${gpt},percentile="p50"} 2`,
      `saasmon_ai_latency_1h_seconds{${gpt},percentile="p95"} 3`,
      `saasmon_ai_latency_1h_seconds{${gpt},percentile="p99"} 3`,
      `saasmon_ai_latency_1h_seconds{${other},percentile="p50"} 0.8`,
      `saasmon_ai_latency_1h_seconds{${other},percentile="p95"} 0.8`,
      `saasmon_ai_latency_1h_seconds{${other},percentile="p99"} 0.8`,
      `saasmon_ai_requests_24h{${claude},operation="chat",tier="fast"} 1`,
      `saasmon_ai_requests_24h{${gpt},operation="chat",tier="deep"} 1`,
      `saasmon_ai_requests_24h{${gpt},operation="chat",tier="standard"} 3`,
      `saasmon_ai_requests_24h{${other},operation="",tier=""} 1`,
      // savings in 30 days: estimated 10 + 5 + 20, validated 8 + 25; validation over r1 and r5: 33 / 30
      `saasmon_ai_savings_30d{${claude},currency="USD",kind="estimated"} 0`,
      `saasmon_ai_savings_30d{${claude},currency="USD",kind="validated"} 0`,
      `saasmon_ai_savings_30d{${gpt},currency="USD",kind="estimated"} 35`,
      `saasmon_ai_savings_30d{${gpt},currency="USD",kind="validated"} 33`,
      `saasmon_ai_savings_30d{${other},currency="USD",kind="estimated"} 0`,
      `saasmon_ai_savings_30d{${other},currency="USD",kind="validated"} 0`,
      `saasmon_ai_savings_validation_30d_ratio{${gpt}} 1.1`,
      `saasmon_ai_success_24h_ratio{${claude}} 1`,
      `saasmon_ai_success_24h_ratio{${gpt}} 0.75`,
      `saasmon_ai_success_24h_ratio{${other}} 0`,
      // time to first token of streaming calls only: gpt [200, 400] ms (r2 had none; never its latency)
      `saasmon_ai_time_to_first_token_1h_seconds{${claude},percentile="p50"} 0.1`,
      `saasmon_ai_time_to_first_token_1h_seconds{${claude},percentile="p95"} 0.1`,
      `saasmon_ai_time_to_first_token_1h_seconds{${gpt},percentile="p50"} 0.2`,
      `saasmon_ai_time_to_first_token_1h_seconds{${gpt},percentile="p95"} 0.4`,
      // input tokens include cached ones: gpt uncached 600 + 500 + 100 + 1000, cached 400 + 1000
      `saasmon_ai_tokens_24h{${claude},type="input_cached"} 0`,
      `saasmon_ai_tokens_24h{${claude},type="input_uncached"} 300`,
      `saasmon_ai_tokens_24h{${claude},type="output"} 30`,
      `saasmon_ai_tokens_24h{${gpt},type="input_cached"} 1400`,
      `saasmon_ai_tokens_24h{${gpt},type="input_uncached"} 2200`,
      `saasmon_ai_tokens_24h{${gpt},type="output"} 450`,
      `saasmon_ai_tokens_24h{${other},type="input_cached"} 0`,
      `saasmon_ai_tokens_24h{${other},type="input_uncached"} 10`,
      `saasmon_ai_tokens_24h{${other},type="output"} 0`,
    ].sort(),
  );
});

it('counts training jobs open now and finished in (T-24h, T], with GPU hours, cost and median duration', async () => {
  const job = (
    id: string,
    status: string,
    started_at: string | null,
    finished_at: string | null,
    gpu_hours: string | null,
    compute_cost: string | null,
  ) => ({
    id,
    tenant_id: 't1',
    status,
    created_at: '2026-06-14T00:00:00Z',
    started_at,
    finished_at,
    gpu_hours,
    compute_cost,
  });
  await db.insert('training_jobs', [
    job('j1', 'queued', null, null, null, null),
    job('j2', 'running', '2026-06-15T11:00:00Z', null, null, null),
    job('j3', 'succeeded', '2026-06-15T08:00:00Z', '2026-06-15T10:00:00Z', '4.5000', '12.50'),
    job('j4', 'succeeded', '2026-06-15T10:00:00Z', '2026-06-15T11:00:00Z', '1.2500', '3.10'),
    job('j5', 'failed', '2026-06-15T08:30:00Z', '2026-06-15T09:00:00Z', '0.5000', '1.00'),
    job('j6', 'succeeded', '2026-06-14T10:00:00Z', '2026-06-14T12:00:00Z', '100.0000', '300.00'),
    job('j7', 'cancelled', null, '2026-06-15T11:30:00Z', null, null),
  ]);
  expect(await collectLines(aiCollector, db.config(), T, /^saasmon_training_/)).toEqual([
    'saasmon_training_compute_cost_24h{currency="USD"} 16.6',
    // median of 7200 s and 3600 s (the failed job does not count)
    'saasmon_training_duration_median_24h_seconds 5400',
    // 4.5 + 1.25 + 0.5 GPU hours
    'saasmon_training_gpu_seconds_24h 22500',
    'saasmon_training_jobs_finished_24h{status="cancelled"} 1',
    'saasmon_training_jobs_finished_24h{status="failed"} 1',
    'saasmon_training_jobs_finished_24h{status="succeeded"} 2',
    'saasmon_training_jobs{status="queued"} 1',
    'saasmon_training_jobs{status="running"} 1',
  ]);
});
