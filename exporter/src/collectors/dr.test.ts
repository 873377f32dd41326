import { drCollector } from './dr';
import { Config } from '../config/schema';
import { createPool, Queryable, withReadOnly } from '../db/pool';
import { SQL_WAL_ARCHIVER } from '../reads/dr';
import { collectLines, sampleLines } from '../testing/collect';
import { createTestSchema, TestSchema } from '../testing/db';

const T = new Date('2026-06-15T12:00:00Z');
const unix = (iso: string) => Date.parse(iso) / 1000;
const SERVER_STATS = /^saasmon_pg_/;
// (the backup series cap has its own test in dr-backup-cap.test.ts)
const NOT_SERVER_STATS = /^saasmon_(?!pg_|backup_series_dropped)/;

/** Runs the collector like the scheduler does, with a monitored database built from its own client. */
async function collectWithMonitored(
  config: Config,
  now: Date,
  monitored: (db: Queryable) => Queryable,
  afterwards?: (db: Queryable) => Promise<void>,
): Promise<string[]> {
  const pool = createPool(config, 'read');
  try {
    const families = await withReadOnly(pool, async (db) => {
      const result = await drCollector.collect({ db, now, config, monitoredDb: monitored(db) });
      await afterwards?.(db);
      return result;
    });
    return await sampleLines(families);
  } finally {
    await pool.end();
  }
}

describe('backups, RPO and DR tests (hand-computed fixture)', () => {
  let db: TestSchema;
  beforeAll(async () => {
    db = await createTestSchema('dr');
  });
  afterAll(() => db.close());

  it('reports targets, RPO not compliant and RTO not ready on an empty database', async () => {
    expect(await collectLines(drCollector, db.config(), T, NOT_SERVER_STATS)).toEqual([
      'saasmon_dr_rpo_compliant 0',
      'saasmon_dr_rpo_target_seconds 3600',
      'saasmon_dr_rto_ready 0',
      'saasmon_dr_rto_target_seconds 3600',
      'saasmon_dr_test_cadence_seconds 7776000',
    ]);
  });

  it('computes last success, verification, failures in 24 h, RPO exposure and the newest DR tests', async () => {
    const b = (
      id: string,
      kind: string,
      location: string,
      status: string,
      started: string,
      completed: string | null,
      verified: string | null = null,
    ) => ({
      id,
      kind,
      location,
      status,
      started_at: started,
      completed_at: completed,
      verified_at: verified,
    });
    await db.insert('backups', [
      // full/us-east-1: two successes, the newest verified at 03:00; one completing after T (not yet a success)
      b('b1', 'full', 'us-east-1', 'succeeded', '2026-06-15T00:00:00Z', '2026-06-15T01:00:00Z', '2026-06-15T03:00:00Z'),
      b('b2', 'full', 'us-east-1', 'succeeded', '2026-06-14T00:00:00Z', '2026-06-14T01:00:00Z', '2026-06-14T05:00:00Z'),
      b('b10', 'full', 'us-east-1', 'succeeded', '2026-06-15T11:45:00Z', '2026-06-15T12:30:00Z'),
      // incremental/us-east-1: success 10:30, failure at 11:05 (in 24 h), failure exactly at T-24h (out)
      b('b3', 'incremental', 'us-east-1', 'succeeded', '2026-06-15T10:00:00Z', '2026-06-15T10:30:00Z'),
      b('b4', 'incremental', 'us-east-1', 'failed', '2026-06-15T11:00:00Z', '2026-06-15T11:05:00Z'),
      b('b12', 'incremental', 'us-east-1', 'failed', '2026-06-14T11:50:00Z', '2026-06-14T12:00:00Z'),
      // wal_archive/eu-west-1: newest RPO-relevant success at 11:30 -> exposure 30 min; one still running
      b('b5', 'wal_archive', 'eu-west-1', 'succeeded', '2026-06-15T11:20:00Z', '2026-06-15T11:30:00Z'),
      b('b6', 'wal_archive', 'eu-west-1', 'running', '2026-06-15T11:50:00Z', null),
      // escrow_export is newer (11:55) but never counts for RPO
      b('b7', 'escrow_export', 'eu-west-1', 'succeeded', '2026-06-15T11:40:00Z', '2026-06-15T11:55:00Z', '2026-06-15T11:58:00Z'),
      // full/eu-west-1: never succeeded; a failure with no completed_at counts at started_at (06-14 10:00,
      // outside 24 h), one started before the window but failing inside it counts (completed 06-14 13:00)
      b('b8', 'full', 'eu-west-1', 'failed', '2026-06-14T10:00:00Z', null),
      b('b9', 'full', 'eu-west-1', 'failed', '2026-06-14T11:00:00Z', '2026-06-14T13:00:00Z'),
      // a location first seen after T does not exist yet
      b('b11', 'incremental', 'ap-south-1', 'succeeded', '2026-06-16T00:00:00Z', '2026-06-16T01:00:00Z'),
    ]);
    await db.insert('dr_tests', [
      {
        id: 'd1',
        kind: 'backup_restore',
        tested_at: '2026-06-01T00:00:00Z',
        recovery_time_seconds: 1200,
        data_loss_seconds: 60,
        result: 'pass',
      },
      // the newest test overall fails (and is slow): RTO not ready although backup_restore passed
      {
        id: 'd2',
        kind: 'full_failover',
        tested_at: '2026-06-10T00:00:00Z',
        recovery_time_seconds: 5400,
        data_loss_seconds: 0,
        result: 'fail',
      },
      {
        id: 'd3',
        kind: 'full_failover',
        tested_at: '2026-05-01T00:00:00Z',
        recovery_time_seconds: 1800,
        data_loss_seconds: 0,
        result: 'pass',
      },
      // after T: ignored
      {
        id: 'd4',
        kind: 'backup_restore',
        tested_at: '2026-06-20T00:00:00Z',
        recovery_time_seconds: 99,
        data_loss_seconds: 0,
        result: 'fail',
      },
    ]);
    expect(await collectLines(drCollector, db.config(), T, NOT_SERVER_STATS)).toEqual([
      'saasmon_backup_failed_24h{kind="escrow_export",location="eu-west-1"} 0',
      'saasmon_backup_failed_24h{kind="full",location="eu-west-1"} 1',
      'saasmon_backup_failed_24h{kind="full",location="us-east-1"} 0',
      'saasmon_backup_failed_24h{kind="incremental",location="us-east-1"} 1',
      'saasmon_backup_failed_24h{kind="wal_archive",location="eu-west-1"} 0',
      `saasmon_backup_last_success_timestamp_seconds{kind="escrow_export",location="eu-west-1"} ${unix('2026-06-15T11:55:00Z')}`,
      `saasmon_backup_last_success_timestamp_seconds{kind="full",location="us-east-1"} ${unix('2026-06-15T01:00:00Z')}`,
      `saasmon_backup_last_success_timestamp_seconds{kind="incremental",location="us-east-1"} ${unix('2026-06-15T10:30:00Z')}`,
      `saasmon_backup_last_success_timestamp_seconds{kind="wal_archive",location="eu-west-1"} ${unix('2026-06-15T11:30:00Z')}`,
      `saasmon_backup_last_verified_timestamp_seconds{kind="escrow_export",location="eu-west-1"} ${unix('2026-06-15T11:58:00Z')}`,
      `saasmon_backup_last_verified_timestamp_seconds{kind="full",location="us-east-1"} ${unix('2026-06-15T03:00:00Z')}`,
      // each kind's own age limit (defaults: full 26 h, incremental 2 h, escrow 8 d, WAL = RPO target)
      'saasmon_backup_max_age_seconds{kind="escrow_export"} 691200',
      'saasmon_backup_max_age_seconds{kind="full"} 93600',
      'saasmon_backup_max_age_seconds{kind="incremental"} 7200',
      'saasmon_backup_max_age_seconds{kind="wal_archive"} 3600',
      `saasmon_dr_last_test_passed{kind="backup_restore"} 1`,
      `saasmon_dr_last_test_passed{kind="full_failover"} 0`,
      `saasmon_dr_last_test_recovery_seconds{kind="backup_restore"} 1200`,
      `saasmon_dr_last_test_recovery_seconds{kind="full_failover"} 5400`,
      `saasmon_dr_last_test_timestamp_seconds{kind="backup_restore"} ${unix('2026-06-01T00:00:00Z')}`,
      `saasmon_dr_last_test_timestamp_seconds{kind="full_failover"} ${unix('2026-06-10T00:00:00Z')}`,
      'saasmon_dr_rpo_compliant 1',
      'saasmon_dr_rpo_exposure_seconds 1800',
      'saasmon_dr_rpo_target_seconds 3600',
      'saasmon_dr_rto_ready 0',
      'saasmon_dr_rto_target_seconds 3600',
      'saasmon_dr_test_cadence_seconds 7776000',
    ]);
  });

  it('takes RPO and RTO targets and the cadence from config', async () => {
    const config = db.config({ dr: { rpoTargetSeconds: 1200, rtoTargetSeconds: 900, testCadenceDays: 30 } });
    expect(await collectLines(drCollector, config, T, /^saasmon_dr_(rpo|rto|test_cadence)/)).toEqual([
      // exposure 1800 s > 1200 s
      'saasmon_dr_rpo_compliant 0',
      'saasmon_dr_rpo_exposure_seconds 1800',
      'saasmon_dr_rpo_target_seconds 1200',
      'saasmon_dr_rto_ready 0',
      'saasmon_dr_rto_target_seconds 900',
      'saasmon_dr_test_cadence_seconds 2592000',
    ]);
  });
});

describe('RTO readiness and the test cadence', () => {
  let db: TestSchema;
  const ready = (now: string) => collectLines(drCollector, db.config(), new Date(now), /^saasmon_dr_rto_ready/);
  beforeAll(async () => {
    db = await createTestSchema('dr_rto');
    await db.insert('dr_tests', [
      {
        id: 'p1',
        kind: 'partial_recovery',
        tested_at: '2026-01-01T00:00:00Z',
        recovery_time_seconds: 600,
        data_loss_seconds: 0,
        result: 'pass',
      },
    ]);
  });
  afterAll(() => db.close());

  it('is ready while the newest passing test is at most 90 days old', async () => {
    expect(await ready('2026-03-01T00:00:00Z')).toEqual(['saasmon_dr_rto_ready 1']);
    // exactly 90 days later is still within the cadence
    expect(await ready('2026-04-01T00:00:00Z')).toEqual(['saasmon_dr_rto_ready 1']);
  });

  it('is not ready once the newest test is older than the cadence', async () => {
    expect(await ready('2026-04-01T00:00:01Z')).toEqual(['saasmon_dr_rto_ready 0']);
    expect(await ready('2026-06-15T12:00:00Z')).toEqual(['saasmon_dr_rto_ready 0']);
  });

  it('is not ready when the newest test passed but recovered slower than the RTO target', async () => {
    const config = db.config({ dr: { rtoTargetSeconds: 599 } });
    expect(await collectLines(drCollector, config, new Date('2026-03-01T00:00:00Z'), /^saasmon_dr_rto_ready/)).toEqual([
      'saasmon_dr_rto_ready 0',
    ]);
  });

  it('leaves RPO exposure absent and not compliant when there was never a backup', async () => {
    expect(await collectLines(drCollector, db.config(), T, /^saasmon_dr_rpo_(exposure|compliant)/)).toEqual(['saasmon_dr_rpo_compliant 0']);
  });
});

describe('the monitored database (local Postgres: archiver off, no standbys)', () => {
  let db: TestSchema;
  let archivedAt: Date | null;
  let standbys: number;
  beforeAll(async () => {
    db = await createTestSchema('dr_mon');
    await db.insert('backups', [
      {
        id: 'b1',
        kind: 'full',
        location: 'x',
        status: 'succeeded',
        started_at: '2026-06-15T10:00:00Z',
        completed_at: '2026-06-15T11:00:00Z',
      },
    ]);
    // What this server says, so that the test holds whatever the local archive_mode is.
    archivedAt = (await db.pool.query<{ t: Date | null }>('SELECT last_archived_time AS t FROM pg_stat_archiver')).rows[0]?.t ?? null;
    standbys = (await db.pool.query('SELECT 1 FROM pg_stat_replication')).rowCount ?? 0;
  });
  afterAll(() => db.close());

  const expectedServerLines = (now: Date) =>
    archivedAt && archivedAt <= now ? [`saasmon_pg_wal_archive_last_timestamp_seconds ${archivedAt.getTime() / 1000}`] : [];

  it('reads the SaaS database itself when no monitored database is configured', async () => {
    const now = new Date();
    const lines = await collectLines(drCollector, db.config(), now, SERVER_STATS);
    if (standbys === 0) expect(lines).toEqual(expectedServerLines(now));
    expect(lines.filter((l) => l.startsWith('saasmon_pg_wal'))).toEqual(expectedServerLines(now));
  });

  it('reads a monitored database connection when given one', async () => {
    const now = new Date();
    const lines = await collectWithMonitored(db.config(), now, (client) => client);
    expect(lines.filter((l) => l.startsWith('saasmon_pg_wal'))).toEqual(expectedServerLines(now));
    if (standbys === 0) expect(lines.filter((l) => SERVER_STATS.test(l))).toEqual(expectedServerLines(now));
    expect(lines).toContain('saasmon_backup_failed_24h{kind="full",location="x"} 0');
  });

  it('reads no server statistics when told the SaaS database is only a copy', async () => {
    const config = db.config({ dr: { serverStatsFromSaasDb: false } });
    expect(await collectLines(drCollector, config, new Date(), SERVER_STATS)).toEqual([]);
  });

  it('never fails the collector when the monitored database refuses every query', async () => {
    const refusing: Queryable = {
      query: () => Promise.reject(new Error('permission denied for view pg_stat_archiver')),
    };
    const lines = await collectWithMonitored(db.config(), T, () => refusing);
    expect(lines.filter((l) => SERVER_STATS.test(l))).toEqual([]);
    expect(lines).toContain('saasmon_dr_rpo_exposure_seconds 3600');
    expect(lines).toContain('saasmon_dr_rpo_compliant 1');
  });

  it('keeps the transaction usable when a statistics query fails on the same connection', async () => {
    let afterwards: unknown;
    const lines = await collectWithMonitored(
      db.config(),
      T,
      // The archiver read fails inside the collector's own transaction (as without permission).
      (client) =>
        ({
          query: (sql: string, values?: unknown[]) =>
            client.query(sql === SQL_WAL_ARCHIVER ? 'SELECT * FROM pg_no_such_view' : sql, values),
        }) as Queryable,
      async (client) => {
        afterwards = (await client.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one;
      },
    );
    expect(afterwards).toBe(1);
    expect(lines.filter((l) => l.startsWith('saasmon_pg_wal'))).toEqual([]);
    expect(lines).toContain('saasmon_dr_rpo_exposure_seconds 3600');
  });
});
