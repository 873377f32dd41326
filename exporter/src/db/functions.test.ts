import { Pool } from 'pg';
import { sql as FUNCTIONS_SQL } from './functions';
import { migrate } from './migrate';
import { MIGRATIONS } from './migrations';
import { createTestSchema, TestSchema } from '../testing/db';
import { RELEASED_0_1_0 } from '../testing/released-migrations';

// Database functions live in db/functions.ts, applied on every migrate after the migrations. A
// database migrated by release 0.1.0 (functions defined and redefined inside migrations 002-006)
// and a fresh one end with the same functions, triggers, tables, indexes and views.

/** Every definition in a schema, with the schema's name replaced so two schemas compare. */
async function definitions(pool: Pool, schema: string) {
  const q = async (sql: string) => (await pool.query<{ def: string }>(sql, [schema])).rows.map((r) => r.def.split(schema).join('<schema>'));
  return {
    functions: await q(`
      SELECT pg_get_functiondef(p.oid) AS def FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = $1 ORDER BY p.proname`),
    triggers: await q(`
      SELECT pg_get_triggerdef(t.oid) AS def FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND NOT t.tgisinternal ORDER BY t.tgname`),
    columns: await q(`
      SELECT concat_ws(' ', table_name, column_name, data_type, is_nullable, column_default) AS def
      FROM information_schema.columns WHERE table_schema = $1 AND table_name NOT LIKE 'events_2%'
      ORDER BY table_name, column_name`),
    indexes: await q(`
      SELECT indexdef AS def FROM pg_indexes WHERE schemaname = $1 AND tablename NOT LIKE 'events_2%' ORDER BY indexname`),
    views: await q(`
      SELECT viewname || ': ' || definition AS def FROM pg_views WHERE schemaname = $1 ORDER BY viewname`),
  };
}

const EVENTS = [
  { id: 'e1', tenant_id: 'ta', user_id: 'u1', name: 'login', occurred_at: '2026-03-01T08:00:00Z' },
  { id: 'e2', tenant_id: 'ta', user_id: 'u1', name: 'report.created', occurred_at: '2026-03-02T09:00:00Z' },
];
const ROLLUPS = `SELECT (SELECT count(*) FROM saasmon_user_days_base)::int AS days,
  (SELECT count(*) FROM saasmon_user_timelines)::int AS timelines,
  (SELECT count(*) FROM saasmon_user_activity)::int AS activity`;

let fresh: TestSchema;
let old: TestSchema;
beforeAll(async () => {
  fresh = await createTestSchema('fnfresh');
  old = await createTestSchema('fnold', RELEASED_0_1_0, null);
  for (const db of [fresh, old]) {
    await db.insert('tenants', [{ id: 'ta', name: 'A', plan: 'starter', created_at: '2026-01-01T00:00:00Z' }]);
    await db.insert('events', EVENTS.slice(0, 1));
    await db.pool.query('SELECT saasmon_compact_event_rollups()');
  }
});
afterAll(async () => {
  await fresh?.close();
  await old?.close();
});

it('upgrades a database of release 0.1.0 to the same definitions a fresh one gets', async () => {
  const before = await definitions(old.pool, old.schema);
  const r = await migrate(old.url, old.schema);
  const released = new Set(RELEASED_0_1_0.map((m) => m.version));
  expect(r.skipped).toEqual(MIGRATIONS.filter((m) => released.has(m.version)).map((m) => m.version));
  expect(r.applied).toEqual(MIGRATIONS.filter((m) => !released.has(m.version)).map((m) => m.version));
  const upgraded = await definitions(old.pool, old.schema);
  const expected = await definitions(fresh.pool, fresh.schema);
  expect(upgraded).toEqual(expected);
  // Since the release, the activity rollup's functions changed (migration 016: first_at), and
  // ingest's one-statement store was added.
  const name = (def: string) => /FUNCTION <schema>\.(\w+)\(/.exec(def)?.[1];
  const changed = expected.functions.filter((f) => !before.functions.includes(f)).map(name);
  expect(changed).toEqual(['saasmon_compact_event_days', 'saasmon_rebuild_user_activity', 'saasmon_store_events']);
  expect(before.functions.length).toBe(12);
  expect(expected.functions.length).toBe(13);
  expect(expected.triggers).toEqual([expect.stringContaining('CREATE TRIGGER saasmon_events_rollup AFTER INSERT ON <schema>.events')]);
});

it('keeps rolling up events on both, and re-running migrate changes nothing', async () => {
  for (const db of [fresh, old]) {
    await db.insert('events', EVENTS.slice(1));
    await db.pool.query('SELECT saasmon_compact_event_rollups()');
    expect((await db.pool.query(ROLLUPS)).rows[0]).toEqual({ days: 2, timelines: 1, activity: 3 });
    const before = await definitions(db.pool, db.schema);
    expect((await migrate(db.url, db.schema)).applied).toEqual([]);
    expect(await definitions(db.pool, db.schema)).toEqual(before);
    // The rebuild gives what the trigger and compaction gave.
    await db.pool.query('SELECT saasmon_rebuild_event_rollups()');
    expect((await db.pool.query(ROLLUPS)).rows[0]).toEqual({ days: 2, timelines: 1, activity: 3 });
  }
});

it('pins the trigger and compaction to their schema, not the inlinable helpers nor what the exporter calls', async () => {
  const { rows } = await fresh.pool.query<{ proname: string; pinned: boolean }>(
    `SELECT p.proname, p.proconfig IS NOT NULL AS pinned FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = $1 ORDER BY 1`,
    [fresh.schema],
  );
  expect(rows.filter((r) => !r.pinned).map((r) => r.proname)).toEqual([
    'saasmon_day_bits_or',
    'saasmon_ensure_event_partitions',
    'saasmon_store_events',
    'saasmon_timeline_entry',
    'saasmon_timeline_period',
  ]);
});

it('defines each function once, in db/functions.ts only', () => {
  const defined = [...FUNCTIONS_SQL.matchAll(/CREATE OR REPLACE FUNCTION (\w+)\(/g)].map((m) => m[1]);
  expect(new Set(defined).size).toBe(defined.length);
  const inMigrations = MIGRATIONS.flatMap((m) =>
    [...`${m.sql}\n${m.afterFunctions ?? ''}`.matchAll(/CREATE (?:OR REPLACE )?(FUNCTION|TRIGGER) (?!pg_temp\.)(\w+)/g)].map(
      (x) => `${m.version}: ${x[1]} ${x[2]}`,
    ),
  );
  expect(inMigrations).toEqual([]);
});
