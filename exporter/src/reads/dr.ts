import { Queryable, sharesNoTransaction } from '../db/pool';
import { toCount, toNumberOrUndefined } from '../db/parse';
import { BackupGroup, DrFacts, DrTestLatest, NO_SERVER_STATS, ServerStats, Standby } from '../domain/dr';
import { sqlDaysBefore } from './window';

/**
 * Reads the DR facts at T, for both the dr collector and the dr_status query, so that the metric
 * and the health matrix can never disagree. Only rows with their instants at or before T count.
 */

// A (kind, location) is "seen" once a backup of it started at or before T. A failed backup's
// instant is when it failed (completed_at), or started_at when the loader left completed_at null.
export const SQL_BACKUP_GROUPS = `
SELECT kind, location,
       max(completed_at) FILTER (WHERE status = 'succeeded' AND completed_at <= $1::timestamptz) AS last_success_at,
       max(verified_at) FILTER (WHERE verified_at <= $1::timestamptz) AS last_verified_at,
       max(coalesce(completed_at, started_at))
         FILTER (WHERE status = 'failed' AND coalesce(completed_at, started_at) <= $1::timestamptz) AS last_failure_at,
       count(*) FILTER (WHERE status = 'failed'
                          AND coalesce(completed_at, started_at) > ${sqlDaysBefore('$1::timestamptz', 1)}
                          AND coalesce(completed_at, started_at) <= $1::timestamptz) AS failed_24h
FROM backups
WHERE started_at <= $1::timestamptz
GROUP BY kind, location
ORDER BY kind, location`;

// Newest test per kind; on a tie at the same instant the non-passing one wins (never hides a failure).
export const SQL_LATEST_DR_TESTS = `
SELECT DISTINCT ON (kind) kind, tested_at, result, recovery_time_seconds
FROM dr_tests
WHERE tested_at <= $1::timestamptz
ORDER BY kind, tested_at DESC, (result = 'pass'), id`;

// Statistics views of the monitored server; readable inside a read-only transaction.
export const SQL_WAL_ARCHIVER = `SELECT last_archived_time FROM pg_stat_archiver`;

export const SQL_REPLICATION = `
SELECT application_name, host(client_addr) AS client_addr, pid, state,
       extract(epoch FROM replay_lag)::float8 AS replay_lag_seconds
FROM pg_stat_replication
ORDER BY application_name, client_addr, pid`;

interface BackupGroupRow {
  kind: string;
  location: string;
  last_success_at: Date | null;
  last_verified_at: Date | null;
  last_failure_at: Date | null;
  failed_24h: string;
}

interface DrTestRow {
  kind: string;
  tested_at: Date;
  result: string;
  recovery_time_seconds: number;
}

interface ArchiverRow {
  last_archived_time: Date | null;
}

interface ReplicationRow {
  application_name: string | null;
  client_addr: string | null;
  pid: number | null;
  state: string | null;
  replay_lag_seconds: number | null;
}

const ms = (d: Date | null): number | undefined => (d === null ? undefined : d.getTime());

export async function readBackupGroups(db: Queryable, now: Date): Promise<BackupGroup[]> {
  const { rows } = await db.query<BackupGroupRow>(SQL_BACKUP_GROUPS, [now]);
  return rows.map((r) => ({
    kind: r.kind,
    location: r.location,
    lastSuccessMs: ms(r.last_success_at),
    lastVerifiedMs: ms(r.last_verified_at),
    lastFailureMs: ms(r.last_failure_at),
    failed24h: toCount(r.failed_24h),
  }));
}

export async function readLatestDrTests(db: Queryable, now: Date): Promise<DrTestLatest[]> {
  const { rows } = await db.query<DrTestRow>(SQL_LATEST_DR_TESTS, [now]);
  return rows.map((r) => ({
    kind: r.kind,
    testedMs: r.tested_at.getTime(),
    result: r.result,
    recoverySeconds: toCount(r.recovery_time_seconds),
  }));
}

/**
 * Runs one statistics query so that a failure (no permission, a view missing behind a pooler)
 * leaves the caller's transaction usable: inside a savepoint when there is a transaction.
 * undefined means "could not read", which the caller reports as absent series.
 */
async function tryRead<R extends object>(db: Queryable, sql: string): Promise<R[] | undefined> {
  let savepoint = !sharesNoTransaction(db);
  if (savepoint) {
    try {
      await db.query('SAVEPOINT saasmon_server_stats');
    } catch {
      savepoint = false;
    }
  }
  try {
    const { rows } = await db.query<R>(sql);
    if (savepoint) await db.query('RELEASE SAVEPOINT saasmon_server_stats');
    return rows;
  } catch {
    if (savepoint) await db.query('ROLLBACK TO SAVEPOINT saasmon_server_stats').catch(() => undefined);
    return undefined;
  }
}

/**
 * Replay lag per standby. A streaming standby with a NULL replay_lag has caught up with no WAL
 * traffic since (PostgreSQL then stops reporting lag): that is 0. Other NULLs (starting up, or
 * columns hidden without pg_read_all_stats) stay unknown, so no series.
 */
export function standbysFromRows(rows: readonly ReplicationRow[]): Standby[] {
  const base = (r: ReplicationRow) => r.application_name || r.client_addr || `pid-${r.pid ?? '?'}`;
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(base(r), (counts.get(base(r)) ?? 0) + 1);
  const standbys: Standby[] = [];
  for (const r of rows) {
    const lag = r.replay_lag_seconds ?? (r.state === 'streaming' ? 0 : undefined);
    if (lag === undefined) continue;
    // Standbys sharing an application_name (the default "walreceiver") are told apart by address and pid.
    const name = (counts.get(base(r)) ?? 0) > 1 ? `${base(r)}@${r.client_addr ?? 'local'}/${r.pid ?? '?'}` : base(r);
    standbys.push({ standby: name, lagSeconds: lag });
  }
  return standbys;
}

/** WAL archiver and replication of the monitored server; whatever cannot be read is left out. */
export async function readServerStats(db: Queryable, now: Date): Promise<ServerStats> {
  // Inside a transaction one savepoint at a time; standing alone, side by side.
  const [archiver, replication] = sharesNoTransaction(db)
    ? await Promise.all([tryRead<ArchiverRow>(db, SQL_WAL_ARCHIVER), tryRead<ReplicationRow>(db, SQL_REPLICATION)])
    : [await tryRead<ArchiverRow>(db, SQL_WAL_ARCHIVER), await tryRead<ReplicationRow>(db, SQL_REPLICATION)];
  const archivedMs = ms(archiver?.[0]?.last_archived_time ?? null);
  return {
    walArchiveLastMs: archivedMs !== undefined && archivedMs <= now.getTime() ? archivedMs : undefined,
    standbys: standbysFromRows(
      (replication ?? []).map((r) => ({ ...r, replay_lag_seconds: toNumberOrUndefined(r.replay_lag_seconds) ?? null })),
    ),
  };
}

/**
 * Where the server statistics come from: the monitored database when one is configured, else
 * the SaaS database itself (the same server) unless config says it is only a copy, else none.
 */
export function serverStatsSource(
  db: Queryable,
  monitoredDb: Queryable | undefined,
  serverStatsFromSaasDb: boolean,
): Queryable | undefined {
  return monitoredDb ?? (serverStatsFromSaasDb ? db : undefined);
}

/**
 * Everything DR at T. On ParallelReads the reads run side by side; on one transaction's
 * connection in turn (node-postgres does not pipeline), server statistics last so that nothing
 * else depends on them.
 */
export async function readDrFacts(db: Queryable, now: Date, statsDb: Queryable | undefined): Promise<DrFacts> {
  const server = () => (statsDb ? readServerStats(statsDb, now) : Promise.resolve(NO_SERVER_STATS));
  if (sharesNoTransaction(db)) {
    const [backups, tests, stats] = await Promise.all([readBackupGroups(db, now), readLatestDrTests(db, now), server()]);
    return { backups, tests, server: stats };
  }
  const backups = await readBackupGroups(db, now);
  const tests = await readLatestDrTests(db, now);
  return { backups, tests, server: await server() };
}
