import { escapeIdentifier, Pool } from 'pg';
import { withReadOnly } from '../db/pool';

/**
 * GDPR export (right of access): everything saasmon's schema stores about one user, as JSON. The
 * user row, and every row of every table with a `user_id` column (events, NPS answers, experiment
 * assignments, per-user rollups, the erase tombstone, and whatever tables later versions add),
 * found from the catalog so that a new table is never forgotten. One read-only snapshot.
 */
export const SQL_USER_TABLES = `
SELECT c.relname AS table_name
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'user_id' AND NOT a.attisdropped
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
ORDER BY c.relname`;
export const SQL_USER_ROW = `SELECT row_to_json(u) AS row FROM users u WHERE id = $1`;
export const SQL_REFERRED_USERS = `SELECT coalesce(json_agg(id ORDER BY id), '[]'::json) AS ids FROM users WHERE referred_by = $1`;

export interface UserExport {
  user_id: string;
  exported_at: string;
  /** The users row (null when the id is not in users but appears elsewhere). */
  user: Record<string, unknown> | null;
  /** Ids of the users this user referred (their rows are theirs, not this user's). */
  referred_user_ids: string[];
  /** Rows by table, for every table with a user_id column that holds rows of this user. */
  tables: Record<string, Array<Record<string, unknown>>>;
}

export async function exportUser(pool: Pool, userId: string, now: Date = new Date()): Promise<UserExport> {
  return withReadOnly(pool, async (client) => {
    const user = (await client.query<{ row: Record<string, unknown> }>(SQL_USER_ROW, [userId])).rows[0]?.row ?? null;
    const referred = (await client.query<{ ids: string[] }>(SQL_REFERRED_USERS, [userId])).rows[0]?.ids ?? [];
    const tables: UserExport['tables'] = {};
    for (const { table_name } of (await client.query<{ table_name: string }>(SQL_USER_TABLES)).rows) {
      // The name comes from the catalog, quoted; the user id is a parameter.
      const rows = await client.query<{ row: Record<string, unknown> }>(
        `SELECT row_to_json(t) AS row FROM ${escapeIdentifier(table_name)} t WHERE user_id = $1 ORDER BY row_to_json(t)::text`,
        [userId],
      );
      if (rows.rows.length > 0) tables[table_name] = rows.rows.map((r) => r.row);
    }
    return { user_id: userId, exported_at: now.toISOString(), user, referred_user_ids: referred, tables };
  });
}

/** True when nothing at all is stored about the user. */
export function isEmptyExport(e: UserExport): boolean {
  return e.user === null && e.referred_user_ids.length === 0 && Object.keys(e.tables).length === 0;
}
