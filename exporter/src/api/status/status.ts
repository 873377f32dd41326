import { fetchFiringAlerts, FiringAlert } from '../../alertmanager/client';
import { Config } from '../../config/schema';
import { Queryable } from '../../db/pool';
import { IncidentRow, readIncidentHistory, readOpenIncidents } from '../../reads/operations';

/**
 * The data of a status page: each service's current status from open incidents (their `services`)
 * and firing Alertmanager alerts (their service label), the overall status (the worst), and the
 * incident history. Statuses, best to worst: operational, degraded, partial_outage, major_outage.
 */
export const STATUSES = ['operational', 'degraded', 'partial_outage', 'major_outage'] as const;
export type ServiceStatus = (typeof STATUSES)[number];

const BY_INCIDENT: Record<string, ServiceStatus> = { minor: 'degraded', major: 'partial_outage', critical: 'major_outage' };
const BY_ALERT: Record<string, ServiceStatus> = { warning: 'degraded', critical: 'partial_outage' };
const worst = (a: ServiceStatus, b: ServiceStatus) => (STATUSES.indexOf(a) >= STATUSES.indexOf(b) ? a : b);

export type Cause =
  | { kind: 'incident'; id: string; title: string; severity: string; since: string }
  | { kind: 'alert'; alertname: string; severity: string; since: string };

export interface ServiceState {
  name: string;
  status: ServiceStatus;
  since: string | null;
  causes: Cause[];
}

/** Service statuses from open incidents and firing alerts; `listed` services appear even when fine. */
export function serviceStates(
  listed: readonly string[],
  open: readonly IncidentRow[],
  alerts: readonly FiringAlert[],
  serviceLabel: string,
): ServiceState[] {
  const states = new Map<string, ServiceState>(listed.map((name) => [name, { name, status: 'operational', since: null, causes: [] }]));
  const add = (name: string, status: ServiceStatus, cause: Cause) => {
    const s = states.get(name) ?? { name, status: 'operational' as ServiceStatus, since: null, causes: [] };
    s.status = worst(s.status, status);
    s.since = s.since === null || cause.since < s.since ? cause.since : s.since;
    s.causes.push(cause);
    states.set(name, s);
  };
  for (const i of open) {
    const status = BY_INCIDENT[i.severity] ?? 'degraded';
    for (const name of i.services)
      add(name, status, { kind: 'incident', id: i.id, title: i.title, severity: i.severity, since: i.started_at.toISOString() });
  }
  for (const a of alerts) {
    const name = a.labels[serviceLabel];
    const status = BY_ALERT[a.labels.severity ?? ''];
    if (!name || !status) continue;
    add(name, status, {
      kind: 'alert',
      alertname: a.labels.alertname ?? '',
      severity: a.labels.severity ?? '',
      since: new Date(a.startsAt).toISOString(),
    });
  }
  return [...states.values()].sort((x, y) => x.name.localeCompare(y.name));
}

const incidentJson = (i: IncidentRow) => ({
  id: i.id,
  title: i.title,
  severity: i.severity,
  status: i.status,
  services: i.services,
  started_at: i.started_at.toISOString(),
  resolved_at: i.resolved_at?.toISOString() ?? null,
  duration_seconds: i.resolved_at ? (i.resolved_at.getTime() - i.started_at.getTime()) / 1000 : null,
});

export interface AlertsRead {
  alerts: FiringAlert[];
  source: { url: string; error?: string } | null;
}

/** Firing alerts of the configured Alertmanager; its being down never fails the page: it is reported. */
export async function readAlerts(config: Config): Promise<AlertsRead> {
  // The one Alertmanager of the config (alertmanager.url), as the executive summary and reports read.
  const { url, timeoutMs } = config.alertmanager;
  if (!url) return { alerts: [], source: null };
  try {
    return { alerts: await fetchFiringAlerts(url, timeoutMs), source: { url } };
  } catch (err) {
    return { alerts: [], source: { url, error: `alerts unavailable: ${(err as Error).message}` } };
  }
}

/** The whole answer of GET /api/v1/status (alerts read beforehand, outside the transaction). */
export async function statusPage(db: Queryable, config: Config, now: Date, alerts: AlertsRead) {
  const cfg = config.status;
  const open = await readOpenIncidents(db, now);
  const history = await readIncidentHistory(db, now, cfg.historyDays);
  const services = serviceStates(cfg.services, open, alerts.alerts, cfg.serviceLabel);
  return {
    status: services.reduce<ServiceStatus>((w, s) => worst(w, s.status), 'operational'),
    updated_at: now.toISOString(),
    services,
    incidents: { open: open.map(incidentJson), history: history.map(incidentJson), history_days: cfg.historyDays },
    alerts: alerts.source,
  };
}
