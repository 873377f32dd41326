import { Router } from 'express';
import { z } from 'zod';
import { Compute } from '../../compute/engine';
import { Config } from '../../config/schema';
import { poolSize, queryTimeoutMs } from '../../db/pool';
import { Logger } from '../../logger';
import { RateLimiter, requireScope, TokenIdentity } from '../auth';
import { apiErrorHandler, HttpError, validationError } from '../errors';
import { jsonBody } from '../json-body';
import { QueryAdmission } from './admission';
import { AnswerCache, CacheLookup, DataVersion, normalisedKey } from './answer-cache';
import { QUERY_TYPES } from './index';
import { AnswerWarmer } from './warm';
import { MetricRegistries } from '../../metrics/self-metrics';

export interface QueryDeps {
  config: Config;
  /** Runs queries (in the compute worker). */
  compute: Pick<Compute, 'query'>;
  /** The database as the health probe last saw it. */
  database: { readonly up: boolean; readonly error?: string };
  /** What the data looks like now, for the answer cache. */
  dataVersion: () => Promise<DataVersion>;
  log: Logger;
  limiter: RateLimiter;
  now?: () => Date;
  /** Background answer warming (api.warm) runs until this aborts; none without it. */
  lifetime?: AbortSignal;
  /** Where the warmer's counter is registered (the self-metrics registries). */
  registers?: MetricRegistries;
  /** Counts each answer by how the cache answered it (saasmon_query_cache_requests_total). */
  recordCacheLookup?: (type: string, lookup: CacheLookup) => void;
}

const typeOnly = z.object({ type: z.string() }).passthrough();

/**
 * POST /api/v1/query runs one typed query in a read-only transaction. The `type` picks the
 * schema; the schema is strict, so an unknown field or a wrong type is a 400 naming the field.
 * Validation, admission and the answer cache run here; the query itself in the compute worker.
 */
export function createQueryRouter(deps: QueryDeps): Router {
  const { config } = deps;
  const admission = new QueryAdmission(config.api.maxConcurrentQueriesPerToken, poolSize(config, 'query'), config.api.queryQueueTimeoutMs);
  // No answer waits longer than this, whatever the database or the compute worker do.
  const deadlineMs = queryTimeoutMs(config) + 2_000;
  const { answerCache } = config.api;
  const cache = new AnswerCache({
    enabled: answerCache.enabled,
    maxBytes: answerCache.maxBytes,
    maxAgeMs: 1000 * answerCache.maxAgeSeconds,
    maxStaleMs: 1000 * answerCache.maxStaleSeconds,
  });
  const now = deps.now ?? (() => new Date());
  if (config.api.warm.enabled && answerCache.enabled && deps.lifetime && !deps.lifetime.aborted) {
    const warmer = new AnswerWarmer({
      cache,
      admission,
      compute: deps.compute,
      dataVersion: deps.dataVersion,
      nowMs: () => now().getTime(),
      log: deps.log,
      registers: deps.registers,
    });
    warmer.start(1000 * config.api.warm.intervalSeconds);
    deps.lifetime.addEventListener('abort', () => void warmer.stop(), { once: true });
  }
  const byType = new Map(QUERY_TYPES.map((q) => [q.type as string, q]));
  const router = Router();
  router.use('/v1', (req, res, next) => (req.path.startsWith('/ingest') ? next('router') : next()));
  router.use('/v1', requireScope(config, 'query', deps.limiter), jsonBody(config.api.maxBodyBytes));

  router.get('/v1/health', (_req, res, next) => {
    if (deps.database.up) res.json({ status: 'ok', queryTypes: [...byType.keys()] });
    // The driver's message names hosts and ports: it stays in the exporter's log (the probe logs it).
    else next(new HttpError(503, 'exporter is up but cannot reach its database; see the exporter log', undefined, { 'Retry-After': '5' }));
  });

  router.post('/v1/query', async (req, res, next) => {
    try {
      const head = typeOnly.safeParse(req.body);
      if (!head.success) throw validationError(head.error);
      const qt = byType.get(head.data.type);
      if (!qt) throw new HttpError(400, `type: unknown query type "${head.data.type}"; one of ${[...byType.keys()].join(', ')}`);
      const parsed = qt.schema.safeParse(req.body);
      if (!parsed.success) throw validationError(parsed.error);
      const identity = res.locals.identity as TokenIdentity | undefined;
      const nowMs = () => now().getTime();
      const queryNowMs = nowMs();
      // Admission only for a computation: cached answers and joiners of one in flight take no slot.
      const computeAdmitted = async () => {
        const done = await admission.admit(identity?.name ?? 'anonymous', qt.cost === 'light');
        try {
          return await deps.compute.query(qt.type, parsed.data, queryNowMs);
        } finally {
          done();
        }
      };
      const { json, ageSeconds, lookup } = await withDeadline(
        cache.get(normalisedKey(parsed.data), qt.readsCollectorSnapshots === true, deps.dataVersion, nowMs, computeAdmitted, () => {
          // Refresh ahead on an expensive-query slot taken in turn, counted against no token.
          return async () => {
            const release = await admission.takeForRefresh();
            try {
              return await deps.compute.query(qt.type, parsed.data, nowMs());
            } finally {
              release();
            }
          };
        }),
        deadlineMs,
      );
      deps.recordCacheLookup?.(qt.type, lookup);
      res
        .set('Age', String(Math.floor(ageSeconds)))
        .type('application/json')
        .send(json);
    } catch (err) {
      next(err);
    }
  });

  router.use('/v1', (req, _res, next) =>
    next(new HttpError(404, `no route ${req.method} /api/v1${req.path}; use POST /api/v1/query or GET /api/v1/health`)),
  );
  router.use('/v1', apiErrorHandler(deps.log));
  return router;
}

/** Answers 504 with Retry-After when `p` has not settled within `ms` (the work itself may go on). */
function withDeadline<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new HttpError(504, `no answer within ${ms} ms: the database is hung or overloaded; retry later`, undefined, {
            'Retry-After': '5',
          }),
        ),
      ms,
    );
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}
