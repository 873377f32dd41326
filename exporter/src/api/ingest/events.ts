import { Pool } from 'pg';
import { z } from 'zod';
import { Config } from '../../config/schema';
import { Queryable, withTransaction } from '../../db/pool';
import { ERASE_LOCK_KEY } from '../../admin/tombstones';
import { describeDatabaseInputError, describeIssue, HttpError, isDatabaseInputError, PgErrorLike } from '../errors';
import { ParsedTimestamp, parseTimestamp } from '../validators';
import { IngestRejectReason, RejectedItem } from './ingest-metrics';
import { writeIsolated } from './isolate';
import { EventInput, eventSchema } from './schemas';
import { outOfBounds, timeBounds } from './timestamps';
import { forEachYielding } from './yielding';

export const SQL_KNOWN_TENANTS = `SELECT id FROM tenants WHERE id = ANY($1::text[])`;

export const SQL_ENSURE_PARTITIONS = `SELECT saasmon_ensure_event_partitions($1::timestamptz, $2::timestamptz)`;

// One statement stores a batch: the erase check, the insert and the activation time
// (saasmon_store_events in db/functions.ts). (id, occurred_at) is the contract's idempotency key,
// compared by Postgres at the precision it stores (microseconds): "created" names exactly the
// input rows that were inserted (the first of equal keys within one request).
export const SQL_STORE_EVENTS = `SELECT item, outcome FROM saasmon_store_events($1::jsonb, $2::text, $3::boolean, $4::bigint)`;

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

/**
 * Validates every item's shape and time range, without the database: what is valid and why the
 * rest is not. Whether each tenant is known is checked where the events are stored, in the same
 * statement (saasmon_store_events), or by unknownTenantItems when a batch is refused anyway.
 */
export async function validateEvents(items: readonly unknown[], config: Config, now: Date): Promise<ValidatedBatch> {
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
  return { valid, rejected };
}

const unknownTenant = (index: number, tenantId: string | undefined): RejectedItem => ({
  index,
  reason: 'unknown_tenant',
  error: `events[${index}].tenant_id: unknown tenant "${tenantId}"`,
});

/** The valid items whose tenant is unknown (one query), so that a refusal names every bad item. */
export async function unknownTenantItems(pool: Pool, valid: ValidatedBatch['valid']): Promise<RejectedItem[]> {
  const unknown = await unknownTenants(
    pool,
    valid.map((v) => v.event.tenant_id),
  );
  return valid.filter((v) => unknown.has(v.event.tenant_id)).map((v) => unknownTenant(v.index, v.event.tenant_id));
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

type EventRow = EventInput & { i: number };
type StoreOutcome = { item: number; outcome: 'created' | 'unknown_tenant' | 'erased' };

function store(db: Queryable, rows: readonly EventRow[], config: Config, allOrNothing: boolean): Promise<StoreOutcome[]> {
  const activation = config.ingest.activationEvent ?? null;
  return db.query<StoreOutcome>(SQL_STORE_EVENTS, [JSON.stringify(rows), activation, allOrNothing, ERASE_LOCK_KEY]).then((r) => r.rows);
}

/** The items refused: events of unknown tenants and of erased users, and values Postgres refused, by index. */
function rejectedItems(
  rows: readonly EventRow[],
  outcomes: readonly StoreOutcome[],
  refused: ReadonlyArray<{ item: EventRow; error: PgErrorLike }>,
): RejectedItem[] {
  const byIndex = new Map(rows.map((r) => [r.i, r]));
  const rejected: RejectedItem[] = [];
  for (const o of outcomes) {
    if (o.outcome === 'unknown_tenant') rejected.push(unknownTenant(o.item, byIndex.get(o.item)?.tenant_id));
    else if (o.outcome === 'erased')
      rejected.push({
        index: o.item,
        reason: 'erased_user',
        error: `events[${o.item}].user_id: user "${byIndex.get(o.item)?.user_id}" was erased (saasmon erase-user); events of an erased user are refused`,
      });
  }
  for (const { item, error } of refused) {
    rejected.push({ index: item.i, reason: 'database_refused', error: describeDatabaseInputError(error, `events[${item.i}]`) });
  }
  return rejected.sort((a, b) => a.index - b.index);
}

/**
 * Stores valid events; resolves only after they are committed (acknowledged = committed). Events
 * of unknown tenants are refused, and so are events of erased users (checked under the erase lock,
 * see admin/tombstones). Without
 * `partial`, any refusal refuses the whole batch and nothing is stored.
 *
 * The batch is one statement, one round trip (the tenant check included): under load every round
 * trip waits for a CPU, and ingest latency grows with their number. Only when Postgres refuses a value that the validation
 * let through is the batch stored again in one transaction, halving chunks until the refused
 * items stand alone (isolate.ts), so that such a value costs only its own item.
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
  const rows: EventRow[] = batch.map(({ index, event }) => ({
    i: index,
    ...event,
    user_id: event.user_id ?? null,
    properties: event.properties ?? {},
  }));
  let outcomes: StoreOutcome[];
  let rejected: RejectedItem[];
  try {
    outcomes = await store(pool, rows, config, !partial);
    rejected = rejectedItems(rows, outcomes, []);
  } catch (err) {
    if (!isDatabaseInputError(err)) throw err;
    ({ outcomes, rejected } = await withTransaction(pool, async (client) => {
      const { written, refused } = await writeIsolated(client, rows, (chunk) => store(client, chunk, config, false));
      const r = rejectedItems(rows, written, refused);
      if (!partial && r.length > 0) throw batchRefused(r); // rolls the transaction back
      return { outcomes: written, rejected: r };
    }));
  }
  if (!partial && rejected.length > 0) throw batchRefused(rejected); // all or nothing: nothing was stored
  const created = new Set(outcomes.filter((o) => o.outcome === 'created').map((o) => o.item));
  const refusedIndexes = new Set(rejected.map((r) => r.index));
  const results: ItemResult[] = [
    ...rows
      .filter((r) => !refusedIndexes.has(r.i))
      .map((r) => ({ index: r.i, status: created.has(r.i) ? ('created' as const) : ('duplicate' as const) })),
    ...rejected.map((r) => ({ index: r.index, status: 'rejected' as const, reason: r.reason, error: r.error })),
  ];
  return { results, rejected };
}
