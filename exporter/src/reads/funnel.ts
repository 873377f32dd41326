import { Breakdown, TenantFilters } from '@saasmon/contract';
import { PoolClient } from 'pg';
import { CopyOut, setLocal, withCopyOut } from '../db/copy-binary';
import { breakdownColumn, tenantFilterSettings, tenantFilterSettingsSql } from './tenant-filter';

// The funnel query's reads: the ids of the step event names, and the packed event timelines of
// the users. The rows come as binary COPY; the caller's `decode` reads them (CPU-bound, next to the
// query: in the compute worker) while the read owns the COPY and gives its memory back after.

/**
 * One row per user-period of packed timelines (migration 005), period rows and pending deltas
 * alike, for live users of tenants passing the filters: (bucket, user_id, period start as days since
 * 1970-01-01, entries). Run as a binary COPY, so values come from settings (setLocal), never from text.
 * Rows name their tenant (migration 006): only the few deleted users are looked up.
 */
export function funnelTimelinesSql(breakdownCol: string, filters: TenantFilters | undefined): string {
  const bucket = breakdownCol === "'all'" ? "'all'" : `coalesce(t.${breakdownCol}, '(none)')`;
  return `
WITH timelines AS (
  SELECT user_id, tenant_id, period_start, entries FROM saasmon_user_timelines
  WHERE period_start >= current_setting('saasmon.funnel_first_period')::date AND period_start <= current_setting('saasmon.funnel_last_period')::date
  UNION ALL
  SELECT user_id, tenant_id, period_start, entries FROM saasmon_timeline_deltas
  WHERE period_start >= current_setting('saasmon.funnel_first_period')::date AND period_start <= current_setting('saasmon.funnel_last_period')::date
)
SELECT ${bucket}::text AS bucket, tl.user_id, (tl.period_start - DATE '1970-01-01')::int4 AS period_day, tl.entries
FROM timelines tl
JOIN tenants t ON t.id = tl.tenant_id
WHERE ${tenantFilterSettingsSql('t', filters)}
  AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = tl.user_id AND u.deleted_at IS NOT NULL)`;
}

const STEP_NAME_IDS_SQL = 'SELECT id, name FROM saasmon_event_names WHERE name = ANY($1::text[])';

/** Ids of the event names among `names` that were ever seen (unseen names have none). */
export async function readStepNameIds(db: PoolClient, names: readonly string[]): Promise<Array<{ id: number; name: string }>> {
  return (await db.query<{ id: number; name: string }>(STEP_NAME_IDS_SQL, [names])).rows;
}

const DAY_MS = 86_400_000;
/** Start of the 10-day timeline period holding `ms` (saasmon_timeline_period), as YYYY-MM-DD. */
const periodOf = (ms: number) => new Date(Math.floor(ms / DAY_MS / 10) * 10 * DAY_MS).toISOString().slice(0, 10);

export interface TimelineRange {
  /** Entries at or after fromMs and at or before lastMs are needed; whole periods are read. */
  fromMs: number;
  lastMs: number;
  breakdown: Breakdown | undefined;
  filters: TenantFilters | undefined;
}

/** The rows of funnelTimelinesSql for the periods of [fromMs, lastMs], handed to `decode`. */
export async function readFunnelTimelines<T>(db: PoolClient, r: TimelineRange, decode: (copy: CopyOut) => T): Promise<T> {
  await setLocal(db, {
    funnel_first_period: periodOf(r.fromMs),
    funnel_last_period: periodOf(Math.max(r.fromMs, r.lastMs)),
    ...tenantFilterSettings(r.filters),
  });
  return withCopyOut(db, funnelTimelinesSql(breakdownColumn(r.breakdown), r.filters), decode);
}
