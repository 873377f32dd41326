/**
 * Disaster recovery (docs/metrics.md, "Disaster recovery") as plain functions over the facts
 * read at T (reads/dr.ts): RPO exposure, RTO readiness and the per-check states of the DR
 * health matrix. Instants are Unix milliseconds; undefined means "never" (no such row at or
 * before T), which is never turned into 0.
 */

/** Backup kinds whose success bounds data loss (escrow exports are copies for customers, not restores). */
export const RPO_BACKUP_KINDS: readonly string[] = ['full', 'incremental', 'wal_archive'];

export interface DrTargets {
  rpoTargetSeconds: number;
  rtoTargetSeconds: number;
  testCadenceDays: number;
  /** Per backup kind, the age above which its last success is stale; the RPO target when unset. */
  backupMaxAgeSeconds?: Partial<Record<string, number>>;
}

/** One (kind, location) of backups seen at or before T. */
export interface BackupGroup {
  kind: string;
  location: string;
  lastSuccessMs: number | undefined;
  lastVerifiedMs: number | undefined;
  /** Failure instant = completed_at, or started_at when a failed row has no completed_at. */
  lastFailureMs: number | undefined;
  failed24h: number;
}

/** The newest DR test of one kind at or before T. */
export interface DrTestLatest {
  kind: string;
  testedMs: number;
  result: string;
  recoverySeconds: number;
}

export interface Standby {
  standby: string;
  lagSeconds: number;
}

/** What the monitored database's own statistics say; undefined/empty when unreadable. */
export interface ServerStats {
  walArchiveLastMs: number | undefined;
  standbys: Standby[];
}

export interface DrFacts {
  backups: BackupGroup[];
  tests: DrTestLatest[];
  server: ServerStats;
}

export const NO_SERVER_STATS: ServerStats = { walArchiveLastMs: undefined, standbys: [] };

/** The age above which a backup kind's last success is stale: its own limit, else the RPO target. */
export function backupMaxAgeSeconds(t: DrTargets, kind: string): number {
  return t.backupMaxAgeSeconds?.[kind] ?? t.rpoTargetSeconds;
}

export function testCadenceSeconds(t: DrTargets): number {
  return t.testCadenceDays * 86_400;
}

/** Newest instant that bounds data loss: succeeded full/incremental/WAL backups, and the WAL archiver. */
export function newestRecoveryPointMs(facts: DrFacts, nowMs: number): number | undefined {
  const instants = facts.backups
    .filter((b) => RPO_BACKUP_KINDS.includes(b.kind))
    .map((b) => b.lastSuccessMs)
    .concat(facts.server.walArchiveLastMs)
    .filter((ms): ms is number => ms !== undefined && ms <= nowMs);
  return instants.length > 0 ? Math.max(...instants) : undefined;
}

/** T minus the newest recovery point, in seconds; undefined when there was never one. */
export function rpoExposureSeconds(facts: DrFacts, nowMs: number): number | undefined {
  const newest = newestRecoveryPointMs(facts, nowMs);
  return newest === undefined ? undefined : (nowMs - newest) / 1000;
}

/** Exposure within target; false when there was never a backup. */
export function rpoCompliant(facts: DrFacts, t: DrTargets, nowMs: number): boolean {
  const exposure = rpoExposureSeconds(facts, nowMs);
  return exposure !== undefined && exposure <= t.rpoTargetSeconds;
}

export function testPassed(test: DrTestLatest): boolean {
  return test.result === 'pass';
}

/**
 * The newest DR test over all kinds. Tests of different kinds at the very same instant are all
 * "the newest": the least favourable one is returned, so a tie never hides a failure.
 */
export function newestTest(tests: readonly DrTestLatest[]): DrTestLatest | undefined {
  let newest: DrTestLatest | undefined;
  for (const test of tests) {
    if (!newest || test.testedMs > newest.testedMs || (test.testedMs === newest.testedMs && testPassed(newest) && !testPassed(test))) {
      newest = test;
    }
  }
  return newest;
}

/** Why a DR test does not make the system RTO ready; empty when it does. */
export function rtoProblems(test: DrTestLatest | undefined, t: DrTargets, nowMs: number): string[] {
  if (!test) return ['no DR test recorded'];
  const problems: string[] = [];
  if (!testPassed(test)) problems.push(`result ${test.result}`);
  if (test.recoverySeconds > t.rtoTargetSeconds) {
    problems.push(`recovery ${test.recoverySeconds} s above RTO target ${t.rtoTargetSeconds} s`);
  }
  if ((nowMs - test.testedMs) / 1000 > testCadenceSeconds(t)) problems.push(`older than ${t.testCadenceDays} days`);
  return problems;
}

/** RTO ready: the newest DR test passed, recovered within the RTO target, and is within the cadence. */
export function rtoReady(facts: DrFacts, t: DrTargets, nowMs: number): boolean {
  return rtoProblems(newestTest(facts.tests), t, nowMs).length === 0;
}

// ---- Health matrix ------------------------------------------------------------------------------

export type DrState = 'ok' | 'warn' | 'fail';

export interface DrStatusRow {
  /** e.g. last_backup_full, verified_backup, failed_backups_24h, dr_test_backup_restore, rpo, rto_ready, replication_lag. */
  check: string;
  /** Backup location, the standby for replication_lag, or 'all' for checks that have none (DR tests, RPO, RTO). */
  location: string;
  state: DrState;
  value: number | undefined;
  unit: 's' | 'count';
  detail: string;
}

export const ALL_LOCATIONS = 'all';

/** ok up to the limit, warn up to twice the limit, fail beyond (and fail when never). */
export function ageState(ageSeconds: number | undefined, limitSeconds: number): DrState {
  if (ageSeconds === undefined) return 'fail';
  if (ageSeconds <= limitSeconds) return 'ok';
  return ageSeconds <= 2 * limitSeconds ? 'warn' : 'fail';
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 120) return `${s} s`;
  if (s < 7_200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 360) / 10} h`;
  return `${Math.round(s / 8_640) / 10} d`;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function ageSeconds(ms: number | undefined, nowMs: number): number | undefined {
  return ms === undefined ? undefined : (nowMs - ms) / 1000;
}

function backupRows(b: BackupGroup, t: DrTargets, nowMs: number): DrStatusRow[] {
  const limit = backupMaxAgeSeconds(t, b.kind);
  const age = ageSeconds(b.lastSuccessMs, nowMs);
  return [
    {
      check: `last_backup_${b.kind}`,
      location: b.location,
      state: ageState(age, limit),
      value: age,
      unit: 's',
      detail: age === undefined ? 'no successful backup' : `last success ${formatDuration(age)} ago (limit ${formatDuration(limit)})`,
    },
  ];
}

function verifiedRow(location: string, groups: readonly BackupGroup[], t: DrTargets, nowMs: number): DrStatusRow {
  const verified = groups.map((g) => g.lastVerifiedMs).filter((ms): ms is number => ms !== undefined);
  const age = ageSeconds(verified.length > 0 ? Math.max(...verified) : undefined, nowMs);
  const cadence = testCadenceSeconds(t);
  return {
    check: 'verified_backup',
    location,
    state: ageState(age, cadence),
    value: age,
    unit: 's',
    detail:
      age === undefined
        ? 'no backup ever verified by a restore'
        : `last verified ${formatDuration(age)} ago (cadence ${t.testCadenceDays} d)`,
  };
}

/**
 * Failures in (T-24h, T]: ok when none; warn when every kind that failed has succeeded since its
 * last failure (recovered); fail when some kind's latest outcome is still a failure.
 */
function failuresRow(location: string, groups: readonly BackupGroup[]): DrStatusRow {
  const failed = groups.filter((g) => g.failed24h > 0);
  const count = failed.reduce((n, g) => n + g.failed24h, 0);
  const unrecovered = failed.filter(
    (g) => g.lastSuccessMs === undefined || (g.lastFailureMs !== undefined && g.lastFailureMs > g.lastSuccessMs),
  );
  let state: DrState = 'ok';
  let detail = 'no failed backup in 24 h';
  if (unrecovered.length > 0) {
    state = 'fail';
    detail = `${count} failed in 24 h; latest attempt failed: ${unrecovered.map((g) => g.kind).join(', ')}`;
  } else if (count > 0) {
    state = 'warn';
    detail = `${count} failed in 24 h; succeeded since: ${failed.map((g) => g.kind).join(', ')}`;
  }
  return { check: 'failed_backups_24h', location, state, value: count, unit: 'count', detail };
}

/** A DR test of one kind: fail when not passed, recovery above RTO, or older than 2x cadence; warn when older than the cadence. */
function testRow(test: DrTestLatest, t: DrTargets, nowMs: number): DrStatusRow {
  const age = (nowMs - test.testedMs) / 1000;
  const cadenceState = ageState(age, testCadenceSeconds(t));
  const failed = !testPassed(test) || test.recoverySeconds > t.rtoTargetSeconds;
  return {
    check: `dr_test_${test.kind}`,
    location: ALL_LOCATIONS,
    state: failed ? 'fail' : cadenceState,
    value: age,
    unit: 's',
    detail: `${test.result}, recovery ${formatDuration(test.recoverySeconds)} (RTO target ${formatDuration(
      t.rtoTargetSeconds,
    )}), tested ${formatDuration(age)} ago`,
  };
}

function rpoRow(facts: DrFacts, t: DrTargets, nowMs: number): DrStatusRow {
  const exposure = rpoExposureSeconds(facts, nowMs);
  return {
    check: 'rpo',
    location: ALL_LOCATIONS,
    state: ageState(exposure, t.rpoTargetSeconds),
    value: exposure,
    unit: 's',
    detail:
      exposure === undefined ? 'no backup ever' : `exposure ${formatDuration(exposure)} (target ${formatDuration(t.rpoTargetSeconds)})`,
  };
}

function rtoRow(facts: DrFacts, t: DrTargets, nowMs: number): DrStatusRow {
  const test = newestTest(facts.tests);
  const problems = rtoProblems(test, t, nowMs);
  return {
    check: 'rto_ready',
    location: ALL_LOCATIONS,
    state: problems.length === 0 ? 'ok' : 'fail',
    value: problems.length === 0 ? 1 : 0,
    unit: 'count',
    detail: problems.length === 0 ? `newest DR test (${test?.kind}) meets the RTO target` : problems.join('; '),
  };
}

/** Monitored-server rows, only where they could be read: WAL archiver age and each standby's lag, vs the RPO target. */
function serverRows(server: ServerStats, t: DrTargets, nowMs: number): DrStatusRow[] {
  const rows: DrStatusRow[] = [];
  const archiveAge = ageSeconds(server.walArchiveLastMs, nowMs);
  if (archiveAge !== undefined) {
    rows.push({
      check: 'wal_archiver',
      location: ALL_LOCATIONS,
      state: ageState(archiveAge, t.rpoTargetSeconds),
      value: archiveAge,
      unit: 's',
      detail: `last WAL segment archived ${formatDuration(archiveAge)} ago`,
    });
  }
  for (const s of server.standbys) {
    rows.push({
      check: 'replication_lag',
      location: s.standby,
      state: ageState(s.lagSeconds, t.rpoTargetSeconds),
      value: s.lagSeconds,
      unit: 's',
      detail: `replay lag ${formatDuration(s.lagSeconds)} (RPO target ${formatDuration(t.rpoTargetSeconds)})`,
    });
  }
  return rows;
}

/**
 * The DR health matrix, one row per (check, location), sorted by check then location:
 * rpo, rto_ready, last_backup_<kind> per location, verified_backup and failed_backups_24h per
 * location, dr_test_<kind>, and where the monitored server could be read wal_archiver and
 * replication_lag per standby. With no backups (or no DR tests) at all, one failing row says so.
 */
export function drStatusRows(facts: DrFacts, t: DrTargets, nowMs: number): DrStatusRow[] {
  const rows: DrStatusRow[] = [rpoRow(facts, t, nowMs), rtoRow(facts, t, nowMs)];
  if (facts.backups.length === 0) {
    rows.push({ check: 'last_backup', location: ALL_LOCATIONS, state: 'fail', value: undefined, unit: 's', detail: 'no backup recorded' });
  }
  for (const b of facts.backups) rows.push(...backupRows(b, t, nowMs));
  const locations = [...new Set(facts.backups.map((b) => b.location))];
  for (const location of locations) {
    const groups = facts.backups.filter((b) => b.location === location);
    rows.push(verifiedRow(location, groups, t, nowMs), failuresRow(location, groups));
  }
  if (facts.tests.length === 0) {
    rows.push({ check: 'dr_test', location: ALL_LOCATIONS, state: 'fail', value: undefined, unit: 's', detail: 'no DR test recorded' });
  }
  for (const test of facts.tests) rows.push(testRow(test, t, nowMs));
  rows.push(...serverRows(facts.server, t, nowMs));
  return rows.sort((a, b) => compareText(a.check, b.check) || compareText(a.location, b.location));
}
