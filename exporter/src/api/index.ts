import { Router } from 'express';
import { Pool } from 'pg';
import { Config } from '../config/schema';
import { Logger } from '../logger';
import { RateLimiter } from './auth';
import { IngestMetrics } from './ingest/ingest-metrics';
import { createIngestRouter } from './ingest/router';
import { createQueryRouter, QueryDeps } from './query/router';
import { createIntegrationRouters } from './integrations';
import { SelfMetrics } from '../metrics/self-metrics';
import { createStatusRouter } from './status/router';

/** Every router under /api, sharing one rate limiter so a token's budget covers all its calls. */
export function createApiRouters(
  config: Config,
  pools: { ingest: Pool },
  query: Pick<QueryDeps, 'compute' | 'database' | 'dataVersion' | 'lifetime'>,
  log: Logger,
  now?: () => Date,
  self?: Pick<SelfMetrics, 'registries' | 'api'>,
): Router[] {
  const limiter = new RateLimiter(config.api.rateLimit.requestsPerSecond, config.api.rateLimit.burst);
  const registries = self?.registries() ?? [];
  return [
    createIngestRouter({ config, pool: pools.ingest, log, limiter, now, metrics: new IngestMetrics(registries) }),
    // Before the query router, which answers every other /v1 path.
    ...createIntegrationRouters({ config, pool: pools.ingest, log, limiter, now, registers: registries }),
    // The status page reads a few incident rows: the ingest pool's budget covers it.
    createStatusRouter({ config, pool: pools.ingest, log, limiter, now }),
    createQueryRouter({
      config,
      ...query,
      log,
      limiter,
      now,
      registers: registries,
      recordCacheLookup: self ? (type, lookup) => self.api.recordCacheLookup(type, lookup) : undefined,
    }),
  ];
}
