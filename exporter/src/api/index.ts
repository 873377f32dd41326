import { Router } from 'express';
import { LatestTenantHealth } from '../collectors/latest-tenant-health';
import { LatestChurnRisk } from '../collectors/latest-churn-risk';
import { Pool } from 'pg';
import { Config } from '../config/schema';
import { Logger } from '../logger';
import { RateLimiter } from './auth';
import { createIngestRouter } from './ingest/router';
import { createQueryRouter } from './query/router';

/** Every router under /api, sharing one rate limiter so a token's budget covers all its calls. */
export function createApiRouters(
  config: Config,
  pools: { read: Pool; write: Pool },
  log: Logger,
  now?: () => Date,
  tenantHealth?: LatestTenantHealth,
  churnRisk?: LatestChurnRisk,
): Router[] {
  const limiter = new RateLimiter(config.api.rateLimit.requestsPerSecond, config.api.rateLimit.burst);
  return [
    createIngestRouter({ config, pool: pools.write, log, limiter, now }),
    createQueryRouter({ config, pool: pools.read, log, limiter, now, tenantHealth, churnRisk }),
  ];
}
