import { migrate } from './migrate';
import { createTestSchema, TestSchema } from '../testing/db';
import { RELEASED_0_1_0 } from '../testing/released-migrations';

// Migration 006: timeline rows carry the tenant of their events, for rows written before it too (a
// database as release 0.1.0's migrations 001-005 left it, functions included).

let db: TestSchema;
beforeAll(async () => {
  const before006 = RELEASED_0_1_0.findIndex((m) => m.version === '006-timeline-tenants');
  db = await createTestSchema('tltenant', RELEASED_0_1_0.slice(0, before006), null);
  await db.insert('tenants', [
    { id: 'ta', name: 'A', plan: 'starter', created_at: '2026-01-01T00:00:00Z' },
    { id: 'tb', name: 'B', plan: 'business', created_at: '2026-01-01T00:00:00Z' },
  ]);
});
afterAll(() => db.close());

const TIMELINES_SQL = `
SELECT 'row' AS kind, user_id, period_start::text, tenant_id, entries FROM saasmon_user_timelines
UNION ALL
SELECT 'delta', user_id, period_start::text, tenant_id, entries FROM saasmon_timeline_deltas
ORDER BY 1, 2, 3`;

it('fills the tenant of rows and deltas written before it, as a rebuild would, and keeps it for new events', async () => {
  await db.insert('events', [
    { id: 'e1', tenant_id: 'ta', user_id: 'u1', name: 'login', occurred_at: '2026-03-01T08:00:00Z' },
    { id: 'e2', tenant_id: 'tb', user_id: 'u2', name: 'login', occurred_at: '2026-03-01T09:00:00Z' },
    { id: 'e3', tenant_id: 'tb', user_id: 'u2', name: 'report.created', occurred_at: '2026-03-15T09:00:00Z' },
  ]);
  await db.pool.query('SELECT saasmon_compact_event_rollups()');
  // left pending: a delta of u1 in a period u1 already has a row for
  await db.insert('events', [{ id: 'e4', tenant_id: 'ta', user_id: 'u1', name: 'report.created', occurred_at: '2026-03-02T08:00:00Z' }]);

  expect((await migrate(db.url, db.schema)).applied).toContain('006-timeline-tenants');
  const migrated = (await db.pool.query(TIMELINES_SQL)).rows;
  expect(migrated.map((r) => [r.kind, r.user_id, r.period_start, r.tenant_id])).toEqual([
    ['delta', 'u1', '2026-02-26', 'ta'],
    ['row', 'u1', '2026-02-26', 'ta'],
    ['row', 'u2', '2026-02-26', 'tb'],
    ['row', 'u2', '2026-03-08', 'tb'],
  ]);

  // New events name their tenant through the trigger and the compaction keeps it.
  await db.insert('events', [{ id: 'e5', tenant_id: 'tb', user_id: 'u3', name: 'login', occurred_at: '2026-03-03T08:00:00Z' }]);
  await db.pool.query('SELECT saasmon_compact_event_rollups()');
  const compacted = (await db.pool.query(TIMELINES_SQL)).rows;
  expect(compacted.map((r) => [r.kind, r.user_id, r.period_start, r.tenant_id])).toEqual([
    ['row', 'u1', '2026-02-26', 'ta'],
    ['row', 'u2', '2026-02-26', 'tb'],
    ['row', 'u2', '2026-03-08', 'tb'],
    ['row', 'u3', '2026-02-26', 'tb'],
  ]);

  await db.pool.query('SELECT saasmon_rebuild_event_rollups()');
  expect((await db.pool.query(TIMELINES_SQL)).rows).toEqual(compacted);
});
