/**
 * The one Alertmanager client: firing alerts read from Alertmanager's v2 API (silenced and
 * inhibited ones left out), for the executive summary, the reports and the status page
 * (GET /api/v1/status), all on the Alertmanager of the config (alertmanager.url).
 */

export interface FiringAlert {
  alertname: string;
  severity: string;
  summary: string;
  startsAt: string;
  labels: Record<string, string>;
}

export class AlertmanagerError extends Error {}

interface GettableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt: string;
  status?: { state?: string };
}

const SEVERITY_ORDER = ['critical', 'warning', 'info'];

/** Active alerts, worst severity first then oldest first; the Watchdog heartbeat is left out. */
export async function fetchFiringAlerts(baseUrl: string, timeoutMs: number): Promise<FiringAlert[]> {
  const url = new URL('api/v2/alerts', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  url.searchParams.set('active', 'true');
  url.searchParams.set('silenced', 'false');
  url.searchParams.set('inhibited', 'false');
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new AlertmanagerError(`Alertmanager at ${baseUrl} unreachable: ${(err as Error).message}`);
  }
  if (!res.ok) throw new AlertmanagerError(`Alertmanager answered HTTP ${res.status}`);
  const alerts = (await res.json()) as GettableAlert[];
  const rank = (s: string) => {
    const i = SEVERITY_ORDER.indexOf(s);
    return i < 0 ? SEVERITY_ORDER.length : i;
  };
  return alerts
    .filter((a) => a.labels.alertname !== 'Watchdog' && (a.status?.state ?? 'active') === 'active')
    .map((a) => ({
      alertname: a.labels.alertname ?? '',
      severity: a.labels.severity ?? '',
      summary: a.annotations?.summary ?? '',
      startsAt: a.startsAt,
      labels: a.labels,
    }))
    .sort((a, b) => rank(a.severity) - rank(b.severity) || a.startsAt.localeCompare(b.startsAt) || a.alertname.localeCompare(b.alertname));
}
