import { Client } from 'pg';
import { sql as FUNCTIONS_SQL } from './functions';
import { MIGRATIONS, Migration } from './migrations';

// Any constant works; it only has to be the same for every saasmon process on the database.
const MIGRATION_LOCK_KEY = 0x5a45_4d4f;

export interface MigrateResult {
  applied: string[];
  skipped: string[];
}

/**
 * Creates the schema, applies pending migrations, then (re)defines every database function and
 * trigger from db/functions.ts, then runs the pending migrations' steps that need those functions
 * (rebuilds). All of it is one transaction, under an advisory lock so two exporters starting
 * together do not race: a database is never left with new tables and old functions. A database
 * migrated by an older release and a fresh one end with the same definitions. Re-running applies
 * the functions again and nothing else. `functions` = null leaves them out (tests of old releases).
 */
export async function migrate(
  url: string,
  schema: string,
  migrations: readonly Migration[] = MIGRATIONS,
  functions: string | null = FUNCTIONS_SQL,
): Promise<MigrateResult> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  const client = new Client({ connectionString: url, application_name: 'saasmon-migrate' });
  await client.connect();
  const result: MigrateResult = { applied: [], skipped: [] };
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    // The schema name was validated above as a plain identifier; DDL cannot take it as a parameter.
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(`SET search_path TO ${schema}, public`);
    await client.query(`CREATE TABLE IF NOT EXISTS saasmon_migrations (
      version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set((await client.query<{ version: string }>('SELECT version FROM saasmon_migrations')).rows.map((r) => r.version));
    const pending = migrations.filter((m) => !done.has(m.version));
    result.skipped = migrations.filter((m) => done.has(m.version)).map((m) => m.version);
    const step = async (what: string, sql: string) => {
      try {
        await client.query(sql);
      } catch (err) {
        throw new Error(`${what} failed: ${(err as Error).message}`);
      }
    };
    await client.query('BEGIN');
    try {
      for (const m of pending) {
        await step(`migration ${m.version}`, m.sql);
        await client.query('INSERT INTO saasmon_migrations (version) VALUES ($1)', [m.version]);
      }
      if (functions !== null) {
        await step('database functions (db/functions.ts)', functions);
        // A later step may repeat an earlier one (a full rebuild after a partial one): run it once.
        const after = [...new Set(pending.flatMap((m) => (m.afterFunctions ? [m.afterFunctions] : [])))];
        for (const sql of after) await step(`migration ${pending.find((m) => m.afterFunctions === sql)?.version}`, sql);
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    }
    result.applied = pending.map((m) => m.version);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
  return result;
}
