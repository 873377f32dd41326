import { readDrFacts, serverStatsSource } from '../reads/dr';
import {
  backupMaxAgeSeconds,
  DrFacts,
  DrTargets,
  rpoCompliant,
  rpoExposureSeconds,
  rtoReady,
  testCadenceSeconds,
  testPassed,
} from '../domain/dr';
import { Logger } from '../logger';
import { counter, family, gauge, MetricFamily } from '../metrics/family';
import { capSeries, DroppedSeriesTotal } from './cardinality-cap';
import { Collector } from './collector';

// Disaster recovery: backups, RPO/RTO, DR tests, WAL archiving and replication
// (docs/metrics.md, "Disaster recovery"). The SQL lives in reads/dr.ts
// (SQL_BACKUP_GROUPS, SQL_LATEST_DR_TESTS, SQL_WAL_ARCHIVER, SQL_REPLICATION), shared with the
// dr_status query so that the metrics and the health matrix always agree.

const NAME = 'dr' as const;
const INTERVAL_SECONDS = 60;

const metrics = {
  backupLastSuccess: gauge(
    'saasmon_backup_last_success_timestamp_seconds',
    'Unix time of the newest succeeded backup (completed_at), per kind and location.',
    ['kind', 'location'],
  ),
  backupLastVerified: gauge(
    'saasmon_backup_last_verified_timestamp_seconds',
    'Unix time of the newest successful restore test of a backup (verified_at), per kind and location.',
    ['kind', 'location'],
  ),
  backupMaxAge: gauge(
    'saasmon_backup_max_age_seconds',
    'Configured age of the last success above which a backup kind is stale (dr.backupMaxAgeSeconds, else the RPO target), per kind seen.',
    ['kind'],
  ),
  backupFailed24h: gauge(
    'saasmon_backup_failed_24h',
    'Backups that failed in the last 24 hours (at completed_at, else started_at), per kind and location ever seen.',
    ['kind', 'location'],
  ),
  rpoExposure: gauge(
    'saasmon_dr_rpo_exposure_seconds',
    'Seconds since the newest recovery point (succeeded full/incremental/wal_archive backup, or the WAL archiver); absent when none.',
  ),
  rpoTarget: gauge('saasmon_dr_rpo_target_seconds', 'Configured recovery point objective, in seconds.'),
  rtoTarget: gauge('saasmon_dr_rto_target_seconds', 'Configured recovery time objective, in seconds.'),
  rpoCompliant: gauge(
    'saasmon_dr_rpo_compliant',
    '1 when RPO exposure is within the RPO target, else 0 (0 when there was never a backup).',
  ),
  rtoReady: gauge(
    'saasmon_dr_rto_ready',
    '1 when the newest DR test passed, recovered within the RTO target and is within the test cadence, else 0.',
  ),
  testCadence: gauge('saasmon_dr_test_cadence_seconds', 'Configured maximum age of the newest DR test, in seconds.'),
  lastTest: gauge('saasmon_dr_last_test_timestamp_seconds', 'Unix time of the newest DR test, per kind.', ['kind']),
  lastTestPassed: gauge('saasmon_dr_last_test_passed', '1 when the newest DR test of the kind passed, else 0.', ['kind']),
  lastTestRecovery: gauge('saasmon_dr_last_test_recovery_seconds', 'Measured recovery time of the newest DR test, per kind.', ['kind']),
  replicationLag: gauge(
    'saasmon_pg_replication_lag_seconds',
    'Replay lag of each standby of the monitored database (pg_stat_replication.replay_lag).',
    ['standby'],
  ),
  backupSeriesDropped: gauge(
    'saasmon_backup_series_dropped_last_run',
    'Per-(kind, location) backup series left out by the dr.maxBackupSeries cap in the last run.',
  ),
  backupSeriesDroppedTotal: counter(
    'saasmon_backup_series_dropped_total',
    'Per-(kind, location) backup series left out by the dr.maxBackupSeries cap, summed over runs since the exporter started.',
  ),
  walArchiveLast: gauge(
    'saasmon_pg_wal_archive_last_timestamp_seconds',
    'Unix time of the last WAL segment archived by the monitored database (pg_stat_archiver).',
  ),
};

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);
const bit = (b: boolean) => (b ? 1 : 0);

type BackupGroup = DrFacts['backups'][number];

/** What needs attention first: groups with failures, then the stalest (never succeeded first). */
export function byBackupAttention(a: BackupGroup, b: BackupGroup): number {
  return (
    b.failed24h - a.failed24h ||
    (a.lastSuccessMs ?? -Infinity) - (b.lastSuccessMs ?? -Infinity) ||
    a.kind.localeCompare(b.kind) ||
    a.location.localeCompare(b.location)
  );
}

export interface BackupSeriesCap {
  maxBackupSeries: number;
  droppedTotal: DroppedSeriesTotal;
}

/**
 * `location` is free text from the ingest API, so the per-(kind, location) series are capped
 * (cap.maxBackupSeries, failing and stalest kept): a sender inventing locations cannot grow
 * /metrics without bound. The RPO and other summaries are computed from every group.
 */
export function drFamilies(facts: DrFacts, t: DrTargets, now: Date, cap?: BackupSeriesCap): MetricFamily[] {
  const nowMs = now.getTime();
  const { kept, dropped } = cap ? capSeries(facts.backups, cap.maxBackupSeries, byBackupAttention) : { kept: facts.backups, dropped: 0 };
  const byGroup = (value: (b: BackupGroup) => number | undefined) =>
    kept.map((b) => ({ labels: { kind: b.kind, location: b.location }, value: value(b) }));
  const byKind = (value: (d: DrFacts['tests'][number]) => number) =>
    facts.tests.map((d) => ({ labels: { kind: d.kind }, value: value(d) }));
  return [
    family(
      metrics.backupLastSuccess,
      byGroup((b) => seconds(b.lastSuccessMs)),
    ),
    family(
      metrics.backupLastVerified,
      byGroup((b) => seconds(b.lastVerifiedMs)),
    ),
    family(
      metrics.backupMaxAge,
      [...new Set(facts.backups.map((b) => b.kind))].sort().map((kind) => ({ labels: { kind }, value: backupMaxAgeSeconds(t, kind) })),
    ),
    family(
      metrics.backupFailed24h,
      byGroup((b) => b.failed24h),
    ),
    family(metrics.rpoExposure, rpoExposureSeconds(facts, nowMs)),
    family(metrics.rpoTarget, t.rpoTargetSeconds),
    family(metrics.rtoTarget, t.rtoTargetSeconds),
    family(metrics.rpoCompliant, bit(rpoCompliant(facts, t, nowMs))),
    family(metrics.rtoReady, bit(rtoReady(facts, t, nowMs))),
    family(metrics.testCadence, testCadenceSeconds(t)),
    family(
      metrics.lastTest,
      byKind((d) => d.testedMs / 1000),
    ),
    family(
      metrics.lastTestPassed,
      byKind((d) => bit(testPassed(d))),
    ),
    family(
      metrics.lastTestRecovery,
      byKind((d) => d.recoverySeconds),
    ),
    family(
      metrics.replicationLag,
      facts.server.standbys.map((s) => ({ labels: { standby: s.standby }, value: s.lagSeconds })),
    ),
    family(metrics.walArchiveLast, seconds(facts.server.walArchiveLastMs)),
    ...(cap ? [family(metrics.backupSeriesDropped, dropped), family(metrics.backupSeriesDroppedTotal, cap.droppedTotal.add(dropped))] : []),
  ];
}

/** One collector instance owns its dropped-series running total; `log` hears when the cap starts or stops dropping. */
export function createDrCollector(log?: Logger): Collector {
  const droppedTotal = new DroppedSeriesTotal();
  let lastDropped = 0;
  return {
    name: NAME,
    defaultIntervalSeconds: INTERVAL_SECONDS,
    metrics: Object.values(metrics),
    readsMonitoredDb: true,
    async collect({ db, now, config, monitoredDb }) {
      const statsDb = serverStatsSource(db, monitoredDb, config.dr.serverStatsFromSaasDb);
      const facts = await readDrFacts(db, now, statsDb);
      const before = droppedTotal.value;
      const families = drFamilies(facts, config.dr, now, { maxBackupSeries: config.dr.maxBackupSeries, droppedTotal });
      const dropped = droppedTotal.value - before;
      if (dropped !== lastDropped) {
        log?.warn('dr: backup series over dr.maxBackupSeries dropped', {
          dropped,
          groups: facts.backups.length,
          max: config.dr.maxBackupSeries,
        });
      }
      lastDropped = dropped;
      return families;
    },
  };
}

export const drCollector: Collector = createDrCollector();
