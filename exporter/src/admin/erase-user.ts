import { Pool } from 'pg';
import { withTransaction } from '../db/pool';

/**
 * GDPR erasure of one user: personal data goes, ids and counts stay. The user row keeps its id
 * and timestamps (so tenant-level aggregates and referrals still add up) but loses its email and
 * is marked deleted, which every metric already excludes; free text the user wrote (NPS comments)
 * and event properties (which may hold personal data) are emptied. One transaction: all or nothing.
 */
export const SQL_ERASE_USER = `UPDATE users SET email = NULL, deleted_at = coalesce(deleted_at, $2::timestamptz) WHERE id = $1`;
export const SQL_ERASE_EVENT_PROPERTIES = `UPDATE events SET properties = '{}'::jsonb WHERE user_id = $1 AND properties <> '{}'::jsonb`;
export const SQL_ERASE_NPS_COMMENTS = `UPDATE nps_responses SET comment = NULL WHERE user_id = $1 AND comment IS NOT NULL`;

export interface EraseResult {
  found: boolean;
  eventsScrubbed: number;
  npsCommentsRemoved: number;
}

export async function eraseUser(pool: Pool, userId: string, now: Date = new Date()): Promise<EraseResult> {
  return withTransaction(pool, async (client) => {
    const user = await client.query(SQL_ERASE_USER, [userId, now]);
    if (user.rowCount === 0) return { found: false, eventsScrubbed: 0, npsCommentsRemoved: 0 };
    const events = await client.query(SQL_ERASE_EVENT_PROPERTIES, [userId]);
    const nps = await client.query(SQL_ERASE_NPS_COMMENTS, [userId]);
    return { found: true, eventsScrubbed: events.rowCount ?? 0, npsCommentsRemoved: nps.rowCount ?? 0 };
  });
}
