import { Pool } from 'pg';
import { z } from 'zod';
import { Config } from '../../config/schema';
import { withTransaction } from '../../db/pool';
import { erasedUsersAmong } from '../../admin/tombstones';
import { describeDatabaseInputError, describeIssue, HttpError } from '../errors';
import { ParsedTimestamp, parseTimestamp } from '../validators';
import { IngestRejectReason, RejectedItem } from './ingest-metrics';
import { writeIsolated } from './isolate';
import { EventInput, eventSchema } from './schemas';
import { outOfBounds, timeBounds } from './timestamps';
import { forEachYielding } from './yielding';

export const SQL_KNOWN_TENANTS = `SELECT id FROM tenants WHERE id = ANY($1::text[])`;

export const SQL_ENSURE_PARTITIONS = `SELECT saasmon_ensure_event_partitions($1::timestamptz, $2::timestamptz)`;

// (id, occurred_at) is the contract's idempotency key, compared by Postgres at the precision it
// stores (microseconds): the answer says "created" for exactly the input rows that were inserted
// (the first of equal keys within one request), "duplicate" for the others. `i` is the item's index.
export const SQL_INSERT_EVENTS = `
WITH input AS (
  SELECT i, id, tenant_id, user_id, name, occurred_at, coalesce(properties, '{}'::jsonb) AS properties
  FROM jsonb_to_recordset($1::jsonb) AS e(i integer, id text, tenant_id text, user_id text, name text,
       occurred_at timestamptz, properties jsonb)
), inserted AS (
  INSERT INTO events (id, tenant_id, user_id, name, occurred_at, properties)
  SELECT id, tenant_id, user_id, name, occurred_at, properties FROM input ORDER BY i
  ON CONFLICT (id, occurred_at) DO NOTHING
  RETURNING id, occurred_at
)
SELECT min(input.i) AS i FROM input JOIN inserted USING (id, occurred_at) GROUP BY input.id, input.occurred_at`;

// The first time a user reached the activation moment; an earlier late event moves it back.
export const SQL_MARK_ACTIVATED = `
UPDATE users u SET activated_at = a.first_at
FROM (
  SELECT user_id, min(occurred_at) AS first_at
  FROM jsonb_to_recordset($1::jsonb) AS e(user_id text, name text, occurred_at timestamptz)
  WHERE name = $2 AND user_id IS NOT NULL
  GROUP BY user_id
) a
WHERE u.id = a.user_id AND (u.activated_at IS NULL OR u.activated_at > a.first_at)`;

export type ItemResult =
  { index: number; status: 'created' | 'duplicate' } | { index: number; status: 'rejected'; reason: IngestRejectReason; error: string };

export interface ValidatedBatch {
  valid: Array<{ index: number; event: EventInput }>;
  rejected: RejectedItem[];
}

export const batchSchema = (maxBatchSize: number) =>
  z
    .object({
      events: z.array(z.unknown()).min(1, 'must hold at least one event').max(maxBatchSize, `must hold at most ${maxBatchSize} events`),
    })
    .strict();

/** Validates every item: shape, time range, known tenant. Returns what is valid and why the rest is not. */
export async function validateEvents(pool: Pool, items: readonly unknown[], config: Config, now: Date): Promise<ValidatedBatch> {
  const bounds = timeBounds(config, now);
  const valid: ValidatedBatch['valid'] = [];
  const rejected: RejectedItem[] = [];
  await forEachYielding(items, (item, index) => {
    const parsed = eventSchema.safeParse(item);
    if (!parsed.success) {
      const error = parsed.error.issues.map((i) => describeIssue({ ...i, path: ['events', index, ...i.path] })).join('; ');
      rejected.push({ index, reason: 'invalid', error });
      return;
    }
    const bad = outOfBounds(parsed.data.occurred_at, bounds, config);
    if (bad) rejected.push({ index, reason: 'out_of_range', error: `events[${index}].occurred_at: ${bad}` });
    else valid.push({ index, event: parsed.data });
  });
  const unknown = await unknownTenants(
    pool,
    valid.map((v) => v.event.tenant_id),
  );
  for (let i = valid.length - 1; i >= 0; i--) {
    const v = valid[i] as ValidatedBatch['valid'][number];
    if (unknown.has(v.event.tenant_id)) {
      rejected.push({
        index: v.index,
        reason: 'unknown_tenant',
        error: `events[${v.index}].tenant_id: unknown tenant "${v.event.tenant_id}"`,
      });
      valid.splice(i, 1);
    }
  }
  rejected.sort((a, b) => a.index - b.index);
  return { valid, rejected };
}

/** Which of the tenant ids name no tenant (one query for the whole request). */
export async function unknownTenants(pool: Pool, tenantIds: readonly string[]): Promise<Set<string>> {
  const ids = [...new Set(tenantIds)];
  if (ids.length === 0) return new Set();
  const known = new Set((await pool.query<{ id: string }>(SQL_KNOWN_TENANTS, [ids])).rows.map((r) => r.id));
  return new Set(ids.filter((id) => !known.has(id)));
}

/** Months for which a partition was already made by this process: the common case skips the call. */
const knownMonths = new Set<string>();

async function ensurePartitions(pool: Pool, events: readonly EventInput[]): Promise<void> {
  const months = new Map<string, number>();
  // Keyed by the pool's options too (they carry the search_path): one process may serve several schemas in tests.
  for (const e of events) {
    const ms = (parseTimestamp(e.occurred_at) as ParsedTimestamp).ms;
    months.set(`${pool.options.options}|${new Date(ms).toISOString().slice(0, 7)}`, ms);
  }
  const missing = [...months.entries()].filter(([m]) => !knownMonths.has(m));
  if (missing.length === 0) return;
  const times = missing.map(([, t]) => t);
  await pool.query(SQL_ENSURE_PARTITIONS, [new Date(Math.min(...times)), new Date(Math.max(...times))]);
  for (const [m] of missing) knownMonths.add(m);
}

/** Refuses the whole request (nothing stored), naming every bad item by index and field. */
export function batchRefused(rejected: readonly RejectedItem[], batched = true): HttpError {
  const errors = rejected
    .slice(0, 20)
    .map((r) => r.error)
    .join('; ');
  return new HttpError(400, batched ? `batch refused whole (nothing stored): ${errors}` : errors, { rejected });
}

/**
 * Inserts valid events in one transaction; resolves only after COMMIT (acknowledged = committed).
 * Events of erased users are refused (read under the erase lock, see admin/tombstones); a value
 * Postgres refuses costs only its item. Without `partial`, any refusal refuses the whole batch.
 */
export async function insertEvents(
  pool: Pool,
  batch: ValidatedBatch['valid'],
  config: Config,
  partial = true,
): Promise<{ results: ItemResult[]; rejected: RejectedItem[] }> {
  if (batch.length === 0) return { results: [], rejected: [] };
  await ensurePartitions(
    pool,
    batch.map((b) => b.event),
  );
  return withTransaction(pool, async (client) => {
    const erased = await erasedUsersAmong(
      client,
      batch.map((b) => b.event.user_id),
    );
    const rejected: RejectedItem[] = [];
    const rows: Array<EventInput & { i: number }> = [];
    for (const { index, event } of batch) {
      if (event.user_id && erased.has(event.user_id)) {
        rejected.push({
          index,
          reason: 'erased_user',
          error: `events[${index}].user_id: user "${event.user_id}" was erased (saasmon erase-user); events of an erased user are refused`,
        });
      } else {
        rows.push({ i: index, ...event, user_id: event.user_id ?? null, properties: event.properties ?? {} });
      }
    }
    const { written, refused } = await writeIsolated(client, rows, async (chunk) =>
      (await client.query<{ i: number }>(SQL_INSERT_EVENTS, [JSON.stringify(chunk)])).rows.map((r) => r.i),
    );
    for (const { item, error } of refused) {
      rejected.push({ index: item.i, reason: 'database_refused', error: describeDatabaseInputError(error, `events[${item.i}]`) });
    }
    rejected.sort((a, b) => a.index - b.index);
    if (!partial && rejected.length > 0) throw batchRefused(rejected);
    const refusedIndexes = new Set(rejected.map((r) => r.index));
    const stored = rows.filter((r) => !refusedIndexes.has(r.i));
    if (config.ingest.activationEvent && stored.length > 0) {
      await client.query(SQL_MARK_ACTIVATED, [JSON.stringify(stored), config.ingest.activationEvent]);
    }
    const created = new Set(written);
    const results: ItemResult[] = [
      ...stored.map((r) => ({ index: r.i, status: created.has(r.i) ? ('created' as const) : ('duplicate' as const) })),
      ...rejected.map((r) => ({ index: r.index, status: 'rejected' as const, reason: r.reason, error: r.error })),
    ];
    return { results, rejected };
  });
}
