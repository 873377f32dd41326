import { ageState, DrFacts, drStatusRows, DrTargets, newestTest, rpoExposureSeconds, rtoReady } from './dr';
import { standbysFromRows } from '../reads/dr';

const NOW = Date.parse('2026-06-15T12:00:00Z');
const TARGETS: DrTargets = { rpoTargetSeconds: 3600, rtoTargetSeconds: 3600, testCadenceDays: 90 };
const facts = (over: Partial<DrFacts> = {}): DrFacts => ({
  backups: [],
  tests: [],
  server: { walArchiveLastMs: undefined, standbys: [] },
  ...over,
});

it('ageState: ok up to the limit, warn up to twice, fail beyond or never', () => {
  expect([0, 3600, 3601, 7200, 7201, undefined].map((a) => ageState(a, 3600))).toEqual(['ok', 'ok', 'warn', 'warn', 'fail', 'fail']);
});

it('the WAL archiver counts as a recovery point, but not after T', () => {
  const backups = [
    { kind: 'full', location: 'x', lastSuccessMs: NOW - 7_200_000, lastVerifiedMs: undefined, lastFailureMs: undefined, failed24h: 0 },
  ];
  expect(rpoExposureSeconds(facts({ backups }), NOW)).toBe(7200);
  expect(rpoExposureSeconds(facts({ backups, server: { walArchiveLastMs: NOW - 60_000, standbys: [] } }), NOW)).toBe(60);
  expect(rpoExposureSeconds(facts({ backups, server: { walArchiveLastMs: NOW + 60_000, standbys: [] } }), NOW)).toBe(7200);
  expect(rpoExposureSeconds(facts({ server: { walArchiveLastMs: NOW - 60_000, standbys: [] } }), NOW)).toBe(60);
});

it('newestTest: a failing test at the same instant as a passing one wins the tie', () => {
  const pass = { kind: 'backup_restore', testedMs: NOW - 1000, result: 'pass', recoverySeconds: 10 };
  const fail = { kind: 'full_failover', testedMs: NOW - 1000, result: 'partial', recoverySeconds: 10 };
  expect(newestTest([pass, fail])).toBe(fail);
  expect(newestTest([fail, pass])).toBe(fail);
  expect(rtoReady(facts({ tests: [pass, fail] }), TARGETS, NOW)).toBe(false);
  expect(rtoReady(facts({ tests: [pass] }), TARGETS, NOW)).toBe(true);
});

it('standby labels: application_name, else client address; shared names told apart; lag NULL is 0 only when streaming', () => {
  const row = (application_name: string | null, client_addr: string | null, pid: number, state: string | null, lag: number | null) => ({
    application_name,
    client_addr,
    pid,
    state,
    replay_lag_seconds: lag,
  });
  expect(
    standbysFromRows([
      row('replica-a', '10.0.0.1', 1, 'streaming', 0.25),
      row('', '10.0.0.2', 2, 'streaming', null),
      row('walreceiver', '10.0.0.3', 3, 'streaming', 2),
      row('walreceiver', '10.0.0.4', 4, 'streaming', 3),
      // starting up, and hidden without pg_read_all_stats: unknown, no series
      row('replica-b', '10.0.0.5', 5, 'catchup', null),
      row(null, null, 6, null, null),
    ]),
  ).toEqual([
    { standby: 'replica-a', lagSeconds: 0.25 },
    { standby: '10.0.0.2', lagSeconds: 0 },
    { standby: 'walreceiver@10.0.0.3/3', lagSeconds: 2 },
    { standby: 'walreceiver@10.0.0.4/4', lagSeconds: 3 },
  ]);
});

it('the matrix adds WAL archiver and replication rows only when the server could be read', () => {
  const server = { walArchiveLastMs: NOW - 5_000_000, standbys: [{ standby: 'replica-a', lagSeconds: 12 }] };
  const rows = drStatusRows(facts({ server }), TARGETS, NOW).filter((r) => r.check === 'wal_archiver' || r.check === 'replication_lag');
  expect(rows.map((r) => [r.check, r.location, r.state, r.value])).toEqual([
    ['replication_lag', 'replica-a', 'ok', 12],
    ['wal_archiver', 'all', 'warn', 5000],
  ]);
  expect(drStatusRows(facts(), TARGETS, NOW).some((r) => r.check === 'wal_archiver' || r.check === 'replication_lag')).toBe(false);
});
