import { createTestSchema, TestSchema } from '../../testing/db';
import { TEST_TOKENS } from '../../testing/tokens';
import { RunningService } from '../../service';
import { postJson, startTestService } from '../../testing/service';

const NOW = new Date('2026-06-15T12:00:00Z');
let db: TestSchema;
let svc: RunningService;

const post = (path: string, body: unknown) => postJson(`${svc.url}/api/v1/ingest/${path}`, body, TEST_TOKENS.ingest);

const call = (i: number, extra: Record<string, unknown> = {}) => ({
  id: `r${i}`,
  tenant_id: 't1',
  provider: 'openai',
  operation: 'chat',
  model: 'gpt-4o',
  tier: 'standard',
  started_at: '2026-06-15T11:00:00Z',
  latency_ms: 1200,
  first_token_ms: 300,
  tokens_in: 1000,
  tokens_in_cached: 400,
  tokens_out: 200,
  cost: '0.012345',
  success: true,
  ...extra,
});

beforeAll(async () => {
  db = await createTestSchema('ingest_ai');
  await db.insert('tenants', [{ id: 't1', name: 'Acme', plan: 'starter', created_at: '2026-01-01T00:00:00Z' }]);
  svc = await startTestService(db, { api: { rateLimit: { requestsPerSecond: 1000, burst: 1000 } } }, () => NOW);
});
afterAll(async () => {
  await svc.close();
  await db.close();
});

const rows = async (table: string) => (await db.pool.query(`SELECT * FROM ${table} ORDER BY id`)).rows;

describe('ai-requests', () => {
  it('stores a batch once, money exact: a retry is a no-op', async () => {
    const batch = { items: [call(1), call(2, { cost: 0.5, first_token_ms: null })] };
    expect((await post('ai-requests', batch)).body).toEqual({ created: 2, updated: 0 });
    expect((await post('ai-requests', batch)).body).toEqual({ created: 0, updated: 2 });
    const stored = await rows('ai_requests');
    expect(stored).toHaveLength(2);
    expect(stored[0]).toMatchObject({ cost: '0.012345', tokens_in: 1000, tokens_in_cached: 400, first_token_ms: 300, accepted: null });
    expect(stored[1]).toMatchObject({ cost: '0.500000', first_token_ms: null });
  });

  it('completes a call with the decision and validated savings later; a late retry keeps them', async () => {
    await post('ai-requests', call(3, { estimated_savings: '120.50' }));
    await post('ai-requests', call(3, { accepted: true, validated_savings: 99.99 }));
    await post('ai-requests', call(3)); // the original report, retried late
    const r = (await db.pool.query('SELECT accepted, estimated_savings, validated_savings FROM ai_requests WHERE id = $1', ['r3'])).rows[0];
    expect(r).toEqual({ accepted: true, estimated_savings: '120.50', validated_savings: '99.99' });
  });

  it('refuses what would be stored wrong, naming the item and field, and stores nothing of the batch', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ first_token_ms: 5000 }, /items\[1\]\.first_token_ms/],
      [{ tokens_in_cached: 2000 }, /items\[1\]\.tokens_in_cached/],
      [{ success: false }, /items\[1\]\.error_type/],
      [{ error_type: 'timeout' }, /items\[1\]\.error_type/],
      [{ cost: '0.0000001' }, /items\[1\]\.cost: must have at most 6 decimals/],
      [{ cost: -1 }, /items\[1\]\.cost/],
      [{ latency_ms: -1 }, /items\[1\]\.latency_ms/],
      [{ tenant: 't1' }, /tenant/],
      [{ started_at: '2026-06-15T11:00:00' }, /time zone/],
      [{ tenant_id: 'ghost' }, /items\[1\]\.tenant_id: unknown tenant "ghost"/],
    ];
    for (const [extra, message] of cases) {
      const r = await post('ai-requests', { items: [call(10), call(11, extra)] });
      expect(r.status).toBe(400);
      expect(r.body.error).toMatch(message);
    }
    expect((await rows('ai_requests')).map((r) => r.id)).toEqual(['r1', 'r2', 'r3']);
  });
});

describe('training-jobs', () => {
  const queued = { id: 'j1', tenant_id: 't1', user_id: 'u1', status: 'queued', created_at: '2026-06-15T08:00:00Z' };
  const done = {
    ...queued,
    status: 'succeeded',
    started_at: '2026-06-15T08:05:00Z',
    finished_at: '2026-06-15T10:05:00Z',
    gpu_hours: '16.0000',
    compute_cost: '48.00',
  };

  it('follows queued to finished, and a late retry of queued does not undo the finish', async () => {
    expect((await post('training-jobs', queued)).body).toEqual({ created: 1, updated: 0 });
    expect((await post('training-jobs', done)).body).toEqual({ created: 0, updated: 1 });
    await post('training-jobs', queued);
    const [row] = await rows('training_jobs');
    expect(row).toMatchObject({ status: 'succeeded', gpu_hours: '16.0000', compute_cost: '48.00' });
    expect((row.finished_at as Date).toISOString()).toBe('2026-06-15T10:05:00.000Z');
  });

  it('refuses a finished job without finished_at, and a finish before the start', async () => {
    const a = await post('training-jobs', { ...queued, id: 'j2', status: 'failed' });
    expect(a.status).toBe(400);
    expect(a.body.error).toMatch(/finished_at/);
    const b = await post('training-jobs', { ...done, id: 'j3', finished_at: '2026-06-15T08:00:00Z' });
    expect(b.status).toBe(400);
    expect(b.body.error).toMatch(/finished_at: must not be before started_at/);
  });
});
