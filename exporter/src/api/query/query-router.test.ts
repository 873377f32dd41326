import { createTestSchema, TestSchema } from '../../testing/db';
import { postJson, startTestService } from '../../testing/service';
import { TEST_TOKENS } from '../../testing/tokens';
import { RunningService } from '../../service';

let db: TestSchema;
let svc: RunningService;
const query = (body: unknown, token: string = TEST_TOKENS.query) => postJson(`${svc.url}/api/v1/query`, body, token);

beforeAll(async () => {
  db = await createTestSchema('qrouter');
  svc = await startTestService(db);
});
afterAll(async () => {
  await svc.close();
  await db.close();
});

it('answers the health route for the datasource test, with a query token', async () => {
  const res = await fetch(`${svc.url}/api/v1/health`, { headers: { authorization: `Bearer ${TEST_TOKENS.query}` } });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual(expect.objectContaining({ status: 'ok' }));
});

it('refuses the query API without a token (401) or with an ingest-only token (403)', async () => {
  expect((await fetch(`${svc.url}/api/v1/health`)).status).toBe(401);
  expect((await query({ type: 'nps' }, TEST_TOKENS.ingest)).status).toBe(403);
});

it('names an unknown query type and lists the known ones', async () => {
  const r = await query({ type: 'sql', text: 'SELECT 1' });
  expect(r.status).toBe(400);
  expect(r.body.error).toMatch(/unknown query type "sql"; one of .*nps/);
});

it('names the bad field: unknown field, wrong type, bad range', async () => {
  const base = { type: 'nps', from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' };
  const unknown = await query({ ...base, extra: true });
  expect(unknown.status).toBe(400);
  expect(unknown.body.error).toMatch(/extra/);
  const wrongType = await query({ ...base, interval: 7 });
  expect(wrongType.body.error).toMatch(/^interval:/);
  const backwards = await query({ ...base, to: '2025-01-01T00:00:00Z' });
  expect(backwards.body.error).toMatch(/^to: must be after from/);
  const missingType = await query({ from: base.from });
  expect(missingType.status).toBe(400);
  expect(missingType.body.error).toMatch(/^type:/);
});

it('computes NPS per month from promoters, passives and detractors', async () => {
  await db.insert('tenants', [{ id: 't1', name: 'A', plan: 'starter', created_at: '2026-01-01T00:00:00Z' }]);
  await db.insert('nps_responses', [
    // January: 10, 9 promoters; 7 passive; 3 detractor -> 100 * (2 - 1) / 4 = 25
    { id: 'n1', tenant_id: 't1', score: 10, responded_at: '2026-01-05T00:00:00Z' },
    { id: 'n2', tenant_id: 't1', score: 9, responded_at: '2026-01-31T23:59:59Z' },
    { id: 'n3', tenant_id: 't1', score: 7, responded_at: '2026-01-10T00:00:00Z' },
    { id: 'n4', tenant_id: 't1', score: 3, responded_at: '2026-01-11T00:00:00Z' },
    // February 1st at midnight UTC belongs to February: one detractor -> -100
    { id: 'n5', tenant_id: 't1', score: 6, responded_at: '2026-02-01T00:00:00Z' },
  ]);
  const r = await query({ type: 'nps', from: '2026-01-01T00:00:00Z', to: '2026-03-01T00:00:00Z', interval: 'month' });
  expect(r.status).toBe(200);
  const [frame] = r.body.frames as Array<{ fields: Array<{ name: string; values: unknown[] }> }>;
  const col = (n: string) => frame?.fields.find((f) => f.name === n)?.values;
  expect(col('time')).toEqual([Date.parse('2026-01-01T00:00:00Z'), Date.parse('2026-02-01T00:00:00Z')]);
  expect(col('nps')).toEqual([25, -100]);
  expect(col('responses')).toEqual([4, 1]);
});

it('lists plans for template variables', async () => {
  const r = await query({ type: 'variables', of: 'plans' });
  const [frame] = r.body.frames as Array<{ fields: Array<{ name: string; values: unknown[] }> }>;
  expect(frame?.fields[0]).toEqual({ name: 'text', type: 'string', values: ['starter'] });
});
