import { createTestSchema, TestSchema } from '../../testing/db';
import { postJson, startTestService } from '../../testing/service';
import { RunningService } from '../../service';

const T = new Date('2026-06-15T12:00:00Z');
type Frame = { fields: Array<{ name: string; values: unknown[] }>; meta?: { notices?: Array<{ text: string }> } };
const col = (f: Frame | undefined, n: string) => f?.fields.find((x) => x.name === n)?.values;
/** The matrix as "check location state value" lines: easy to read against the hand computation. */
const matrix = (f: Frame | undefined) => {
  const [check, location, state, value] = ['check', 'location', 'state', 'value'].map((n) => col(f, n) ?? []);
  return (check ?? []).map((c, i) => `${String(c)} ${String(location?.[i])} ${String(state?.[i])} ${String(value?.[i])}`);
};

const DAY = 86_400;
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

describe('dr_status over a fixture', () => {
  let db: TestSchema;
  let svc: RunningService;
  const query = (body: Record<string, unknown> = { type: 'dr_status' }) => postJson(`${svc.url}/api/v1/query`, body);

  beforeAll(async () => {
    db = await createTestSchema('drstatus');
    // full backups are daily here: stale after 1 day; every other kind after the 1 h RPO target
    // (limits set explicitly: the defaults per kind are tested below)
    svc = await startTestService(db, { dr: { backupMaxAgeSeconds: { full: DAY, incremental: 3600, escrow_export: 3600 } } }, () => T);
    await db.insert('backups', [
      // us-east-1: full 11 h old (ok under 1 d), verified 9 h ago; incremental 1.5 h old (warn: 1-2x
      // RPO target), then its latest attempt failed at 11:05 (fail: not recovered)
      b('f1', 'full', 'us-east-1', 'succeeded', '2026-06-15T00:00:00Z', '2026-06-15T01:00:00Z', '2026-06-15T03:00:00Z'),
      b('i1', 'incremental', 'us-east-1', 'succeeded', '2026-06-15T10:00:00Z', '2026-06-15T10:30:00Z'),
      b('i2', 'incremental', 'us-east-1', 'failed', '2026-06-15T11:00:00Z', '2026-06-15T11:05:00Z'),
      // eu-west-1: WAL archive 30 min old (ok, and the RPO); full failed at 13:00 yesterday but
      // succeeded at 14:00 (22 h old: ok; failures warn: recovered); escrow 2 days old (fail vs 1 h),
      // verified 134.5 days ago (warn: between 1x and 2x the 90-day cadence)
      b('w1', 'wal_archive', 'eu-west-1', 'succeeded', '2026-06-15T11:20:00Z', '2026-06-15T11:30:00Z'),
      b('f2', 'full', 'eu-west-1', 'failed', '2026-06-14T12:30:00Z', '2026-06-14T13:00:00Z'),
      b('f3', 'full', 'eu-west-1', 'succeeded', '2026-06-14T13:10:00Z', '2026-06-14T14:00:00Z'),
      // (the verification is of an older export: a backup cannot be verified before it completed)
      b('x0', 'escrow_export', 'eu-west-1', 'succeeded', '2026-01-31T11:00:00Z', '2026-01-31T12:00:00Z', '2026-02-01T00:00:00Z'),
      b('x1', 'escrow_export', 'eu-west-1', 'succeeded', '2026-06-13T11:00:00Z', '2026-06-13T12:00:00Z'),
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
        kind: 'partial_recovery',
        tested_at: '2026-02-01T00:00:00Z',
        recovery_time_seconds: 600,
        data_loss_seconds: 0,
        result: 'pass',
      },
    ]);
  });
  afterAll(async () => {
    await svc.close();
    await db.close();
  });

  it('gives one row per check and location with its state and value', async () => {
    const res = await query();
    expect(res.status).toBe(200);
    const [f] = res.body.frames as Frame[];
    expect(f?.fields.map((x) => x.name)).toEqual(['check', 'location', 'state', 'level', 'value', 'unit', 'detail']);
    expect(matrix(f)).toEqual([
      `dr_test_backup_restore all ok ${14.5 * DAY}`,
      `dr_test_full_failover all fail ${5.5 * DAY}`,
      `dr_test_partial_recovery all warn ${134.5 * DAY}`,
      'failed_backups_24h eu-west-1 warn 1',
      'failed_backups_24h us-east-1 fail 1',
      `last_backup_escrow_export eu-west-1 fail ${2 * DAY}`,
      `last_backup_full eu-west-1 ok ${22 * 3600}`,
      `last_backup_full us-east-1 ok ${11 * 3600}`,
      'last_backup_incremental us-east-1 warn 5400',
      'last_backup_wal_archive eu-west-1 ok 1800',
      'rpo all ok 1800',
      'rto_ready all fail 0',
      `verified_backup eu-west-1 warn ${134.5 * DAY}`,
      `verified_backup us-east-1 ok ${9 * 3600}`,
    ]);
    expect(col(f, 'level')).toEqual([0, 2, 1, 1, 2, 2, 0, 0, 1, 0, 0, 2, 1, 0]);
    const detail = col(f, 'detail') as string[];
    expect(detail[11]).toBe('result fail; recovery 5400 s above RTO target 3600 s');
    expect(detail[4]).toBe('1 failed in 24 h; latest attempt failed: incremental');
    expect(detail[3]).toBe('1 failed in 24 h; succeeded since: full');
  });

  it('refuses unknown fields (strict body)', async () => {
    const res = await query({ type: 'dr_status', location: 'eu-west-1' });
    expect(res.status).toBe(400);
  });
});

describe('dr_status on an empty database', () => {
  let db: TestSchema;
  let svc: RunningService;
  beforeAll(async () => {
    db = await createTestSchema('drstatus_empty');
  });
  afterAll(async () => {
    await svc.close();
    await db.close();
  });

  it('fails RPO, RTO, backups and DR tests, with nothing to measure', async () => {
    svc = await startTestService(db, {}, () => T);
    const [f] = (await postJson(`${svc.url}/api/v1/query`, { type: 'dr_status' })).body.frames as Frame[];
    expect(matrix(f)).toEqual(['dr_test all fail null', 'last_backup all fail null', 'rpo all fail null', 'rto_ready all fail 0']);
    expect(f?.meta).toBeUndefined();
  });

  it('says so when a separate monitored database is configured (not read by the query API)', async () => {
    await svc.close();
    svc = await startTestService(db, { database: { monitoredUrl: db.url } }, () => T);
    const [f] = (await postJson(`${svc.url}/api/v1/query`, { type: 'dr_status' })).body.frames as Frame[];
    expect(f?.meta?.notices?.[0]?.text).toMatch(/dr collector metrics/);
  });
});

describe('dr_status with the default age limit of each backup kind', () => {
  let db: TestSchema;
  let svc: RunningService;
  beforeAll(async () => {
    db = await createTestSchema('drstatus_kinds');
    svc = await startTestService(db, {}, () => T);
    await db.insert('backups', [
      // full: 25 h old, under its 26 h limit (a daily backup, not "failed after 60 min"); 53 h: fail (> 2 x 26 h)
      b('f1', 'full', 'us-east-1', 'succeeded', '2026-06-14T10:00:00Z', '2026-06-14T11:00:00Z'),
      b('f2', 'full', 'eu-west-1', 'succeeded', '2026-06-13T06:00:00Z', '2026-06-13T07:00:00Z'),
      // incremental: 1.5 h old, under 2 h; escrow export: 6 days old, under 8 d; 9 days: warn
      b('i1', 'incremental', 'us-east-1', 'succeeded', '2026-06-15T10:00:00Z', '2026-06-15T10:30:00Z'),
      b('x1', 'escrow_export', 'us-east-1', 'succeeded', '2026-06-09T11:00:00Z', '2026-06-09T12:00:00Z'),
      b('x2', 'escrow_export', 'eu-west-1', 'succeeded', '2026-06-06T11:00:00Z', '2026-06-06T12:00:00Z'),
      // WAL archive: the RPO target (1 h): 70 min old is warn
      b('w1', 'wal_archive', 'us-east-1', 'succeeded', '2026-06-15T10:45:00Z', '2026-06-15T10:50:00Z'),
    ]);
  });
  afterAll(async () => {
    await svc.close();
    await db.close();
  });

  it('judges each kind against its own limit and says the limit', async () => {
    const [f] = (await postJson(`${svc.url}/api/v1/query`, { type: 'dr_status' })).body.frames as Frame[];
    const rows = matrix(f).filter((r) => r.startsWith('last_backup_'));
    expect(rows).toEqual([
      `last_backup_escrow_export eu-west-1 warn ${9 * DAY}`,
      `last_backup_escrow_export us-east-1 ok ${6 * DAY}`,
      `last_backup_full eu-west-1 fail ${53 * 3600}`,
      `last_backup_full us-east-1 ok ${25 * 3600}`,
      'last_backup_incremental us-east-1 ok 5400',
      'last_backup_wal_archive us-east-1 warn 4200',
    ]);
    const detail = (col(f, 'detail') as string[])[(col(f, 'check') as string[]).indexOf('last_backup_full') + 1];
    expect(detail).toBe('last success 25 h ago (limit 26 h)');
  });
});
