import express, { Express, Router } from 'express';
import { Config } from '../config/schema';
import { CONTENT_TYPE_OPENMETRICS, CONTENT_TYPE_TEXT } from '../metrics/exposition';
import { HealthProbe } from '../metrics/health-probe';
import { acceptsGzip, wantsOpenMetrics } from '../metrics/negotiate';
import { Scheduler } from '../metrics/scheduler';
import { SelfExposition } from '../metrics/self-exposition';
import { SelfMetrics } from '../metrics/self-metrics';
import { SnapshotStore } from '../metrics/snapshot-store';
import { metricsAuth } from './metrics-auth';
import { apiNotFound } from './api-app';

export interface AppDeps {
  config: Config;
  store: SnapshotStore;
  self: Pick<SelfMetrics, 'renderFormat' | 'api'>;
  scheduler: Pick<Scheduler, 'isReady'>;
  probe: Pick<HealthProbe, 'up' | 'error' | 'unreachable'>;
  /** The self part of /metrics; default: rendered at each scrape. */
  selfExposition?: SelfExposition;
  /** Routers mounted under /api (query and ingest APIs); each brings its own auth. */
  apiRouters?: Router[];
  /** The APIs run in the API process instead (server/api-process.ts): /api requests arriving here are sent there. */
  apiElsewhere?: { readonly accepting: boolean };
}

/**
 * /metrics only writes prepared bytes: each collector's part is rendered and gzipped in the
 * compute worker when the collector finishes; the small self part (a few dozen lines: process,
 * API and collector health) comes from SelfExposition: rendered at scrape time, or with the API
 * process, every second in the background. Gzip members concatenate
 * into one valid gzip stream (RFC 1952 section 2.2), so parts are never compressed together.
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(deps.self.api.middleware());
  const selfExposition = deps.selfExposition ?? new SelfExposition((format) => deps.self.renderFormat(format), 0);

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
      const selfPart = await selfExposition.get(om ? 'openMetrics' : 'text', gzip);
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
  const elsewhere = deps.apiElsewhere;
  if (elsewhere) {
    // An API request on a connection that began with a scrape: to the API process on a new connection.
    app.use('/api', (req, res) => {
      if (elsewhere.accepting) res.set('Connection', 'close').redirect(307, req.originalUrl);
      else res.status(503).set('Retry-After', '1').json({ error: 'the API process is starting; retry shortly' });
    });
  }
  app.use('/api', apiNotFound);

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
