import { Pool } from 'pg';
import { Config } from '../../../config/schema';
import { TrackingSource } from '../integration-metrics';
import { tenantTraits, TrackingOp } from './operations';
import { posthogOperation } from './posthog';
import { segmentCompanyTenant, segmentOperation } from './segment';
import { SQL_FORGET_REJECTIONS, SQL_READY_TO_REPLAY, storeTracking, TrackingSummary } from './store';

const OPERATION: Record<TrackingSource, (raw: unknown, config: Config) => TrackingOp> = {
  posthog: posthogOperation,
  segment: segmentOperation,
};

/** One SDK's messages, mapped and stored (see store.ts); what the request answers. */
export async function storeMessages(
  pool: Pool,
  source: TrackingSource,
  messages: readonly unknown[],
  config: Config,
  now: Date,
): Promise<TrackingSummary> {
  const ops = messages.map((m) => OPERATION[source](m, config));
  const companies = source === 'segment' ? companyTenants(messages, ops) : [];
  return storeTracking(pool, source, ops, messages, companies, config, now);
}

/**
 * Stores the waiting messages that `batch` may have unblocked (their tenant or user arrived) and
 * forgets them. Run after every batch: of two concurrent batches, one holding a group call and
 * the other its first events, the one that commits second always finds the other's rows.
 */
export async function replayWaiting(
  pool: Pool,
  source: TrackingSource,
  batch: Pick<TrackingSummary, 'touched' | 'rejections'>,
  config: Config,
  now: Date,
): Promise<Partial<Record<TrackingSource, number>>> {
  const parked = batch.rejections.filter((r) => r.tenantId || r.userId).map((r) => r.messageId);
  if (batch.touched.tenants.length + batch.touched.users.length + parked.length === 0) return {};
  const rows = (
    await pool.query<{ source: TrackingSource; message_id: string; message: unknown }>(SQL_READY_TO_REPLAY, [
      batch.touched.tenants,
      batch.touched.users,
      source,
      parked,
      config.ingest.maxBatchSize,
    ])
  ).rows;
  const stored: Partial<Record<TrackingSource, number>> = {};
  for (const s of Object.keys(OPERATION) as TrackingSource[]) {
    const mine = rows.filter((r) => r.source === s);
    if (mine.length === 0) continue;
    const summary = await storeMessages(
      pool,
      s,
      mine.map((r) => r.message),
      config,
      now,
    );
    const still = new Set(summary.rejections.map((r) => r.messageId));
    const done = mine.map((r) => r.message_id).filter((id) => !still.has(id));
    if (done.length > 0) await pool.query(SQL_FORGET_REJECTIONS, [s, done]);
    stored[s] = summary.stored;
  }
  return stored;
}

/** Segment identify calls may carry the tenant as traits.company: it is upserted like a group call. */
function companyTenants(messages: readonly unknown[], ops: readonly TrackingOp[]) {
  const out: Array<{ index: number; op: Extract<TrackingOp, { kind: 'tenant' }> }> = [];
  messages.forEach((m, index) => {
    const op = ops[index];
    const company = segmentCompanyTenant(m);
    if (!company || op?.kind !== 'user') return;
    out.push({
      index,
      op: { kind: 'tenant', messageId: op.messageId, tenantId: company.tenantId, traits: tenantTraits(company.traits), at: op.at },
    });
  });
  return out;
}
