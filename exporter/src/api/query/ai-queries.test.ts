import { createTestSchema, TestSchema } from '../../testing/db';
import { postJson, startTestService } from '../../testing/service';
import { RunningService } from '../../service';

// ai_cost_by_tenant and ai_savings_validation on one hand-computed fixture.
const NOW = new Date('2026-06-15T12:00:00Z');
let db: TestSchema;
let svc: RunningService;
type Frame = { fields: Array<{ name: string; values: unknown[] }> };
const col = (f: Frame | undefined, n: string) => f?.fields.find((x) => x.name === n)?.values;
const query = (body: Record<string, unknown>) =>
  postJson(`${svc.url}/api/v1/query`, { from: '2026-06-01T00:00:00Z', to: '2026-07-01T00:00:00Z', ...body });

const call = (
  id: string,
  tenant: string,
  provider: string,
  model: string,
  tier: string,
  started_at: string,
  cost: string,
  est: string | null,
  val: string | null,
) => ({
  id,
  tenant_id: tenant,
  provider,
  model,
  tier,
  started_at,
  latency_ms: 100,
  cost,
  success: true,
  estimated_savings: est,
  validated_savings: val,
});

beforeAll(async () => {
  db = await createTestSchema('aiqueries');
  svc = await startTestService(db, {}, () => NOW);
  await db.insert('tenants', [
    { id: 't1', name: 'Acme', plan: 'p', created_at: '2026-01-01T00:00:00Z' },
    { id: 't2', name: 'Beta', plan: 'p', created_at: '2026-01-01T00:00:00Z' },
  ]);
  await db.insert('ai_requests', [
    call('a1', 't1', 'openai', 'gpt-4o', 'standard', '2026-06-10T00:00:00Z', '1.250000', '100.00', '80.00'),
    call('a2', 't1', 'openai', 'gpt-4o', 'standard', '2026-06-11T00:00:00Z', '0.750000', '50.00', null),
    call('a3', 't2', 'anthropic', 'claude-sonnet', 'fast', '2026-06-12T00:00:00Z', '3.000000', '10.00', '12.00'),
    // t3 has no tenants row: still counted, named by its id
    call('a4', 't3', 'openai', 'gpt-4o', 'standard', '2026-06-13T00:00:00Z', '0.000001', null, null),
    // before `from`, and at now (the range ends at now, exclusive): outside
    call('a5', 't2', 'openai', 'gpt-4o', 'standard', '2026-05-31T23:59:59Z', '100.000000', '1000.00', '0.00'),
    call('a6', 't1', 'openai', 'gpt-4o', 'standard', '2026-06-15T12:00:00Z', '5.000000', '1.00', '1.00'),
  ]);
  await db.insert('training_jobs', [
    {
      id: 'j1',
      tenant_id: 't2',
      status: 'succeeded',
      created_at: '2026-06-13T00:00:00Z',
      started_at: '2026-06-13T00:00:00Z',
      finished_at: '2026-06-14T00:00:00Z',
      gpu_hours: '2.5000',
      compute_cost: '10.00',
    },
    {
      id: 'j2',
      tenant_id: 't3',
      status: 'failed',
      created_at: '2026-06-13T00:00:00Z',
      started_at: '2026-06-13T00:00:00Z',
      finished_at: '2026-06-14T00:00:00Z',
      gpu_hours: '0.2500',
      compute_cost: '0.50',
    },
    {
      id: 'j3',
      tenant_id: 't1',
      status: 'running',
      created_at: '2026-06-15T00:00:00Z',
      started_at: '2026-06-15T00:00:00Z',
      finished_at: null,
      gpu_hours: null,
      compute_cost: null,
    },
  ]);
});
afterAll(async () => {
  await svc.close();
  await db.close();
});

describe('ai_cost_by_tenant', () => {
  it('ranks tenants by AI cost plus training compute cost, to the cent and below', async () => {
    const r = await query({ type: 'ai_cost_by_tenant' });
    expect(r.status).toBe(200);
    const [f] = r.body.frames as Frame[];
    expect(col(f, 'tenant_id')).toEqual(['t2', 't1', 't3']);
    expect(col(f, 'tenant')).toEqual(['Beta', 'Acme', 't3']);
    expect(col(f, 'total_cost')).toEqual([13, 2, 0.500001]);
    expect(col(f, 'ai_cost')).toEqual([3, 2, 0.000001]);
    expect(col(f, 'compute_cost')).toEqual([10, 0, 0.5]);
    expect(col(f, 'ai_requests')).toEqual([1, 2, 1]);
    expect(col(f, 'training_jobs')).toEqual([1, 0, 1]);
    expect(col(f, 'gpu_hours')).toEqual([2.5, 0, 0.25]);
  });

  it('keeps the top N and names a bad field', async () => {
    const [f] = (await query({ type: 'ai_cost_by_tenant', limit: 2 })).body.frames as Frame[];
    expect(col(f, 'tenant_id')).toEqual(['t2', 't1']);
    const bad = await query({ type: 'ai_cost_by_tenant', limit: 0 });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/limit/);
  });
});

describe('ai_savings_validation', () => {
  it('compares estimated and validated savings per model, the ratio over calls with both', async () => {
    const r = await query({ type: 'ai_savings_validation' });
    expect(r.status).toBe(200);
    const [f] = r.body.frames as Frame[];
    expect(col(f, 'model')).toEqual(['openai gpt-4o', 'anthropic claude-sonnet']);
    expect(col(f, 'recommendations_estimated')).toEqual([2, 1]);
    expect(col(f, 'recommendations_validated')).toEqual([1, 1]);
    expect(col(f, 'estimated_savings')).toEqual([150, 10]);
    expect(col(f, 'validated_savings')).toEqual([80, 12]);
    // a2 (not validated yet) is left out of the ratio: 80 / 100, 12 / 10
    expect(col(f, 'validation_ratio')).toEqual([0.8, 1.2]);
  });

  it('groups by tier and names a bad field', async () => {
    const [f] = (await query({ type: 'ai_savings_validation', by: 'tier' })).body.frames as Frame[];
    expect(col(f, 'tier')).toEqual(['standard', 'fast']);
    const bad = await query({ type: 'ai_savings_validation', by: 'tenant' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/by/);
  });
});
