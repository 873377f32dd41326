import { eventually } from '../../harness/eventually';
import { createTestSchema, TestSchema } from '../../testing/db';
import { postJson, startTestService } from '../../testing/service';
import { dashboardWarmQueries } from './warm';

// Background warming of the provisioned dashboards' queries: after the data changes, their answers
// are computed again before anyone asks, so the first answer a person gets is from the cache.

let db: TestSchema;
beforeAll(async () => {
  db = await createTestSchema('warm');
  await db.insert('tenants', [{ id: 't1', name: 'A', plan: 'starter', created_at: '2026-01-01T00:00:00Z' }]);
  await db.insert('events', [{ id: 'e1', tenant_id: 't1', user_id: null, name: 'login', occurred_at: '2026-06-10T00:00:00Z' }]);
});
afterAll(() => db?.close());

describe('the dashboards’ queries', () => {
  const now = Date.parse('2026-07-01T00:00:00Z');
  const queries = dashboardWarmQueries(now);
  const byType = (t: string) => queries.filter((q) => q.type === t).map((q) => q.query as Record<string, unknown>);

  it('carry the fields each panel saves under its schema names, built by the same builder as the datasource', () => {
    // The engagement dashboard's power users panel saves `share: 10`; revenue_breakdown saves `by`.
    expect(byType('power_users')).toContainEqual(expect.objectContaining({ type: 'power_users', share: 10 }));
    expect(byType('revenue_breakdown').map((q) => q.by)).toEqual(expect.arrayContaining(['plan', 'segment']));
  });

  it('are built as the datasource sends them at the default range, variables at their saved values, each once', () => {
    expect(byType('tenant_health')).toEqual([{ type: 'tenant_health', limit: 100, offset: 0 }]);
    expect(byType('dr_status')).toEqual([{ type: 'dr_status' }]);
    // The revenue dashboard's panels span a year; the engagement one's 90 days; "$plan" at All is no filter.
    expect(byType('mrr_movements')[0]).toMatchObject({
      from: '2025-07-01T00:00:00.000Z',
      to: '2026-07-01T00:00:00.000Z',
      interval: 'month',
    });
    const retention = byType('retention')[0];
    expect(retention).toMatchObject({ from: '2026-04-02T00:00:00.000Z', interval: 'week', periods: 12 });
    expect(retention?.filters).toBeUndefined();
    expect(byType('funnel')[0]?.steps).toEqual(['login', 'report.created', 'report.exported']);
    expect(new Set(queries.map((q) => q.key)).size).toBe(queries.length);
  });
});

const warmRuns = async (url: string, result: string): Promise<number> => {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`saasmon_query_warm_runs_total{result="${result}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
};

it('after the data changed, the first dashboard answer is a cache hit, no older than the staleness bound', async () => {
  let clock = new Date('2026-07-01T00:00:00Z');
  const svc = await startTestService(
    db,
    { rollups: { compactIntervalSeconds: 0 }, api: { answerCache: { maxStaleSeconds: 30 }, warm: { intervalSeconds: 1 } } },
    () => clock,
  );
  const ask = async (body: unknown) => {
    const r = await postJson(`${svc.url}/api/v1/query`, body);
    expect(r.status).toBe(200);
    const frames = r.body.frames as Array<{ meta?: { stats?: Array<{ displayName: string; value: number }> } }>;
    return { age: r.headers.get('age'), stat: frames[0]?.meta?.stats?.find((s) => s.displayName === 'answer age')?.value };
  };
  try {
    const expectWarmedAfter = async (computedBefore: number) =>
      eventually(async () => expect(await warmRuns(svc.url, 'computed')).toBeGreaterThan(computedBefore), 60_000, 200);
    await expectWarmedAfter(0);
    const warmedAt = clock.getTime();
    clock = new Date(warmedAt + 5_000);
    // Nobody asked before: these answers were put there by the warmer.
    expect(await ask({ type: 'dr_status' })).toEqual({ age: '5', stat: 5 });
    const revenue = dashboardWarmQueries(warmedAt).find((q) => q.type === 'mrr_movements');
    expect(await ask(revenue?.query)).toEqual({ age: '5', stat: 5 });

    // New data, and the staleness bound passes: the warmer computes the answers again, at the new clock.
    const computed = await warmRuns(svc.url, 'computed');
    await db.insert('events', [{ id: 'e2', tenant_id: 't1', user_id: null, name: 'login', occurred_at: '2026-06-11T00:00:00Z' }]);
    clock = new Date(warmedAt + 40_000);
    await expectWarmedAfter(computed);
    clock = new Date(clock.getTime() + 2_000);
    expect(await ask({ type: 'dr_status' })).toEqual({ age: '2', stat: 2 });
  } finally {
    await svc.close();
  }
});
