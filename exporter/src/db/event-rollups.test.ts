import { Client } from 'pg';
import { createTestSchema, TestSchema } from '../testing/db';

let db: TestSchema;
beforeAll(async () => {
  db = await createTestSchema('rollup');
  await db.insert('tenants', [{ id: 't1', name: 'A', plan: 'starter', created_at: '2026-01-01T00:00:00Z' }]);
});
afterAll(() => db.close());

// Each view grouped by its key: what readers see, whether or not deltas are compacted yet.
const VIEWS = {
  saasmon_user_days: 'user_id, day',
  saasmon_user_event_days: 'user_id, name, day',
  saasmon_tenant_event_days: 'tenant_id, name, day',
} as const;

async function grouped(): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [view, key] of Object.entries(VIEWS)) {
    out[view] = (
      await db.pool.query(
        `SELECT ${key}, min(first_at) AS first_at, max(last_at) AS last_at, sum(events)::int AS events
         FROM ${view} GROUP BY ${key} ORDER BY ${key}`,
      )
    ).rows;
  }
  return out;
}

const pendingDeltas = async () => Number((await db.pool.query('SELECT count(*) AS n FROM saasmon_event_deltas')).rows[0].n);

it('answers from base rows plus pending deltas, the same before and after compaction and after a rebuild', async () => {
  await db.insert('events', [
    { id: 'e1', tenant_id: 't1', user_id: 'u1', name: 'a', occurred_at: '2026-03-01T23:59:59Z' },
    { id: 'e2', tenant_id: 't1', user_id: 'u1', name: 'b', occurred_at: '2026-03-01T08:00:00Z' },
    { id: 'e3', tenant_id: 't1', user_id: null, name: 'a', occurred_at: '2026-03-01T09:00:00Z' },
  ]);
  await db.pool.query('SELECT saasmon_compact_event_rollups()');
  // A later batch, out of order, into the same day and the next one (midnight UTC belongs to the 2nd).
  await db.insert('events', [
    { id: 'e4', tenant_id: 't1', user_id: 'u1', name: 'a', occurred_at: '2026-03-01T00:00:00Z' },
    { id: 'e5', tenant_id: 't1', user_id: 'u1', name: 'a', occurred_at: '2026-03-02T00:00:00Z' },
  ]);
  // A retry of e1 (same id and instant) is skipped by the key and must not count again.
  await db.pool.query(
    `INSERT INTO events (id, tenant_id, user_id, name, occurred_at) VALUES ('e1', 't1', 'u1', 'a', '2026-03-01T23:59:59Z')
     ON CONFLICT DO NOTHING`,
  );
  expect(await pendingDeltas()).toBe(2); // (u1, a, 03-01) and (u1, a, 03-02) of the second batch

  const beforeCompaction = await grouped();
  expect(beforeCompaction.saasmon_user_days).toEqual(
    [
      {
        user_id: 'u1',
        day: new Date('2026-03-01T00:00:00Z'),
        first_at: new Date('2026-03-01T00:00:00Z'),
        last_at: new Date('2026-03-01T23:59:59Z'),
        events: 3,
      },
      {
        user_id: 'u1',
        day: new Date('2026-03-02T00:00:00Z'),
        first_at: new Date('2026-03-02T00:00:00Z'),
        last_at: new Date('2026-03-02T00:00:00Z'),
        events: 1,
      },
    ].map((r) => ({ ...r, day: expect.any(Date) })),
  );
  expect(beforeCompaction.saasmon_tenant_event_days).toContainEqual(
    expect.objectContaining({ tenant_id: 't1', name: 'a', events: 3 }), // e1, e3 (no user) and e4 on 03-01
  );

  expect(Number((await db.pool.query('SELECT saasmon_compact_event_rollups() AS n')).rows[0].n)).toBe(2);
  expect(await pendingDeltas()).toBe(0);
  expect(await grouped()).toEqual(beforeCompaction);
  // After compaction every key has exactly one row.
  const { rows } = await db.pool.query(`SELECT count(*)::int AS n, count(DISTINCT (user_id, day))::int AS keys FROM saasmon_user_days`);
  expect(rows[0].n).toBe(rows[0].keys);

  await db.pool.query('SELECT saasmon_rebuild_event_rollups()');
  expect(await grouped()).toEqual(beforeCompaction);
});

it('keeps rollups from bulk loads in other sessions whose search_path lacks the schema', async () => {
  // A client of its own (not the pool's search_path), like an ETL job naming the schema.
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO ${db.schema}.events (id, tenant_id, user_id, name, occurred_at)
       SELECT 'bulk' || g, 't1', 'u2', 'c', timestamptz '2026-03-05T10:00:00Z' + g * interval '1 second'
       FROM generate_series(1, 100) g`,
    );
    await client.query(`SELECT ${db.schema}.saasmon_compact_event_rollups()`);
  } finally {
    await client.end();
  }
  const { rows } = await db.pool.query(`SELECT events::int FROM saasmon_user_days WHERE user_id = 'u2'`);
  expect(rows).toEqual([{ events: 100 }]);
});

it('never loses a delta committed while a compaction runs', async () => {
  const writers = Array.from({ length: 20 }, (_, i) =>
    db.pool.query(
      `INSERT INTO events (id, tenant_id, user_id, name, occurred_at)
       SELECT 'c${i}-' || g, 't1', 'u' || (g % 3), 'd', timestamptz '2026-03-06T10:00:00Z' + g * interval '1 second'
       FROM generate_series(1, 50) g`,
    ),
  );
  const compactions = Array.from({ length: 5 }, () => db.pool.query('SELECT saasmon_compact_event_rollups()'));
  await Promise.all([...writers, ...compactions]);
  await db.pool.query('SELECT saasmon_compact_event_rollups()');
  const { rows } = await db.pool.query(`SELECT sum(events)::int AS n FROM saasmon_tenant_event_days WHERE name = 'd'`);
  expect(rows).toEqual([{ n: 1000 }]);
});

it('keeps per-user activity bit strings as days arrive out of order, equal to a rebuild', async () => {
  const activity = async () =>
    (
      await db.pool.query(
        `SELECT name, to_char(first_day, 'YYYY-MM-DD') AS first_day, days::text AS days,
                to_char(first_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS first_at
         FROM saasmon_user_activity WHERE user_id = 'ub' ORDER BY name`,
      )
    ).rows;
  const ev = (id: string, name: string, at: string) => ({ id, tenant_id: 't1', user_id: 'ub', name, occurred_at: at });
  await db.insert('events', [ev('b1', 'x', '2026-03-10T12:00:00Z')]);
  await db.pool.query('SELECT saasmon_compact_event_rollups()');
  expect(await activity()).toEqual([
    { name: '', first_day: '2026-03-10', days: '1', first_at: '2026-03-10T12:00:00' },
    { name: 'x', first_day: '2026-03-10', days: '1', first_at: '2026-03-10T12:00:00' },
  ]);
  // A later day and an earlier one: the string grows at both ends ('' = any event).
  await db.insert('events', [
    ev('b2', 'y', '2026-03-13T00:00:00Z'),
    ev('b3', 'x', '2026-03-08T23:59:59Z'),
    ev('b4', 'x', '2026-03-10T13:00:00Z'),
  ]);
  await db.pool.query('SELECT saasmon_compact_event_rollups()');
  const compacted = await activity();
  expect(compacted).toEqual([
    { name: '', first_day: '2026-03-08', days: '101001', first_at: '2026-03-08T23:59:59' },
    { name: 'x', first_day: '2026-03-08', days: '101', first_at: '2026-03-08T23:59:59' },
    { name: 'y', first_day: '2026-03-13', days: '1', first_at: '2026-03-13T00:00:00' },
  ]);
  await db.pool.query('SELECT saasmon_rebuild_event_rollups()');
  expect(await activity()).toEqual(compacted);
});
