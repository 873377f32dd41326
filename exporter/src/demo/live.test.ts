import { advanceDemo } from './live';
import { createTestSchema, TestSchema } from '../testing/db';

const NOW = new Date('2026-06-10T12:00:00Z');
let db: TestSchema;
beforeAll(async () => {
  db = await createTestSchema('livedemo');
  await db.insert('tenants', [
    { id: 'ta', name: 'A', plan: 'starter', created_at: '2026-01-01T00:00:00Z' },
    { id: 'tc', name: 'C', plan: 'starter', created_at: '2026-01-01T00:00:00Z', churned_at: '2026-06-05T00:00:00Z' },
  ]);
  await db.insert('users', [
    { id: 'u1', tenant_id: 'ta', created_at: '2026-01-01T00:00:00Z' },
    { id: 'u2', tenant_id: 'ta', created_at: '2026-01-01T00:00:00Z', deleted_at: '2026-06-01T00:00:00Z' },
    { id: 'u3', tenant_id: 'tc', created_at: '2026-01-01T00:00:00Z' },
  ]);
  // The generated history ends 2026-06-08 12:00 (two days before NOW).
  await db.insert('events', [
    { id: 'e1', tenant_id: 'ta', user_id: 'u1', name: 'login', occurred_at: '2026-06-01T13:00:00Z' }, // replayed to 06-08 13:00
    { id: 'e2', tenant_id: 'ta', user_id: 'u1', name: 'report.created', occurred_at: '2026-06-03T09:00:00Z' }, // to 06-10 09:00
    { id: 'e3', tenant_id: 'ta', user_id: 'u1', name: 'login', occurred_at: '2026-06-03T13:00:00Z' }, // to 06-10 13:00: after NOW, not yet
    { id: 'e4', tenant_id: 'ta', user_id: 'u2', name: 'login', occurred_at: '2026-06-02T10:00:00Z' }, // deleted user: not replayed
    { id: 'e5', tenant_id: 'tc', user_id: 'u3', name: 'login', occurred_at: '2026-06-02T10:00:00Z' }, // tenant churned 06-05: not replayed
    { id: 'e6', tenant_id: 'ta', user_id: null, name: 'integration.synced', occurred_at: '2026-06-02T10:00:00Z' }, // system event: replayed
    { id: 'e7', tenant_id: 'ta', user_id: 'u1', name: 'login', occurred_at: '2026-05-31T10:00:00Z' }, // before the replayed week
    { id: 'e8', tenant_id: 'ta', user_id: 'u1', name: 'login', occurred_at: '2026-06-08T12:00:00Z' },
  ]);
  await db.insert('backups', [
    {
      id: 'b1',
      kind: 'wal_archive',
      location: 'eu',
      started_at: '2026-06-10T10:00:00Z',
      completed_at: '2026-06-10T10:00:20Z',
      status: 'succeeded',
      size_bytes: 64,
    },
    { id: 'b2', kind: 'full', location: 'eu', started_at: '2026-06-10T00:00:00Z', status: 'running' },
    {
      id: 'b3',
      kind: 'full',
      location: 'eu',
      started_at: '2026-06-09T00:00:00Z',
      completed_at: '2026-06-09T00:40:00Z',
      status: 'succeeded',
      size_bytes: 80,
    },
  ]);
  await db.insert('dr_tests', [
    {
      id: 'd1',
      kind: 'full_failover',
      tested_at: '2026-05-01T00:00:00Z',
      recovery_time_seconds: 100,
      data_loss_seconds: 5,
      result: 'pass',
    },
    {
      id: 'd2',
      kind: 'backup_restore',
      tested_at: '2026-06-01T00:00:00Z',
      recovery_time_seconds: 100,
      data_loss_seconds: 5,
      result: 'pass',
    },
  ]);
});
afterAll(() => db.close());

it("replays last week's events a week later, continues backups and DR tests, and adds nothing when run again", async () => {
  const first = await advanceDemo(db.pool, NOW);
  const events = await db.pool.query<{ user_id: string | null; name: string; at: string }>(
    `SELECT user_id, name, to_char(occurred_at AT TIME ZONE 'UTC', 'MM-DD HH24:MI') AS at FROM events WHERE id LIKE 'live\\_%' ORDER BY occurred_at`,
  );
  expect(events.rows).toEqual([
    { user_id: 'u1', name: 'login', at: '06-08 13:00' },
    { user_id: null, name: 'integration.synced', at: '06-09 10:00' },
    { user_id: 'u1', name: 'report.created', at: '06-10 09:00' },
  ]);
  expect(first.events).toBe(3);

  // WAL every 15 minutes from 10:00 up to 11:59:40 (12:00 minus its duration): 10:15 .. 11:45 = 7
  // runs; the running full backup completes, and the next full is due tomorrow.
  const backups = await db.pool.query<{ kind: string; n: number; running: number }>(
    `SELECT kind, count(*)::int AS n, count(*) FILTER (WHERE status = 'running')::int AS running FROM backups GROUP BY kind ORDER BY kind`,
  );
  expect(backups.rows).toEqual([
    { kind: 'full', n: 2, running: 0 },
    { kind: 'wal_archive', n: 8, running: 0 },
  ]);
  const full = await db.pool.query(`SELECT completed_at, size_bytes FROM backups WHERE id = 'b2'`);
  expect(full.rows[0]).toEqual({ completed_at: new Date('2026-06-10T00:40:00Z'), size_bytes: '80' });

  // full_failover's newest is 40 days old and partial_recovery has none: a pass each, now.
  const dr = await db.pool.query(`SELECT kind FROM dr_tests WHERE tested_at = $1 ORDER BY kind`, [NOW]);
  expect(dr.rows.map((r) => r.kind)).toEqual(['full_failover', 'partial_recovery']);

  expect(await advanceDemo(db.pool, NOW)).toEqual({ events: 0, backups: 0, drTests: 0 });
});
