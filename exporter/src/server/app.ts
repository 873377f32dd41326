import express, { Express, Router } from 'express';
import { gzipSync } from 'node:zlib';
import { Config } from '../config/schema';
import { CONTENT_TYPE_OPENMETRICS, CONTENT_TYPE_TEXT } from '../metrics/exposition';
import { HealthProbe } from '../metrics/health-probe';
import { acceptsGzip, wantsOpenMetrics } from '../metrics/negotiate';
import { Scheduler } from '../metrics/scheduler';
import { SelfMetrics } from '../metrics/self-metrics';
import { SnapshotStore } from '../metrics/snapshot-store';
import { metricsAuth } from './metrics-auth';

export interface AppDeps {
  config: Config;
  store: SnapshotStore;
  self: Pick<SelfMetrics, 'renderFormat' | 'api'>;
  scheduler: Pick<Scheduler, 'isReady'>;
  probe: Pick<HealthProbe, 'up' | 'error' | 'unreachable'>;
  /** Routers mounted under /api (query and ingest APIs); each brings its own auth. */
  apiRouters?: Router[];
}

/**
 * /metrics only writes prepared bytes: each collector's part is rendered and gzipped in the
 * compute worker when the collector finishes; only the small self part (a few dozen lines, with
 * the APIs' counters up to this instant) is rendered at scrape time. Gzip members concatenate
 * into one valid gzip stream (RFC 1952 section 2.2), so parts are never compressed together.
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(deps.self.api.middleware());

  app.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok\n');
  });

  app.get('/ready', (_req, res) => {
    if (!deps.probe.up)
      res
        .status(503)
        .type('text/plain')
        .send(`not ready: cannot reach the ${deps.probe.unreachable.join(' and ') || 'database'} (details in the exporter log)\n`);
    else if (!deps.scheduler.isReady()) res.status(503).type('text/plain').send('not ready: first snapshot not taken yet\n');
    else res.type('text/plain').send('ready\n');
  });

  app.get('/metrics', metricsAuth(deps.config.server.metricsAuth), async (req, res, next) => {
    try {
      const om = wantsOpenMetrics(req.get('accept'));
      const gzip = acceptsGzip(req.get('accept-encoding'));
      const snapshot = deps.store.body(om ? 'openMetrics' : 'text', gzip);
      const selfText = await deps.self.renderFormat(om ? 'openMetrics' : 'text');
      const selfPart = gzip ? gzipSync(selfText, { level: 1 }) : Buffer.from(selfText);
      res.set('Content-Type', om ? CONTENT_TYPE_OPENMETRICS : CONTENT_TYPE_TEXT);
      res.set('Cache-Control', 'no-store');
      res.set('Vary', 'Accept, Accept-Encoding');
      if (gzip) res.set('Content-Encoding', 'gzip');
      res.set('Content-Length', String(snapshot.length + selfPart.length));
      res.cork();
      for (const part of snapshot.parts) res.write(part);
      res.end(selfPart);
    } catch (err) {
      next(err);
    }
  });

  for (const router of deps.apiRouters ?? []) app.use('/api', router);
  // Any other /api path: a JSON answer that names the routes, never Express's HTML page.
  app.use('/api', (req, res) => {
    res.status(404).json({
      error: `no route ${req.method} /api${req.path}; the APIs are POST /api/v1/query, GET /api/v1/health and POST /api/v1/ingest/...`,
    });
  });

  app.get('/', (_req, res) => {
    res
      .type('text/html')
      .send(
        '<html><head><title>saasmon</title></head><body><h1>saasmon exporter</h1>' +
          '<p><a href="/metrics">/metrics</a> &middot; <a href="/ready">/ready</a> &middot; <a href="/healthz">/healthz</a></p></body></html>\n',
      );
  });

  return app;
}
