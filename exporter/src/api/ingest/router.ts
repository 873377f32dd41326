import express, { Router } from 'express';
import { Pool } from 'pg';
import { z } from 'zod';
import { Config } from '../../config/schema';
import { Logger } from '../../logger';
import { RateLimiter, requireScope } from '../auth';
import { apiErrorHandler, HttpError, validationError } from '../errors';
import { AI_ENTITIES } from './ai';
import { USAGE_ENTITIES } from './usage';
import { ENTITIES, EntitySpec } from './entities';
import { batchSchema, insertEvents, validateEvents } from './events';
import { outOfBounds, timeBounds } from './timestamps';

export interface IngestDeps {
  config: Config;
  pool: Pool;
  log: Logger;
  limiter: RateLimiter;
  now?: () => Date;
}

const eventsQuerySchema = z.object({ partial: z.enum(['true', 'false']).optional() }).strict();
const noQuerySchema = z.object({}).strict();

function parseOr400<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw validationError(r.error);
  return r.data;
}

/** Validates a single object or {items: [...]}; every message names the item index and field. */
function validateEntityItems(spec: EntitySpec, body: unknown, config: Config, now: Date): Record<string, unknown>[] {
  const batched = typeof body === 'object' && body !== null && !Array.isArray(body) && 'items' in body;
  const schema = batched
    ? z.object({ items: z.array(spec.schema).min(1).max(config.ingest.maxBatchSize) }).strict()
    : spec.schema;
  const parsed = parseOr400(schema, body) as { items: Record<string, unknown>[] } | Record<string, unknown>;
  const items = batched ? (parsed as { items: Record<string, unknown>[] }).items : [parsed as Record<string, unknown>];
  const bounds = timeBounds(config, now);
  const errors: string[] = [];
  const ids = new Map<unknown, number>();
  items.forEach((item, index) => {
    const where = batched ? `items[${index}].` : '';
    for (const field of spec.timeFields) {
      const bad = outOfBounds(item[field] as string | null | undefined, bounds, config);
      if (bad) errors.push(`${where}${field}: ${bad}`);
    }
    const id = spec.key ? spec.key(item) : item.id;
    const first = ids.get(id);
    if (first !== undefined && spec.key) errors.push(`${where.replace(/\.$/, '')}: repeats items[${first}] (same key); send each row once per request`);
    else if (first !== undefined) errors.push(`${where}id: repeats items[${first}].id; send each id once per request`);
    else ids.set(id, index);
  });
  if (errors.length > 0) throw new HttpError(400, errors.slice(0, 20).join('; '), { issues: errors });
  return items;
}

export function createIngestRouter(deps: IngestDeps): Router {
  const { config, pool, limiter } = deps;
  const now = deps.now ?? (() => new Date());
  const router = Router();
  router.use(
    '/v1/ingest',
    requireScope(config, 'ingest', limiter),
    express.json({ limit: config.api.maxBodyBytes, strict: true, type: () => true }),
  );

  router.post('/v1/ingest/events', async (req, res, next) => {
    try {
      const { partial } = parseOr400(eventsQuerySchema, req.query);
      const { events } = parseOr400(batchSchema(config.ingest.maxBatchSize), req.body);
      const batch = await validateEvents(pool, events, config, now());
      if (partial !== 'true' && batch.rejected.length > 0) {
        const errors = batch.rejected.map((r) => r.error);
        throw new HttpError(400, `batch rejected whole (nothing stored): ${errors.slice(0, 20).join('; ')}`, {
          rejected: batch.rejected,
        });
      }
      const results = [
        ...(await insertEvents(pool, batch.valid, config)),
        ...batch.rejected.map((r) => ({ index: r.index, status: 'rejected' as const, error: r.error })),
      ].sort((a, b) => a.index - b.index);
      const count = (s: string) => results.filter((r) => r.status === s).length;
      res.status(200).json({
        created: count('created'),
        duplicates: count('duplicate'),
        rejected: count('rejected'),
        ...(partial === 'true' ? { results } : {}),
      });
    } catch (err) {
      next(err);
    }
  });

  for (const spec of [...ENTITIES, ...AI_ENTITIES, ...USAGE_ENTITIES]) {
    router.post(`/v1/ingest/${spec.route}`, async (req, res, next) => {
      try {
        parseOr400(noQuerySchema, req.query);
        const items = validateEntityItems(spec, req.body, config, now());
        const r = await pool.query<{ inserted: boolean }>(spec.upsertSql, [JSON.stringify(items)]);
        const created = r.rows.filter((row) => row.inserted).length;
        res.status(200).json({ created, updated: r.rows.length - created });
      } catch (err) {
        next(err);
      }
    });
  }

  router.use('/v1/ingest', (req, _res, next) => {
    next(new HttpError(req.method === 'POST' ? 404 : 405, `no ingest route ${req.method} ${req.path}; POST to /api/v1/ingest/{events,${[...ENTITIES, ...AI_ENTITIES, ...USAGE_ENTITIES].map((e) => e.route).join(',')}}`));
  });
  router.use('/v1/ingest', apiErrorHandler(deps.log));
  return router;
}

