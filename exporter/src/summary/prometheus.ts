import { errorRatio, latencyQuantile } from '../provisioning/dashboards/common';

/**
 * Instant PromQL queries against the configured Prometheus. The platform SLIs are the dashboards'
 * expressions (provisioning/dashboards/common.ts) with the Grafana `$service` variable replaced by the
 * configured job regex, so the summary and the operations dashboard compute them the same way.
 */

export class PrometheusError extends Error {}

interface PromResponse {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: string; result: Array<{ value: [number, string] }> };
}

/** The value of a one-series instant query at `at`; undefined when it returns no series (or NaN). */
export async function promInstant(baseUrl: string, expr: string, at: Date, timeoutMs: number): Promise<number | undefined> {
  const url = new URL('api/v1/query', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  url.searchParams.set('query', expr);
  url.searchParams.set('time', String(at.getTime() / 1000));
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new PrometheusError(`Prometheus at ${baseUrl} unreachable: ${(err as Error).message}`);
  }
  const body = (await res.json().catch(() => undefined)) as PromResponse | undefined;
  if (!res.ok || body?.status !== 'success' || !body.data) {
    throw new PrometheusError(`Prometheus query failed (HTTP ${res.status}): ${body?.error ?? 'no answer'}`);
  }
  if (body.data.resultType === 'scalar') return finite(Number((body.data.result as unknown as [number, string])[1]));
  const [first] = body.data.result;
  return first ? finite(Number(first.value[1])) : undefined;
}

const finite = (x: number) => (Number.isNaN(x) ? undefined : x);

// The dashboards' platform job variable ($service: the app's HTTP job; $job is the exporter's).
const forJob = (expr: string, job: string) => expr.split('$service').join(job);

/** The executive summary's platform SLIs as PromQL, for the platform job regex `job`. */
export function platformSliQueries(job: string) {
  return {
    /** Share of requests answered without a 5xx over 30 days (the executive dashboard's availability). */
    uptime30d: forJob(`1 - (${errorRatio('30d')})`, job),
    errorRatio30d: forJob(errorRatio('30d'), job),
    p99Latency30d: forJob(latencyQuantile(0.99, '30d'), job),
  };
}
