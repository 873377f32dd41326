import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { parseConfig } from '../config/load';
import { Config, ConfigInput } from '../config/schema';
import { createPool } from '../db/pool';
import { migrate } from '../db/migrate';
import { Migration, MIGRATIONS } from '../db/migrations';

export interface TestSchema {
  url: string;
  schema: string;
  /** A writer pool whose search_path is the test schema, for fixtures. */
  pool: Pool;
  config(overrides?: ConfigInput): Config;
  /** Inserts fixture rows; a key missing from a row takes the column default. */
  insert(table: string, rows: ReadonlyArray<Record<string, unknown>>): Promise<void>;
  close(): Promise<void>;
}

export function testDatabaseUrl(): string {
  const url = process.env.SAASMON_TEST_DATABASE_URL;
  if (!url) throw new Error('SAASMON_TEST_DATABASE_URL is not set: run tests through jest (global-setup)');
  return url;
}

/**
 * A fresh schema in the run's test database, migrated (by default to the latest, with the database
 * functions; `functions` null for released migrations that bring their own), dropped by close().
 */
export async function createTestSchema(
  prefix = 't',
  migrations: readonly Migration[] = MIGRATIONS,
  functions?: string | null,
): Promise<TestSchema> {
  const url = testDatabaseUrl();
  const schema = `${prefix}_${randomBytes(5).toString('hex')}`;
  await migrate(url, schema, migrations, functions);
  const makeConfig = (overrides: ConfigInput = {}): Config =>
    parseConfig({ ...overrides, database: { ...(overrides.database ?? {}), url, schema } });
  const pool = createPool(makeConfig(), 'write');
  return {
    url,
    schema,
    pool,
    config: makeConfig,
    async insert(table, rows) {
      if (rows.length === 0) return;
      // Columns: every key any row has; a row without one gets the column's DEFAULT.
      const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
      const values: unknown[] = [];
      const tuples = rows.map((row) => {
        const placeholders = columns.map((c) => {
          if (!(c in row)) return 'DEFAULT';
          values.push((row as Record<string, unknown>)[c]);
          return `$${values.length}`;
        });
        return `(${placeholders.join(', ')})`;
      });
      // Table and column names come from the test's own literals, never from outside input.
      await pool.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, values);
    },
    async close() {
      await pool.query(`DROP SCHEMA ${schema} CASCADE`);
      await pool.end();
    },
  };
}
