import express, { Express, Router } from 'express';
import { ApiMetrics } from './api-metrics';

/**
 * The API process's app: the routers under /api and nothing else. A request for any other path
 * arrived on a connection that began with an API request (keep-alive): it is sent back to the same
 * address on a new connection (307, Connection: close), which the serving process answers.
 */
export function createApiApp(routers: Router[], metrics: ApiMetrics): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(metrics.middleware());
  for (const router of routers) app.use('/api', router);
  app.use('/api', apiNotFound);
  app.use((req, res) => {
    res.set('Connection', 'close').redirect(307, req.originalUrl);
  });
  return app;
}

/** Any /api path no router knows: a JSON answer that names the routes, never Express's HTML page. */
export function apiNotFound(req: express.Request, res: express.Response): void {
  res.status(404).json({
    error: `no route ${req.method} /api${req.path}; the APIs are POST /api/v1/query, GET /api/v1/health and POST /api/v1/ingest/...`,
  });
}
