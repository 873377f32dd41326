import { Router } from 'express';
import { Pool } from 'pg';
import { Config } from '../config/schema';
import { Logger } from '../logger';
import { RateLimiter } from './auth';
import { createIngestRouter } from './ingest/router';
import { createQueryRouter, QueryDeps } from './query/router';

/** Every router under /api, sharing one rate limiter so a token's budget covers all its calls. */
export function createApiRouters(
  config: Config,
  pools: { ingest: Pool },
  query: Pick<QueryDeps, 'compute' | 'database' | 'dataVersion'>,
  log: Logger,
  now?: () => Date,
): Router[] {
  const limiter = new RateLimiter(config.api.rateLimit.requestsPerSecond, config.api.rateLimit.burst);
  return [
    createIngestRouter({ config, pool: pools.ingest, log, limiter, now }),
    createQueryRouter({ config, ...query, log, limiter, now }),
  ];
}
