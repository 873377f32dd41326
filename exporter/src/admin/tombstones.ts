import { PoolClient } from 'pg';

/**
 * The GDPR tombstones (saasmon_erased_users) and the lock that orders erase against ingest: an
 * erase holds it exclusively while it scrubs and writes the tombstone, ingest of user data holds it
 * shared (writers never wait for each other) and reads the tombstones inside its own transaction,
 * so an event is either stored before the erase (and scrubbed by it) or sees the tombstone.
 */
export const ERASE_LOCK_KEY = 7_305_853_131; // any constant bigint, unique to this purpose

export const SQL_LOCK_FOR_INGEST = `SELECT pg_advisory_xact_lock_shared(${ERASE_LOCK_KEY})`;
export const SQL_LOCK_FOR_ERASE = `SELECT pg_advisory_xact_lock(${ERASE_LOCK_KEY})`;
export const SQL_ERASED_AMONG = `SELECT user_id FROM saasmon_erased_users WHERE user_id = ANY($1::text[])`;
export const SQL_WRITE_TOMBSTONE = `
INSERT INTO saasmon_erased_users (user_id, erased_at) VALUES ($1, $2::timestamptz)
ON CONFLICT (user_id) DO NOTHING`;

/** Takes the shared ingest lock in the caller's transaction and returns which of the ids were erased. */
export async function erasedUsersAmong(client: PoolClient, userIds: readonly (string | null | undefined)[]): Promise<Set<string>> {
  await client.query(SQL_LOCK_FOR_INGEST);
  const ids = [...new Set(userIds.filter((u): u is string => typeof u === 'string'))];
  if (ids.length === 0) return new Set();
  return new Set((await client.query<{ user_id: string }>(SQL_ERASED_AMONG, [ids])).rows.map((r) => r.user_id));
}
