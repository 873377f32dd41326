import { createHash } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
import { Config } from '../../../config/schema';
import { withTransaction } from '../../../db/pool';
import { describeIssue } from '../../errors';
import { erasedUsersAmong } from '../../../admin/tombstones';
import { insertEvents, ValidatedBatch } from '../../ingest/events';
import { eventSchema } from '../../ingest/schemas';
import { isoTimestamp, outOfBounds, timeBounds } from '../../ingest/timestamps';
import { TrackingSource } from '../integration-metrics';
import { RejectReason, TenantTraits, TrackingOp, UserTraits } from './operations';

/**
 * Stores one SDK batch: tenants (group calls) first, then users (identify), then events, so that
 * a batch holding "identify, group, track" for a new account lands whole. Tenants, users and the
 * refused messages commit in one transaction, then the events in the ingest API's own (same
 * validation, same (id, occurred_at) idempotency); the batch is acknowledged after both, so a
 * retry after any failure stores nothing twice.
 */

export interface TrackingSummary {
  /** Events stored. */
  stored: number;
  /** Identify and group calls applied to users and tenants. */
  profiles: number;
  duplicates: number;
  ignored: number;
  rejected: number;
  /** Rejections by reason code (the metric labels). */
  reasons: Partial<Record<RejectReason, number>>;
  /** tenantId / userId: what a waiting message waits for; it is stored when that arrives. */
  rejections: Array<{ index: number; messageId: string; reason: RejectReason; message: string; tenantId?: string; userId?: string }>;
  /** Newest event timestamp of the batch (Unix ms), for the lag gauge. */
  newestMs?: number;
  /** Tenants and users the batch wrote or wrote events for: waiting messages may now be stored. */
  touched: { tenants: string[]; users: string[] };
}

const SQL_UPSERT_TENANTS = `
INSERT INTO tenants (id, name, plan, segment, acquisition_channel, region, created_at)
SELECT id, coalesce(name, id), coalesce(plan, $2), segment, acquisition_channel, region, coalesce(created_at, at)
FROM jsonb_to_recordset($1::jsonb) AS r(id text, name text, plan text, segment text, acquisition_channel text,
     region text, created_at timestamptz, at timestamptz)
ON CONFLICT (id) DO UPDATE SET
  -- a group call without a name (the insert used the id) leaves the name as it is
  name = CASE WHEN EXCLUDED.name <> EXCLUDED.id THEN EXCLUDED.name ELSE tenants.name END,
  plan = coalesce(nullif(EXCLUDED.plan, $2), tenants.plan),
  segment = coalesce(EXCLUDED.segment, tenants.segment),
  acquisition_channel = coalesce(EXCLUDED.acquisition_channel, tenants.acquisition_channel),
  region = coalesce(EXCLUDED.region, tenants.region)`;

const SQL_UPSERT_USERS = `
INSERT INTO users (id, tenant_id, email, role, created_at)
SELECT id, tenant_id, email, role, coalesce(created_at, at)
FROM jsonb_to_recordset($1::jsonb) AS r(id text, tenant_id text, email text, role text, created_at timestamptz, at timestamptz)
ON CONFLICT (id) DO UPDATE SET
  tenant_id = EXCLUDED.tenant_id,
  email = CASE WHEN users.deleted_at IS NULL THEN coalesce(EXCLUDED.email, users.email) ELSE users.email END,
  role = coalesce(EXCLUDED.role, users.role)`;

const SQL_KNOWN_TENANTS = `SELECT id FROM tenants WHERE id = ANY($1::text[])`;
const SQL_USER_TENANTS = `SELECT id, tenant_id FROM users WHERE id = ANY($1::text[])`;

const SQL_RECORD_REJECTIONS = `
INSERT INTO saasmon_tracking_rejections (source, message_id, reason_code, reason, tenant_id, user_id, message)
SELECT $1, message_id, reason_code, reason, tenant_id, user_id, message
FROM jsonb_to_recordset($2::jsonb) AS r(message_id text, reason_code text, reason text, tenant_id text, user_id text, message jsonb)
ON CONFLICT (source, message_id) DO UPDATE SET reason_code = EXCLUDED.reason_code, reason = EXCLUDED.reason,
  tenant_id = EXCLUDED.tenant_id, user_id = EXCLUDED.user_id, message = EXCLUDED.message`;

// Waiting messages that a batch may have unblocked: those waiting for a tenant or user it
// touched, and those it parked itself (their tenant may have come in a concurrent batch).
export const SQL_READY_TO_REPLAY = `
SELECT r.source, r.message_id, r.message FROM saasmon_tracking_rejections r
WHERE ((r.reason_code = 'unknown_tenant' AND r.tenant_id = ANY($1::text[]))
    OR (r.reason_code = 'no_tenant' AND r.user_id = ANY($2::text[]))
    OR (r.source = $3 AND r.message_id = ANY($4::text[])))
  AND ((r.reason_code = 'unknown_tenant' AND EXISTS (SELECT 1 FROM tenants t WHERE t.id = r.tenant_id))
    OR (r.reason_code = 'no_tenant' AND EXISTS (SELECT 1 FROM users u WHERE u.id = r.user_id)))
ORDER BY r.received_at
LIMIT $5`;

export const SQL_FORGET_REJECTIONS = `
DELETE FROM saasmon_tracking_rejections WHERE source = $1 AND message_id = ANY($2::text[])`;

interface Indexed<T> {
  index: number;
  op: T;
}
type EventOp = Extract<TrackingOp, { kind: 'event' }>;
type UserOp = Extract<TrackingOp, { kind: 'user' }>;
type TenantOp = Extract<TrackingOp, { kind: 'tenant' }>;

/** Later messages win field by field (SDK batches are in call order). */
function mergeTenants(ops: readonly TenantOp[]): Map<string, { traits: TenantTraits; at: string }> {
  const out = new Map<string, { traits: TenantTraits; at: string }>();
  for (const op of ops) {
    const prev = out.get(op.tenantId);
    const defined = Object.fromEntries(Object.entries(op.traits).filter(([, v]) => v !== undefined)) as TenantTraits;
    out.set(op.tenantId, { traits: { ...(prev?.traits ?? {}), ...defined }, at: prev?.at ?? op.at });
  }
  return out;
}

export async function storeTracking(
  pool: Pool,
  source: TrackingSource,
  ops: readonly TrackingOp[],
  raws: readonly unknown[],
  extraTenants: ReadonlyArray<{ index: number; op: TenantOp }>,
  config: Config,
  now: Date,
): Promise<TrackingSummary> {
  const summary: TrackingSummary = {
    stored: 0,
    profiles: 0,
    duplicates: 0,
    ignored: 0,
    rejected: 0,
    reasons: {},
    rejections: [],
    touched: { tenants: [], users: [] },
  };
  const reject = (
    index: number,
    messageId: string,
    reason: RejectReason,
    message: string,
    waitsFor: { tenantId?: string; userId?: string } = {},
  ) => {
    summary.rejections.push({ index, messageId, reason, message, ...waitsFor });
  };
  const bounds = timeBounds(config, now);
  const events: Indexed<EventOp>[] = [];
  const users: Indexed<UserOp>[] = [];
  const tenants: Indexed<TenantOp>[] = [...extraTenants];
  ops.forEach((op, index) => {
    if (op.kind === 'ignored') summary.ignored++;
    else if (op.kind === 'rejected') reject(index, op.messageId, op.reason, op.message);
    else {
      const at = op.kind === 'event' ? op.occurredAt : op.at;
      if (!isoTimestamp.safeParse(at).success)
        return reject(index, op.messageId, 'invalid', 'timestamp: must be an ISO 8601 timestamp with a time zone');
      if (op.kind === 'event') {
        const bad = outOfBounds(at, bounds, config);
        if (bad) return reject(index, op.messageId, 'timestamp', `timestamp: ${bad}`);
        events.push({ index, op });
      } else if (op.kind === 'user') users.push({ index, op });
      else tenants.push({ index, op });
    }
  });

  const valid: ValidatedBatch['valid'] = [];
  await withTransaction(pool, async (client) => {
    const merged = mergeTenants(tenants.map((t) => t.op));
    if (merged.size > 0) {
      const rows = [...merged.entries()].map(([id, { traits, at }]) => ({
        id,
        name: traits.name ?? null,
        plan: traits.plan ?? null,
        segment: traits.segment ?? null,
        acquisition_channel: traits.acquisitionChannel ?? null,
        region: traits.region ?? null,
        created_at: traits.createdAt ?? null,
        at,
      }));
      await client.query(SQL_UPSERT_TENANTS, [JSON.stringify(rows), config.integrations.stripe.defaultPlan]);
    }
    // A group call with a userId says which tenant that user belongs to.
    const memberOf = new Map<string, string>();
    for (const t of tenants) if (t.op.userId) memberOf.set(t.op.userId, t.op.tenantId);
    const userIds = [...new Set([...users.map((u) => u.op.userId), ...events.map((e) => e.op.userId).filter((u): u is string => !!u)])];
    const existing = await userTenants(client, userIds);

    const userRows = new Map<string, { tenantId: string; traits: UserTraits; at: string }>();
    const wanted = users.map((u) => ({ ...u, tenantId: u.op.tenantId ?? memberOf.get(u.op.userId) ?? existing.get(u.op.userId) }));
    const known = await knownTenants(client, [
      ...wanted.map((w) => w.tenantId).filter((t): t is string => !!t),
      ...events.map((e) => e.op.tenantId).filter((t): t is string => !!t),
      ...existing.values(),
    ]);
    // An identify call must not bring back what `saasmon erase-user` removed (the erase tombstone).
    const erased = await erasedUsersAmong(
      client,
      wanted.map((w) => w.op.userId),
    );
    for (const w of wanted) {
      if (erased.has(w.op.userId)) {
        reject(
          w.index,
          w.op.messageId,
          'erased_user',
          `user ${w.op.userId}: erased (saasmon erase-user); identify calls for an erased user are refused`,
        );
        continue;
      }
      if (!w.tenantId) {
        reject(
          w.index,
          w.op.messageId,
          'no_tenant',
          `user ${w.op.userId}: no tenant (send a group call first, or context.groupId / traits.company.id / $groups)`,
        );
        continue;
      }
      if (!known.has(w.tenantId)) {
        reject(
          w.index,
          w.op.messageId,
          'unknown_tenant',
          `user ${w.op.userId}: unknown tenant "${w.tenantId}" (stored when its group call arrives)`,
          { tenantId: w.tenantId },
        );
        continue;
      }
      const prev = userRows.get(w.op.userId);
      const defined = Object.fromEntries(Object.entries(w.op.traits).filter(([, v]) => v !== undefined)) as UserTraits;
      userRows.set(w.op.userId, { tenantId: w.tenantId, traits: { ...(prev?.traits ?? {}), ...defined }, at: prev?.at ?? w.op.at });
    }
    if (userRows.size > 0) {
      const rows = [...userRows.entries()].map(([id, u]) => ({
        id,
        tenant_id: u.tenantId,
        email: u.traits.email ?? null,
        role: u.traits.role ?? null,
        created_at: u.traits.createdAt ?? null,
        at: u.at,
      }));
      await client.query(SQL_UPSERT_USERS, [JSON.stringify(rows)]);
    }
    summary.profiles =
      tenants.length - extraTenants.length + wanted.filter((w) => w.tenantId && known.has(w.tenantId) && !erased.has(w.op.userId)).length;

    for (const e of events) {
      const tenantId = e.op.tenantId ?? (e.op.userId ? (userRows.get(e.op.userId)?.tenantId ?? existing.get(e.op.userId)) : undefined);
      if (!tenantId) {
        const userId = e.op.userId ?? undefined;
        reject(
          e.index,
          e.op.messageId,
          'no_tenant',
          `event ${e.op.name}: no tenant (the user is unknown and the event names no group; stored when the user is identified)`,
          { userId },
        );
        continue;
      }
      if (!known.has(tenantId)) {
        reject(
          e.index,
          e.op.messageId,
          'unknown_tenant',
          `event ${e.op.name}: unknown tenant "${tenantId}" (stored when its group call arrives)`,
          { tenantId },
        );
        continue;
      }
      const input = {
        id: `${source}:${e.op.messageId}`,
        tenant_id: tenantId,
        user_id: e.op.userId,
        name: e.op.name,
        occurred_at: new Date(e.op.occurredAt).toISOString(),
        properties: e.op.properties,
      };
      const parsed = eventSchema.safeParse(input);
      if (!parsed.success) {
        reject(e.index, e.op.messageId, 'invalid', parsed.error.issues.map(describeIssue).join('; '));
        continue;
      }
      valid.push({ index: e.index, event: parsed.data });
      summary.newestMs = Math.max(summary.newestMs ?? 0, Date.parse(input.occurred_at));
    }
  });

  // Items Postgres or the erase tombstone refuse cost only themselves (partial insert).
  const { results, rejected } = await insertEvents(pool, valid, config);
  const messageIds = new Map(events.map((e) => [e.index, e.op.messageId]));
  const tenantIds = new Map(valid.map((v) => [v.index, v.event.tenant_id]));
  for (const r of rejected) {
    const messageId = messageIds.get(r.index) ?? '';
    // A tenant found above but gone when the events were stored waits for its group call like any unknown one.
    if (r.reason === 'unknown_tenant') reject(r.index, messageId, 'unknown_tenant', r.error, { tenantId: tenantIds.get(r.index) });
    else reject(r.index, messageId, r.reason === 'erased_user' || r.reason === 'database_refused' ? r.reason : 'invalid', r.error);
  }
  summary.touched = {
    tenants: [...new Set([...tenants.map((t) => t.op.tenantId), ...valid.map((v) => v.event.tenant_id)])],
    users: [...new Set([...users.map((u) => u.op.userId), ...valid.map((v) => v.event.user_id).filter((u): u is string => !!u)])],
  };
  summary.stored = results.filter((r) => r.status === 'created').length;
  summary.duplicates = results.filter((r) => r.status === 'duplicate').length;
  if (summary.rejections.length > 0) {
    const rows = summary.rejections.map((r) => ({
      message_id:
        r.messageId ||
        createHash('sha256')
          .update(JSON.stringify(raws[r.index] ?? null))
          .digest('hex'),
      reason_code: r.reason,
      reason: `${r.reason}: ${r.message}`,
      tenant_id: r.tenantId ?? null,
      user_id: r.userId ?? null,
      message: raws[r.index] ?? null,
    }));
    // One row per message id: the last refusal of a message says why it is not stored.
    const unique = [...new Map(rows.map((r) => [r.message_id, r])).values()];
    await pool.query(SQL_RECORD_REJECTIONS, [source, jsonbSafe(JSON.stringify(unique))]);
  }
  summary.rejected = summary.rejections.length;
  for (const r of summary.rejections) summary.reasons[r.reason] = (summary.reasons[r.reason] ?? 0) + 1;
  summary.rejections.sort((a, b) => a.index - b.index);
  return summary;
}

/**
 * A refused message is kept for diagnosis as it came, but jsonb cannot hold NUL or a lone surrogate
 * (often the very reason it was refused): their escapes are kept as visible text (`\\u0000`).
 */
function jsonbSafe(json: string): string {
  return json.replace(/(?<!\\)((?:\\\\)*)\\u(0000|[dD][89a-fA-F][0-9a-fA-F]{2})/g, '$1\\\\u$2');
}

async function userTenants(client: PoolClient, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const r = await client.query<{ id: string; tenant_id: string }>(SQL_USER_TENANTS, [ids]);
  return new Map(r.rows.map((row) => [row.id, row.tenant_id]));
}

async function knownTenants(client: PoolClient, ids: string[]): Promise<Set<string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Set();
  return new Set((await client.query<{ id: string }>(SQL_KNOWN_TENANTS, [unique])).rows.map((r) => r.id));
}
