import { toCount, toNumberOrUndefined, toUnixSeconds } from '../db/parse';
import { family, gauge } from '../metrics/family';
import { Collector } from './collector';
import { sqlDaysBefore } from '../reads/window';

// Operations: incidents and releases (docs/metrics.md, "Operations").

const NAME = 'operations' as const;
const INTERVAL_SECONDS = 60;

const metrics = {
  incidentsOpen: gauge('saasmon_incidents_open', 'Incidents not resolved (resolved_at is null), by severity.', ['severity']),
  incidentMttr: gauge(
    'saasmon_incident_mttr_30d_seconds',
    'Mean time to resolve, in seconds, over incidents resolved in the last 30 days; absent when none.',
  ),
  releaseLast: gauge('saasmon_release_last_timestamp_seconds', 'Unix time of the newest release deployment.'),
  rollbacks: gauge('saasmon_rollbacks_30d', 'Releases rolled back in the last 30 days.'),
};

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

export const operationsCollector: Collector = {
  name: NAME,
  defaultIntervalSeconds: INTERVAL_SECONDS,
  metrics: Object.values(metrics),
  async collect({ db, now }) {
    // One client, one transaction: queries run one after another.
    const open = await db.query<IncidentOpenRow>(SQL_INCIDENTS_OPEN);
    const mttr = await db.query<MttrRow>(SQL_INCIDENT_MTTR, [now]);
    const releases = await db.query<ReleasesRow>(SQL_RELEASES, [now]);
    const rel = releases.rows[0];
    return [
      family(
        metrics.incidentsOpen,
        open.rows.map((r) => ({ labels: { severity: r.severity }, value: toCount(r.open) })),
      ),
      family(metrics.incidentMttr, toNumberOrUndefined(mttr.rows[0]?.mttr_seconds)),
      family(metrics.releaseLast, toUnixSeconds(rel?.last_deployed_at)),
      family(metrics.rollbacks, toCount(rel?.rollbacks)),
    ];
  },
};
