import { ErrorRequestHandler, Router } from 'express';
import { Pool } from 'pg';
import { z } from 'zod';
import { erasedUsersAmong } from '../../admin/tombstones';
import { Config } from '../../config/schema';
import { withTransaction } from '../../db/pool';
import { Logger } from '../../logger';
import { RateLimiter, requireScope } from '../auth';
import { apiErrorHandler, describeDatabaseInputError, describeIssue, HttpError, isDatabaseInputError, validationError } from '../errors';
import { BodyError, jsonBody } from '../json-body';
import { AI_ENTITIES } from './ai';
import { USAGE_ENTITIES } from './usage';
import { ENTITIES, EntitySpec } from './entities';
import { batchRefused, batchSchema, insertEvents, unknownTenantItems, unknownTenants, validateEvents } from './events';
import { IngestMetrics, RejectedItem } from './ingest-metrics';
import { writeIsolated } from './isolate';
import { outOfBounds, timeBounds } from './timestamps';
import { forEachYielding } from './yielding';

export interface IngestDeps {
  config: Config;
  pool: Pool;
  log: Logger;
  limiter: RateLimiter;
  now?: () => Date;
  /** saasmon_ingest_rejected_total; a private one (not exposed) when not given. */
  metrics?: IngestMetrics;
}

const eventsQuerySchema = z.object({ partial: z.enum(['true', 'false']).optional() }).strict();
const noQuerySchema = z.object({}).strict();

function parseOr400<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw validationError(r.error);
  return r.data;
}

/**
 * Validates a single object or {items: [...]} item by item: shape, time range, one id per request,
 * known tenant. Any bad item refuses the request whole, every message naming the item and field.
 */
async function validateEntityItems(
  spec: EntitySpec,
  body: unknown,
  pool: Pool,
  config: Config,
  now: Date,
): Promise<{ items: Record<string, unknown>[]; where: (index: number) => string; batched: boolean }> {
  const batched = typeof body === 'object' && body !== null && !Array.isArray(body) && 'items' in body;
  const raw = batched
    ? parseOr400(z.object({ items: z.array(z.unknown()).min(1).max(config.ingest.maxBatchSize) }).strict(), body).items
    : [body];
  const where = (index: number) => (batched ? `items[${index}]` : '');
  const prefix = (index: number) => (batched ? `items[${index}].` : '');
  const bounds = timeBounds(config, now);
  const rejected: RejectedItem[] = [];
  const items: Record<string, unknown>[] = [];
  const ids = new Map<unknown, number>();
  await forEachYielding(raw, (candidate, index) => {
    const parsed = spec.schema.safeParse(candidate);
    if (!parsed.success) {
      const path = batched ? ['items', index] : [];
      const error = parsed.error.issues.map((i) => describeIssue({ ...i, path: [...path, ...i.path] })).join('; ');
      rejected.push({ index, reason: 'invalid', error });
      return;
    }
    const item = parsed.data as Record<string, unknown>;
    items.push(item);
    for (const field of spec.timeFields) {
      const bad = outOfBounds(item[field] as string | null | undefined, bounds, config);
      if (bad) rejected.push({ index, reason: 'out_of_range', error: `${prefix(index)}${field}: ${bad}` });
    }
    const id = spec.key ? spec.key(item) : item.id;
    const first = ids.get(id);
    if (first !== undefined && spec.key)
      rejected.push({
        index,
        reason: 'duplicate_id',
        error: `${where(index)}: repeats items[${first}] (same key); send each row once per request`,
      });
    else if (first !== undefined)
      rejected.push({
        index,
        reason: 'duplicate_id',
        error: `${prefix(index)}id: repeats items[${first}].id; send each id once per request`,
      });
    else ids.set(id, index);
  });
  if (spec.tenantField && rejected.length === 0) {
    const field = spec.tenantField;
    const unknown = await unknownTenants(
      pool,
      items.map((i) => i[field] as string),
    );
    items.forEach((item, index) => {
      if (unknown.has(item[field] as string)) {
        rejected.push({ index, reason: 'unknown_tenant', error: `${prefix(index)}${field}: unknown tenant "${String(item[field])}"` });
      }
    });
  }
  if (rejected.length > 0)
    throw batchRefused(
      rejected.sort((a, b) => a.index - b.index),
      batched,
    );
  return { items, where, batched };
}

/** Upserts the items in one transaction: a value Postgres refuses refuses the request, naming its item. */
async function upsertEntityItems(
  spec: EntitySpec,
  pool: Pool,
  items: Record<string, unknown>[],
  where: (index: number) => string,
  batched: boolean,
): Promise<{ created: number; updated: number; erasedUserItems: Record<string, unknown>[] }> {
  return withTransaction(pool, async (client) => {
    const userField = spec.userField;
    const erased = userField
      ? await erasedUsersAmong(
          client,
          items.map((i) => i[userField] as string | null),
        )
      : new Set<string>();
    const indexed = items.map((item, i) => ({ i, item }));
    const { written, refused } = await writeIsolated(
      client,
      indexed,
      async (chunk) => (await client.query<{ inserted: boolean }>(spec.upsertSql, [JSON.stringify(chunk.map((c) => c.item))])).rows,
    );
    if (refused.length > 0) {
      throw batchRefused(
        refused.map(({ item, error }) => ({
          index: item.i,
          reason: 'database_refused' as const,
          error: describeDatabaseInputError(error, where(item.i)),
        })),
        batched,
      );
    }
    const created = written.filter((row) => row.inserted).length;
    const erasedUserItems = userField ? items.filter((i) => erased.has(i[userField] as string)) : [];
    return { created, updated: written.length - created, erasedUserItems };
  });
}

/** Counts every refused ingest request or item by route and reason (saasmon_ingest_rejected_total). */
export function countRejections(metrics: IngestMetrics, routes: ReadonlySet<string>): ErrorRequestHandler {
  return (err: unknown, req, _res, next) => {
    const route = req.path.replace(/^\//, '').split('/')[0] ?? '';
    if (routes.has(route)) {
      const status = (err as { status?: number })?.status;
      const details = err instanceof HttpError ? (err.details as { rejected?: RejectedItem[] } | undefined) : undefined;
      if (details?.rejected) metrics.rejectedItems(route, details.rejected);
      else if (status === 413) metrics.rejected(route, 'too_large');
      else if (err instanceof BodyError || (typeof (err as { type?: unknown })?.type === 'string' && status && status < 500))
        metrics.rejected(route, 'bad_body');
      else if (err instanceof HttpError && err.status === 400) metrics.rejected(route, 'invalid');
      else if (isDatabaseInputError(err)) metrics.rejected(route, 'database_refused');
    }
    next(err);
  };
}

export function createIngestRouter(deps: IngestDeps): Router {
  const { config, pool, limiter } = deps;
  const now = deps.now ?? (() => new Date());
  const metrics = deps.metrics ?? new IngestMetrics();
  const router = Router();
  router.use('/v1/ingest', requireScope(config, 'ingest', limiter), jsonBody(config.api.maxBodyBytes));

  router.post('/v1/ingest/events', async (req, res, next) => {
    try {
      const { partial } = parseOr400(eventsQuerySchema, req.query);
      const { events } = parseOr400(batchSchema(config.ingest.maxBatchSize), req.body);
      const batch = await validateEvents(events, config, now());
      if (partial !== 'true' && batch.rejected.length > 0) {
        const unknown = await unknownTenantItems(pool, batch.valid);
        throw batchRefused([...batch.rejected, ...unknown].sort((a, b) => a.index - b.index));
      }
      const stored = await insertEvents(pool, batch.valid, config, partial === 'true');
      const rejected = [...batch.rejected, ...stored.rejected];
      metrics.rejectedItems('events', rejected);
      const results = [
        ...stored.results.filter((r) => r.status !== 'rejected'),
        ...rejected.map((r) => ({ index: r.index, status: 'rejected' as const, reason: r.reason, error: r.error })),
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
        const { items, where, batched } = await validateEntityItems(spec, req.body, pool, config, now());
        const r = await upsertEntityItems(spec, pool, items, where, batched);
        const dropped = spec.erasedUserDrops
          ? r.erasedUserItems.filter((i) => i[spec.erasedUserDrops as string] !== null && i[spec.erasedUserDrops as string] !== undefined)
              .length
          : 0;
        res.status(200).json({
          created: r.created,
          updated: r.updated,
          ...(spec.erasedUserDrops ? { [`${spec.erasedUserDrops}sDropped`]: dropped } : {}),
        });
      } catch (err) {
        next(err);
      }
    });
  }

  router.use('/v1/ingest', (req, _res, next) => {
    next(
      new HttpError(
        req.method === 'POST' ? 404 : 405,
        `no ingest route ${req.method} ${req.path}; POST to /api/v1/ingest/{events,${[...ENTITIES, ...AI_ENTITIES, ...USAGE_ENTITIES].map((e) => e.route).join(',')}}`,
      ),
    );
  });
  router.use(
    '/v1/ingest',
    countRejections(metrics, new Set(['events', ...[...ENTITIES, ...AI_ENTITIES, ...USAGE_ENTITIES].map((e) => e.route)])),
  );
  router.use('/v1/ingest', apiErrorHandler(deps.log));
  return router;
}
