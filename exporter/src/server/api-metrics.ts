import { NextFunction, Request, RequestHandler, Response } from 'express';
import { Counter, Histogram, Registry } from 'prom-client';

/**
 * The exporter's own API traffic, for the operator who runs it: requests and latency by route
 * template (never the raw path: labels stay bounded whatever clients send), method and status;
 * answer-cache lookups by query type (rejected ingest items are saasmon_ingest_rejected_total of
 * the ingest API). Registered into the self-metrics registries, so they come with /metrics.
 */
export class ApiMetrics {
  // One metric object per registry: prom-client's OpenMetrics render renames a counter in place
  // (drops _total), so a counter shared with the text registry would lose its _total there.
  private readonly requests: Array<Counter<'method' | 'route' | 'status'>>;
  private readonly duration: Array<Histogram<'method' | 'route' | 'status'>>;
  private readonly cache: Array<Counter<'type' | 'result'>>;

  constructor(registers: Array<Registry<typeof Registry.PROMETHEUS_CONTENT_TYPE> | Registry<typeof Registry.OPENMETRICS_CONTENT_TYPE>>) {
    this.requests = registers.map(
      (registry) =>
        new Counter({
          name: 'saasmon_http_requests_total',
          help: 'HTTP requests answered by the exporter, by method, route template and status code.',
          labelNames: ['method', 'route', 'status'],
          registers: [registry],
        }),
    );
    this.duration = registers.map(
      (registry) =>
        new Histogram({
          name: 'saasmon_http_request_duration_seconds',
          help: 'Time from receiving an HTTP request to the end of its answer, in seconds, by method, route template and status code.',
          labelNames: ['method', 'route', 'status'],
          buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
          registers: [registry],
        }),
    );
    this.cache = registers.map(
      (registry) =>
        new Counter({
          name: 'saasmon_query_cache_requests_total',
          help: 'Query API answers by query type and how the answer cache answered: hit (a cached answer), shared (joined an identical computation in flight) or miss (computed).',
          labelNames: ['type', 'result'],
          registers: [registry],
        }),
    );
  }

  /** Express middleware, mounted first: times every request and counts it when its answer ends. */
  middleware(): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      const start = process.hrtime.bigint();
      res.once('close', () => {
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        const labels = {
          method: methodLabel(req.method),
          route: routeLabel(req),
          status: res.writableFinished ? String(res.statusCode) : 'aborted',
        };
        for (const c of this.requests) c.inc(labels);
        for (const h of this.duration) h.observe(labels, seconds);
      });
      next();
    };
  }

  /** One call per answer of the query API; `type` is a validated query type. */
  recordCacheLookup(type: string, result: 'hit' | 'shared' | 'miss'): void {
    for (const c of this.cache) c.inc({ type, result });
  }
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const methodLabel = (method: string) => (METHODS.has(method) ? method : 'other');

/**
 * The route template that answered (e.g. /api/v1/query), or "unmatched" when no route handler
 * ran: paths no route knows (404) and requests refused before routing (401/429 of the API auth).
 * A literal route matched the whole path, so the path itself is the template (with its mount
 * point); a route with parameters keeps its pattern. Made-up paths never add a series.
 */
function routeLabel(req: Request): string {
  const route = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof route !== 'string') return 'unmatched';
  if (/[:*?(]/.test(route)) return `${req.baseUrl}${route}`;
  const path = (req.originalUrl.split('?')[0] ?? '').toLowerCase().replace(/\/+$/, '');
  return path || '/';
}
