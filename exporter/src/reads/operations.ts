import { toCount, toNumberOrUndefined } from '../db/parse';
import { Queryable } from '../db/pool';
import { sqlDaysBefore } from './window';

// The operations family's reads: incidents and releases at T, for the operations collector and the
// status page (GET /api/v1/status).

// Every severity of the contract is listed so that a severity going to zero shows 0, not absent.
export const SQL_INCIDENTS_OPEN = `
SELECT s.severity, count(i.id) AS open
FROM unnest(ARRAY['critical', 'major', 'minor']) AS s(severity)
LEFT JOIN incidents i ON i.severity = s.severity AND i.resolved_at IS NULL
GROUP BY s.severity
UNION ALL
SELECT severity, count(*) FROM incidents
WHERE resolved_at IS NULL AND severity NOT IN ('critical', 'major', 'minor')
GROUP BY severity`;

export const SQL_INCIDENT_MTTR = `
SELECT avg(extract(epoch FROM resolved_at - started_at)) AS mttr_seconds
FROM incidents
WHERE resolved_at > ${sqlDaysBefore('$1::timestamptz', 30)} AND resolved_at <= $1::timestamptz`;

export const SQL_RELEASES = `
SELECT max(deployed_at) FILTER (WHERE deployed_at <= $1::timestamptz) AS last_deployed_at,
       count(*) FILTER (WHERE rolled_back_at > ${sqlDaysBefore('$1::timestamptz', 30)}
                          AND rolled_back_at <= $1::timestamptz) AS rollbacks
FROM releases`;

interface IncidentOpenRow {
  severity: string;
  open: string;
}
interface MttrRow {
  mttr_seconds: string | null;
}
interface ReleasesRow {
  last_deployed_at: Date | null;
  rollbacks: string;
}

export interface OperationsFacts {
  incidentsOpen: Array<{ severity: string; open: number }>;
  /** Mean seconds to resolve over incidents resolved in (T-30d, T]; undefined when none. */
  incidentMttr30dSeconds: number | undefined;
  lastReleaseAt: Date | null;
  rollbacks30d: number;
}

export async function readOperationsFacts(db: Queryable, now: Date): Promise<OperationsFacts> {
  // One client, one transaction: queries run one after another.
  const open = await db.query<IncidentOpenRow>(SQL_INCIDENTS_OPEN);
  const mttr = await db.query<MttrRow>(SQL_INCIDENT_MTTR, [now]);
  const releases = await db.query<ReleasesRow>(SQL_RELEASES, [now]);
  const rel = releases.rows[0];
  return {
    incidentsOpen: open.rows.map((r) => ({ severity: r.severity, open: toCount(r.open) })),
    incidentMttr30dSeconds: toNumberOrUndefined(mttr.rows[0]?.mttr_seconds),
    lastReleaseAt: rel?.last_deployed_at ?? null,
    rollbacks30d: toCount(rel?.rollbacks),
  };
}

export interface IncidentRow {
  id: string;
  title: string;
  severity: string;
  status: string;
  services: string[];
  started_at: Date;
  resolved_at: Date | null;
}

const INCIDENT_COLUMNS = 'id, title, severity, status, services, started_at, resolved_at';

const SQL_OPEN_INCIDENTS = `
SELECT ${INCIDENT_COLUMNS} FROM incidents
WHERE resolved_at IS NULL AND started_at <= $1::timestamptz ORDER BY started_at DESC, id`;

const SQL_INCIDENT_HISTORY = `
SELECT ${INCIDENT_COLUMNS} FROM incidents
WHERE started_at > ${sqlDaysBefore('$1::timestamptz', '$2::int')} AND started_at <= $1::timestamptz
ORDER BY started_at DESC, id`;

/** Incidents open at `now` (started by then, not resolved), newest first. */
export async function readOpenIncidents(db: Queryable, now: Date): Promise<IncidentRow[]> {
  return (await db.query<IncidentRow>(SQL_OPEN_INCIDENTS, [now])).rows;
}

/** Incidents started in the `days` before `now`, resolved or not, newest first. */
export async function readIncidentHistory(db: Queryable, now: Date, days: number): Promise<IncidentRow[]> {
  return (await db.query<IncidentRow>(SQL_INCIDENT_HISTORY, [now, days])).rows;
}

const SQL_INCIDENTS_OVERLAPPING = `
SELECT ${INCIDENT_COLUMNS}, extract(epoch FROM resolved_at - started_at)::float8 AS duration_seconds
FROM incidents
WHERE started_at < $2::timestamptz AND started_at <= $3::timestamptz
  AND (resolved_at IS NULL OR resolved_at >= $1::timestamptz)
  AND ($4::text[] IS NULL OR services && $4::text[])
ORDER BY started_at DESC, id
LIMIT $5`;

/**
 * Incidents overlapping [from, to) (started before `to`, and open or resolved at or after
 * `from`) and started by `now`, newest first; with `services`, those sharing one with it. The
 * duration is null while open.
 */
export async function readIncidentsOverlapping(
  db: Queryable,
  q: { from: string; to: string; now: Date; services: string[] | undefined; limit: number },
): Promise<Array<IncidentRow & { duration_seconds: number | null }>> {
  const services = q.services?.length ? q.services : null;
  return (
    await db.query<IncidentRow & { duration_seconds: number | null }>(SQL_INCIDENTS_OVERLAPPING, [q.from, q.to, q.now, services, q.limit])
  ).rows;
}
