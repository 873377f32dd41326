import express, { Router } from 'express';
import { Pool } from 'pg';
import { z } from 'zod';
import { Config } from '../../../config/schema';
import { Logger } from '../../../logger';
import { RateLimiter, requireScope } from '../../auth';
import { apiErrorHandler, describeIssue, HttpError } from '../../errors';
import { IntegrationMetrics, TrackingSource } from '../integration-metrics';
import { replayWaiting } from '../tracking/messages';
import { StripeApplier } from './apply';
import { backfillStripe } from './backfill';
import { eventSchema } from './objects';
import { UnmappableError } from './pricing';
import { verifyStripeSignature } from './signature';

export interface StripeRouterDeps {
  config: Config;
  pool: Pool;
  log: Logger;
  limiter: RateLimiter;
  metrics: IntegrationMetrics;
  now: () => Date;
}

const backfillQuerySchema = z.object({ as_of: z.string().datetime({ offset: true }).optional() }).strict();

/**
 * POST /api/v1/integrations/stripe/webhook: Stripe's own deliveries, authenticated by their
 * signature over the raw body (no bearer token: Stripe cannot send one). 200 once committed (or a
 * duplicate/stale event that changes nothing), 400 for a bad signature or payload, 422 for an event
 * that cannot be mapped (Stripe retries it; nothing was stored).
 * POST /api/v1/integrations/stripe/backfill: a Stripe export (list JSON), with a "stripe" token.
 */
export function createStripeRouter(deps: StripeRouterDeps): Router {
  const { config, pool, metrics } = deps;
  const applier = new StripeApplier(config);
  const router = Router();
  const base = '/v1/integrations/stripe';

  /** Tracking messages that waited for this tenant are stored now; the event is committed, so a failure only logs. */
  const replayTracking = async (tenantId: string) => {
    try {
      const stored = await replayWaiting(
        pool,
        'segment',
        { touched: { tenants: [tenantId], users: [] }, rejections: [] },
        config,
        deps.now(),
      );
      for (const [source, n] of Object.entries(stored)) metrics.tracking(source as TrackingSource, 'replayed', n ?? 0);
    } catch (err) {
      deps.log.warn('replaying tracking messages waiting for a Stripe tenant failed', { tenant: tenantId, error: (err as Error).message });
    }
  };

  router.post(`${base}/webhook`, express.raw({ type: () => true, limit: config.api.maxBodyBytes }), async (req, res, next) => {
    try {
      const nowMs = deps.now().getTime();
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const s = config.integrations.stripe;
      const check = verifyStripeSignature(raw, req.get('stripe-signature'), s.webhookSecrets, s.toleranceSeconds, nowMs);
      if (!check.ok) {
        metrics.stripeRejection(check.reason);
        throw new HttpError(400, check.message);
      }
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        metrics.stripeRejection('malformed');
        throw new HttpError(400, 'request body is not valid JSON');
      }
      const parsed = eventSchema.safeParse(body);
      if (!parsed.success) {
        metrics.stripeRejection('malformed');
        throw new HttpError(400, `not a Stripe event: ${parsed.error.issues.slice(0, 5).map(describeIssue).join('; ')}`);
      }
      const event = parsed.data;
      try {
        const r = await applier.apply(pool, event, nowMs);
        metrics.stripeEvent(event.type, r.outcome, event.created * 1000, deps.now().getTime());
        if (r.tenantId) await replayTracking(r.tenantId);
        res.status(200).json({ received: true, id: event.id, outcome: r.outcome });
      } catch (err) {
        if (!(err instanceof UnmappableError)) throw err;
        metrics.stripeEvent(event.type, 'refused');
        metrics.stripeRejection('unmappable');
        deps.log.warn('stripe event refused', { id: event.id, type: event.type, reason: err.message });
        throw new HttpError(422, `event ${event.id} (${event.type}) not applied: ${err.message}`);
      }
    } catch (err) {
      next(err);
    }
  });

  router.post(
    `${base}/backfill`,
    requireScope(config, 'stripe', deps.limiter),
    express.json({ limit: Math.max(config.api.maxBodyBytes, 50 * 1_048_576), strict: true, type: () => true }),
    async (req, res, next) => {
      try {
        const q = backfillQuerySchema.safeParse(req.query);
        if (!q.success) throw new HttpError(400, q.error.issues.map(describeIssue).join('; '));
        const nowMs = deps.now().getTime();
        const asOfMs = q.data.as_of ? Date.parse(q.data.as_of) : nowMs;
        const summary = await backfillStripe(pool, config, req.body, asOfMs, nowMs);
        res.status(200).json(summary);
      } catch (err) {
        next(err);
      }
    },
  );

  router.use(base, (req, _res, next) => {
    next(
      new HttpError(
        req.method === 'POST' ? 404 : 405,
        `no Stripe route ${req.method} ${req.path}; POST to ${base}/webhook or ${base}/backfill`,
      ),
    );
  });
  router.use(base, apiErrorHandler(deps.log));
  return router;
}
