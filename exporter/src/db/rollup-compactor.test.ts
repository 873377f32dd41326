import { RunningService } from '../service';
import { eventually } from '../harness/eventually';
import { createTestSchema, TestSchema } from '../testing/db';
import { startTestService } from '../testing/service';

let db: TestSchema;
let svc: RunningService;

beforeAll(async () => {
  db = await createTestSchema('compact');
  await db.insert('tenants', [{ id: 't1', name: 'A', plan: 'starter', created_at: '2026-01-01T00:00:00Z' }]);
  svc = await startTestService(db, { rollups: { compactIntervalSeconds: 0.2 } });
});
afterAll(async () => {
  await svc.close();
  await db.close();
});

it('folds the deltas of new events into the base rollups in the background and says so on /metrics', async () => {
  await db.insert('events', [
    { id: 'a', tenant_id: 't1', user_id: 'u1', name: 'x', occurred_at: '2026-03-01T10:00:00Z' },
    { id: 'b', tenant_id: 't1', user_id: 'u1', name: 'y', occurred_at: '2026-03-01T11:00:00Z' },
  ]);
  await eventually(async () => {
    const { rows } = await db.pool.query(
      'SELECT (SELECT count(*) FROM saasmon_event_deltas)::int AS pending, (SELECT count(*) FROM saasmon_user_days_base)::int AS base',
    );
    expect(rows[0]).toEqual({ pending: 0, base: 1 });
  });
  const text = await (await fetch(`${svc.url}/metrics`)).text();
  expect(text).toContain('saasmon_rollup_compaction_success 1');
  expect(text).toMatch(/^saasmon_rollup_deltas_folded_total 2$/m);
});
