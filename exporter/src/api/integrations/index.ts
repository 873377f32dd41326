import { Router } from 'express';
import { Pool } from 'pg';
import { MetricRegistries } from '../../metrics/self-metrics';
import { Config } from '../../config/schema';
import { Logger } from '../../logger';
import { RateLimiter } from '../auth';
import { IntegrationMetrics } from './integration-metrics';
import { createStripeRouter } from './stripe/router';
import { createTrackingRouter } from './tracking/router';

export interface IntegrationDeps {
  config: Config;
  pool: Pool;
  log: Logger;
  limiter: RateLimiter;
  now?: () => Date;
  /** Registries the integration metrics join (the exporter's self metrics). */
  registers?: MetricRegistries;
}

/** Stripe webhooks and the PostHog / Segment tracking endpoints, under /api/v1/integrations. */
export function createIntegrationRouters(deps: IntegrationDeps): Router[] {
  const metrics = new IntegrationMetrics(deps.registers ?? []);
  const now = deps.now ?? (() => new Date());
  const common = { config: deps.config, pool: deps.pool, log: deps.log, limiter: deps.limiter, metrics, now };
  return [createStripeRouter(common), createTrackingRouter(common)];
}
