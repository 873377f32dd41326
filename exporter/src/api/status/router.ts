import { Router } from 'express';
import { Pool } from 'pg';
import { Config } from '../../config/schema';
import { withReadOnly } from '../../db/pool';
import { Logger } from '../../logger';
import { RateLimiter, requireScope } from '../auth';
import { apiErrorHandler } from '../errors';
import { readAlerts, statusPage } from './status';

/** GET /api/v1/status (query scope): the data of a status page. */
export function createStatusRouter(deps: { config: Config; pool: Pool; log: Logger; limiter: RateLimiter; now?: () => Date }): Router {
  const now = deps.now ?? (() => new Date());
  const router = Router();
  router.get('/v1/status', requireScope(deps.config, 'query', deps.limiter), async (_req, res, next) => {
    try {
      const at = now();
      const alerts = await readAlerts(deps.config);
      res.status(200).json(await withReadOnly(deps.pool, (db) => statusPage(db, deps.config, at, alerts)));
    } catch (err) {
      next(err);
    }
  });
  router.use('/v1/status', apiErrorHandler(deps.log));
  return router;
}
