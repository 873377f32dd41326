import express, { Request, RequestHandler, Router } from 'express';
import { Pool } from 'pg';
import { Config } from '../../../config/schema';
import { Logger } from '../../../logger';
import { RateLimiter } from '../../auth';
import { apiErrorHandler, HttpError } from '../../errors';
import { IntegrationMetrics, TrackingSource } from '../integration-metrics';
import { authorizeToken, tokenFromAuthorization } from '../token-auth';
import { decodeTrackingBody } from './decode';
import { posthogMessages } from './posthog';
import { segmentMessages } from './segment';
import { replayWaiting, storeMessages } from './messages';
import { TrackingSummary } from './store';

export interface TrackingRouterDeps {
  config: Config;
  pool: Pool;
  log: Logger;
  limiter: RateLimiter;
  metrics: IntegrationMetrics;
  now: () => Date;
}

export const POSTHOG_BASE = '/v1/integrations/posthog';
export const SEGMENT_BASE = '/v1/integrations/segment';
const POSTHOG_PATHS = ['/batch', '/capture', '/e', '/i/v0/e', '/track'].map((p) => `${POSTHOG_BASE}${p}`);
const SEGMENT_TYPES = new Set(['batch', 'import', 'track', 'identify', 'group', 'page', 'screen', 'alias']);

/**
 * The tracking endpoints: a batch is answered 200 once what it holds is committed; a message
 * that cannot be stored is refused inside the answer and kept in saasmon_tracking_rejections
 * (both SDKs drop a whole batch answered 4xx, so a 4xx is kept for what concerns the whole
 * request: token, body, size). 503 when the database is down: the SDKs retry.
 */
export function createTrackingRouter(deps: TrackingRouterDeps): Router {
  const { config, pool, metrics } = deps;
  const router = Router();
  const raw = express.raw({ type: () => true, limit: config.api.maxBodyBytes });

  /** Waiting messages whose tenant or user has arrived; the batch itself is committed already, so a failure here only logs. */
  const replayAfterBatch = async (source: TrackingSource, batch: TrackingSummary): Promise<number> => {
    try {
      const stored = await replayWaiting(pool, source, batch, config, deps.now());
      let total = 0;
      for (const [s, n] of Object.entries(stored)) {
        metrics.tracking(s as TrackingSource, 'replayed', n ?? 0);
        total += n ?? 0;
      }
      return total;
    } catch (err) {
      deps.log.warn('replaying waiting tracking messages failed; the next batch tries again', { error: (err as Error).message });
      return 0;
    }
  };

  const handle =
    (source: TrackingSource): RequestHandler =>
    async (req, res, next) => {
      try {
        const compression = typeof req.query.compression === 'string' ? req.query.compression : undefined;
        const body = decodeTrackingBody(
          Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
          { contentType: req.get('content-type') },
          compression,
          config.integrations.tracking.maxDecodedBytes,
        );
        const { messages, token } = source === 'posthog' ? posthogMessages(body) : segmentMessages(body, req.params.type);
        const header = tokenFromAuthorization(req.get('authorization'));
        const presented = source === 'posthog' ? (token ?? header ?? queryToken(req)) : (header ?? token);
        authorizeToken(config, presented, 'tracking', deps.limiter);
        if (messages.length === 0) throw new HttpError(400, 'the request holds no message');
        if (messages.length > config.ingest.maxBatchSize) {
          throw new HttpError(
            413,
            `a batch may hold at most ${config.ingest.maxBatchSize} messages (got ${messages.length}); send smaller batches`,
          );
        }
        const summary = await storeMessages(pool, source, messages, config, deps.now());
        metrics.tracking(source, 'stored', summary.stored);
        metrics.tracking(source, 'duplicate', summary.duplicates);
        metrics.tracking(source, 'ignored', summary.ignored);
        metrics.tracking(source, 'rejected', summary.rejected);
        // Identify and group calls applied count as stored too.
        metrics.tracking(source, 'stored', summary.profiles);
        for (const [reason, n] of Object.entries(summary.reasons))
          for (let i = 0; i < (n ?? 0); i++) metrics.trackingRejection(source, reason);
        if (summary.newestMs !== undefined) metrics.trackingLagSeconds(source, (deps.now().getTime() - summary.newestMs) / 1000);
        const replayed = await replayAfterBatch(source, summary);
        const { newestMs: _newest, reasons: _reasons, touched: _touched, ...answer } = summary;
        res.status(200).json(source === 'posthog' ? { status: 1, ...answer, replayed } : { success: true, ...answer, replayed });
      } catch (err) {
        next(err);
      }
    };

  // posthog-js runs in browsers: a tracking token is meant to be public (it can only add events).
  const cors: RequestHandler = (req, res, next) => {
    res.set('Access-Control-Allow-Origin', req.get('origin') ?? '*');
    res.set('Vary', 'Origin');
    res.set('Access-Control-Allow-Methods', 'POST, OPTIONS');
    res.set('Access-Control-Allow-Headers', 'Content-Type, Content-Encoding, Authorization');
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  };

  router.options(POSTHOG_PATHS, cors);
  router.post(POSTHOG_PATHS, cors, raw, handle('posthog'));
  router.post(
    `${SEGMENT_BASE}/v1/:type`,
    (req, _res, next) => {
      if (!SEGMENT_TYPES.has(req.params.type as string))
        return next(new HttpError(404, `no Segment route /v1/${req.params.type}; POST to /v1/batch`));
      next();
    },
    raw,
    handle('segment'),
  );

  for (const base of [POSTHOG_BASE, SEGMENT_BASE]) {
    router.use(base, (req, _res, next) => {
      next(
        new HttpError(req.method === 'POST' ? 404 : 405, `no tracking route ${req.method} ${base}${req.path}; see docs/integrations.md`),
      );
    });
    router.use(base, apiErrorHandler(deps.log));
  }
  return router;
}

function queryToken(req: Request): string | undefined {
  return typeof req.query.token === 'string' ? req.query.token : undefined;
}
