import { Pool } from 'pg';
import { z } from 'zod';
import { Config } from '../../config/schema';
import { withTransaction } from '../../db/pool';
import { describeIssue } from '../errors';
import { EventInput, eventSchema } from './schemas';
import { outOfBounds, timeBounds } from './timestamps';

export const SQL_KNOWN_TENANTS = `SELECT id FROM tenants WHERE id = ANY($1::text[])`;

export const SQL_ENSURE_PARTITIONS = `SELECT saasmon_ensure_event_partitions($1::timestamptz, $2::timestamptz)`;

// (id, occurred_at) is the contract's idempotency key: a retried batch inserts nothing twice.
export const SQL_INSERT_EVENTS = `
INSERT INTO events (id, tenant_id, user_id, name, occurred_at, properties)
SELECT id, tenant_id, user_id, name, occurred_at, coalesce(properties, '{}'::jsonb)
FROM jsonb_to_recordset($1::jsonb) AS e(id text, tenant_id text, user_id text, name text,
     occurred_at timestamptz, properties jsonb)
ON CONFLICT (id, occurred_at) DO NOTHING
RETURNING id, occurred_at`;

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
  | { index: number; status: 'created' | 'duplicate' }
  | { index: number; status: 'rejected'; error: string };

export interface ValidatedBatch {
  valid: Array<{ index: number; event: EventInput }>;
  rejected: Array<{ index: number; error: string }>;
}

export const batchSchema = (maxBatchSize: number) =>
  z
    .object({
      events: z
        .array(z.unknown())
        .min(1, 'must hold at least one event')
        .max(maxBatchSize, `must hold at most ${maxBatchSize} events`),
    })
    .strict();

/** Validates every item: shape, time range, known tenant. Returns what is valid and why the rest is not. */
export async function validateEvents(
  pool: Pool,
  items: readonly unknown[],
  config: Config,
  now: Date,
): Promise<ValidatedBatch> {
  const bounds = timeBounds(config, now);
  const valid: ValidatedBatch['valid'] = [];
  const rejected: ValidatedBatch['rejected'] = [];
  items.forEach((item, index) => {
    const parsed = eventSchema.safeParse(item);
    if (!parsed.success) {
      rejected.push({ index, error: parsed.error.issues.map((i) => describeIssue({ ...i, path: ['events', index, ...i.path] })).join('; ') });
      return;
    }
    const bad = outOfBounds(parsed.data.occurred_at, bounds, config);
    if (bad) rejected.push({ index, error: `events[${index}].occurred_at: ${bad}` });
    else valid.push({ index, event: parsed.data });
  });
  if (valid.length > 0) {
    const tenantIds = [...new Set(valid.map((v) => v.event.tenant_id))];
    const known = new Set((await pool.query<{ id: string }>(SQL_KNOWN_TENANTS, [tenantIds])).rows.map((r) => r.id));
    for (let i = valid.length - 1; i >= 0; i--) {
      const v = valid[i] as ValidatedBatch['valid'][number];
      if (!known.has(v.event.tenant_id)) {
        rejected.push({ index: v.index, error: `events[${v.index}].tenant_id: unknown tenant "${v.event.tenant_id}"` });
        valid.splice(i, 1);
      }
    }
  }
  rejected.sort((a, b) => a.index - b.index);
  return { valid, rejected };
}

/** Months for which a partition was already made by this process: the common case skips the call. */
const knownMonths = new Set<string>();

async function ensurePartitions(pool: Pool, events: readonly EventInput[]): Promise<void> {
  const months = new Map<string, string>();
  // Keyed by the pool's options too (they carry the search_path): one process may serve several schemas in tests.
  for (const e of events) months.set(`${pool.options.options}|${e.occurred_at.slice(0, 7)}`, e.occurred_at);
  const missing = [...months.entries()].filter(([m]) => !knownMonths.has(m));
  if (missing.length === 0) return;
  const times = missing.map(([, t]) => Date.parse(t));
  await pool.query(SQL_ENSURE_PARTITIONS, [new Date(Math.min(...times)), new Date(Math.max(...times))]);
  for (const [m] of missing) knownMonths.add(m);
}

/** Inserts valid events in one transaction; resolves only after COMMIT (acknowledged = committed). */
export async function insertEvents(
  pool: Pool,
  batch: ValidatedBatch['valid'],
  config: Config,
): Promise<ItemResult[]> {
  if (batch.length === 0) return [];
  const events = batch.map((b) => b.event);
  await ensurePartitions(pool, events);
  const json = JSON.stringify(events.map((e) => ({ ...e, user_id: e.user_id ?? null, properties: e.properties ?? {} })));
  const inserted = await withTransaction(pool, async (client) => {
    const r = await client.query<{ id: string; occurred_at: Date }>(SQL_INSERT_EVENTS, [json]);
    if (config.ingest.activationEvent) await client.query(SQL_MARK_ACTIVATED, [json, config.ingest.activationEvent]);
    return new Set(r.rows.map((row) => `${row.id}|${row.occurred_at.getTime()}`));
  });
  // Within one batch the same key may appear twice: the first occurrence is the created one.
  const seen = new Set<string>();
  return batch.map(({ index, event }) => {
    const k = `${event.id}|${Date.parse(event.occurred_at)}`;
    const created = inserted.has(k) && !seen.has(k);
    seen.add(k);
    return { index, status: created ? 'created' : 'duplicate' };
  });
}
