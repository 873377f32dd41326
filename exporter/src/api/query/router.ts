import express, { Router } from 'express';
import { Pool } from 'pg';
import { z } from 'zod';
import { LatestTenantHealth } from '../../collectors/latest-tenant-health';
import { LatestChurnRisk } from '../../collectors/latest-churn-risk';
import { Config } from '../../config/schema';
import { withReadOnly } from '../../db/pool';
import { Logger } from '../../logger';
import { RateLimiter, requireScope } from '../auth';
import { apiErrorHandler, HttpError, validationError } from '../errors';
import { QUERY_TYPES } from './index';

export interface QueryDeps {
  config: Config;
  pool: Pool;
  log: Logger;
  limiter: RateLimiter;
  now?: () => Date;
  /** The tenant health collector's last table, when the service runs that collector. */
  tenantHealth?: LatestTenantHealth;
  /** The churn risk collector's last model and scores, when the service runs that collector. */
  churnRisk?: LatestChurnRisk;
}

const typeOnly = z.object({ type: z.string() }).passthrough();

/**
 * POST /api/v1/query runs one typed query in a read-only transaction. The `type` picks the
 * schema; the schema is strict, so an unknown field or a wrong type is a 400 naming the field.
 */
export function createQueryRouter(deps: QueryDeps): Router {
  const { config, pool } = deps;
  const now = deps.now ?? (() => new Date());
  const byType = new Map(QUERY_TYPES.map((q) => [q.type as string, q]));
  const router = Router();
  router.use('/v1', (req, res, next) => (req.path.startsWith('/ingest') ? next('router') : next()));
  router.use('/v1', requireScope(config, 'query', deps.limiter), express.json({ limit: config.api.maxBodyBytes, type: () => true }));

  router.get('/v1/health', async (_req, res, next) => {
    try {
      await pool.query('SELECT 1');
      res.json({ status: 'ok', queryTypes: [...byType.keys()] });
    } catch (err) {
      next(new HttpError(503, `exporter is up but cannot reach its database: ${(err as Error).message}`));
    }
  });

  router.post('/v1/query', async (req, res, next) => {
    try {
      const head = typeOnly.safeParse(req.body);
      if (!head.success) throw validationError(head.error);
      const qt = byType.get(head.data.type);
      if (!qt) throw new HttpError(400, `type: unknown query type "${head.data.type}"; one of ${[...byType.keys()].join(', ')}`);
      const parsed = qt.schema.safeParse(req.body);
      if (!parsed.success) throw validationError(parsed.error);
      const answer = await withReadOnly(pool, (db) => qt.run(parsed.data, { db, config, now: now(), tenantHealth: deps.tenantHealth, churnRisk: deps.churnRisk }));
      res.json(answer);
    } catch (err) {
      next(err);
    }
  });

  router.use('/v1', (req, _res, next) => next(new HttpError(404, `no route ${req.method} /api/v1${req.path}; use POST /api/v1/query or GET /api/v1/health`)));
  router.use('/v1', apiErrorHandler(deps.log));
  return router;
}
