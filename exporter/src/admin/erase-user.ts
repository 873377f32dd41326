import { Pool } from 'pg';
import { withTransaction } from '../db/pool';
import { SQL_LOCK_FOR_ERASE, SQL_WRITE_TOMBSTONE } from './tombstones';

/**
 * GDPR erasure of one user. Personal data goes: the email, their events' properties, their NPS
 * comments. The user row stays (id, tenant, timestamps, referrals) marked deleted, and a tombstone
 * (saasmon_erased_users) makes it last: ingest refuses new events of the user and stores a re-sent
 * NPS answer without its comment.
 *
 * What it changes in history: every metric leaves deleted users out, for past days too, so
 * user-level counts (DAU/WAU/MAU, retention, activation, funnels, experiments) drop by this user
 * on every day they were active, the days before the erase included. Tenant-level numbers (MRR,
 * tenants, churn, NPS scores, which belong to the tenant) do not change. One transaction, under
 * the erase lock: all or nothing, and no ingest of user data runs half before, half after it.
 */
export const SQL_ERASE_USER = `UPDATE users SET email = NULL, deleted_at = coalesce(deleted_at, $2::timestamptz) WHERE id = $1`;
export const SQL_ERASE_EVENT_PROPERTIES = `UPDATE events SET properties = '{}'::jsonb WHERE user_id = $1 AND properties <> '{}'::jsonb`;
export const SQL_ERASE_NPS_COMMENTS = `UPDATE nps_responses SET comment = NULL WHERE user_id = $1 AND comment IS NOT NULL`;
export const SQL_USER_EVENT_DAYS = `SELECT count(*) AS events, count(DISTINCT (occurred_at AT TIME ZONE 'UTC')::date) AS days FROM events WHERE user_id = $1`;

export interface EraseResult {
  found: boolean;
  eventsScrubbed: number;
  npsCommentsRemoved: number;
  /** The user's events (kept, no longer counted in user-level metrics) and the UTC days they fall on. */
  eventsNoLongerCounted: number;
  daysChanged: number;
}

export async function eraseUser(pool: Pool, userId: string, now: Date = new Date()): Promise<EraseResult> {
  return withTransaction(pool, async (client) => {
    await client.query(SQL_LOCK_FOR_ERASE);
    const user = await client.query(SQL_ERASE_USER, [userId, now]);
    if (user.rowCount === 0) return { found: false, eventsScrubbed: 0, npsCommentsRemoved: 0, eventsNoLongerCounted: 0, daysChanged: 0 };
    await client.query(SQL_WRITE_TOMBSTONE, [userId, now]);
    const events = await client.query(SQL_ERASE_EVENT_PROPERTIES, [userId]);
    const nps = await client.query(SQL_ERASE_NPS_COMMENTS, [userId]);
    const span = (await client.query<{ events: string; days: string }>(SQL_USER_EVENT_DAYS, [userId])).rows[0];
    return {
      found: true,
      eventsScrubbed: events.rowCount ?? 0,
      npsCommentsRemoved: nps.rowCount ?? 0,
      eventsNoLongerCounted: Number(span?.events ?? 0),
      daysChanged: Number(span?.days ?? 0),
    };
  });
}

/** The CLI's account of an erase: what went, what stays, and what changes in history. */
export function describeErase(userId: string, r: EraseResult): string {
  return [
    `erased user ${userId}: email removed, marked deleted, ${r.eventsScrubbed} event properties emptied, ${r.npsCommentsRemoved} NPS comments removed;`,
    `a tombstone keeps it erased (new events of this user are refused, a re-sent NPS answer is stored without its comment).`,
    `History changes: user-level counts (DAU/WAU/MAU, retention, activation, funnels, experiments) leave this user out on every day,`,
    `past days included: ${r.eventsNoLongerCounted} events on ${r.daysChanged} days no longer count. Tenant-level numbers (MRR, tenants, churn, NPS scores) are unchanged.`,
  ].join('\n');
}
