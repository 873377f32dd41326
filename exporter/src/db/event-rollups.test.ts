import { Client } from 'pg';
import { createTestSchema, TestSchema } from '../testing/db';

let db: TestSchema;
beforeAll(async () => {
  db = await createTestSchema('rollup');
  await db.insert('tenants', [{ id: 't1', name: 'A', plan: 'starter', created_at: '2026-01-01T00:00:00Z' }]);
});
afterAll(() => db.close());

const ROLLUPS = {
  saasmon_user_days: 'user_id, day, tenant_id, first_at, last_at, events',
  saasmon_user_event_days: 'user_id, name, day, tenant_id, first_at, last_at, events',
  saasmon_tenant_event_days: 'tenant_id, name, day, first_at, last_at, events',
} as const;

async function snapshot(): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [table, columns] of Object.entries(ROLLUPS)) {
    out[table] = (await db.pool.query(`SELECT ${columns} FROM ${table} ORDER BY ${columns}`)).rows;
  }
  return out;
}

it('keeps day rows with first/last instants and counts as batches arrive, and equals a rebuild', async () => {
  await db.insert('events', [
    { id: 'e1', tenant_id: 't1', user_id: 'u1', name: 'a', occurred_at: '2026-03-01T23:59:59Z' },
    { id: 'e2', tenant_id: 't1', user_id: 'u1', name: 'b', occurred_at: '2026-03-01T08:00:00Z' },
    { id: 'e3', tenant_id: 't1', user_id: null, name: 'a', occurred_at: '2026-03-01T09:00:00Z' },
  ]);
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
  const { rows } = await db.pool.query(
    `SELECT day::text, first_at, last_at, events::int FROM saasmon_user_days WHERE user_id = 'u1' ORDER BY day`,
  );
  expect(rows).toEqual([
    { day: '2026-03-01', first_at: new Date('2026-03-01T00:00:00Z'), last_at: new Date('2026-03-01T23:59:59Z'), events: 3 },
    { day: '2026-03-02', first_at: new Date('2026-03-02T00:00:00Z'), last_at: new Date('2026-03-02T00:00:00Z'), events: 1 },
  ]);
  const tenantA = await db.pool.query(
    `SELECT events::int FROM saasmon_tenant_event_days WHERE tenant_id = 't1' AND name = 'a' AND day = '2026-03-01'`,
  );
  expect(tenantA.rows).toEqual([{ events: 3 }]); // e1, e3 (no user) and e4

  const incremental = await snapshot();
  await db.pool.query('SELECT saasmon_rebuild_event_rollups()');
  expect(await snapshot()).toEqual(incremental);
});

it('keeps rollups from COPY-style bulk loads in other sessions whose search_path lacks the schema', async () => {
  // A client of its own (not the pool's search_path), like an ETL job naming the schema.
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO ${db.schema}.events (id, tenant_id, user_id, name, occurred_at)
       SELECT 'bulk' || g, 't1', 'u2', 'c', timestamptz '2026-03-05T10:00:00Z' + g * interval '1 second'
       FROM generate_series(1, 100) g`,
    );
  } finally {
    await client.end();
  }
  const { rows } = await db.pool.query(`SELECT events::int FROM saasmon_user_days WHERE user_id = 'u2'`);
  expect(rows).toEqual([{ events: 100 }]);
});
