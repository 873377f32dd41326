import { toUnixSeconds } from '../db/parse';
import { family, gauge } from '../metrics/family';
import { Collector } from './collector';
import { readOperationsFacts } from '../reads/operations';

// Operations: incidents and releases (docs/metrics.md, "Operations"); reads in reads/operations.ts.

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

export const operationsCollector: Collector = {
  name: NAME,
  defaultIntervalSeconds: INTERVAL_SECONDS,
  metrics: Object.values(metrics),
  async collect({ db, now }) {
    const f = await readOperationsFacts(db, now);
    return [
      family(
        metrics.incidentsOpen,
        f.incidentsOpen.map((r) => ({ labels: { severity: r.severity }, value: r.open })),
      ),
      family(metrics.incidentMttr, f.incidentMttr30dSeconds),
      family(metrics.releaseLast, toUnixSeconds(f.lastReleaseAt)),
      family(metrics.rollbacks, f.rollbacks30d),
    ];
  },
};
