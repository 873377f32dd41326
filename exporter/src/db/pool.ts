import { Pool, PoolClient } from 'pg';
import { Config } from '../config/schema';

export interface Queryable {
  query<R extends object = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

/**
 * One pool per purpose. search_path points at the contract schema so that SQL names tables
 * plainly; statement_timeout and application_name are server-side settings sent at connect.
 */
export function createPool(config: Config, purpose: 'read' | 'write', url = config.database.url): Pool {
  if (!url) throw new Error('database.url is not set');
  const pool = new Pool({
    connectionString: url,
    max: config.database.poolMax,
    application_name: `${config.database.applicationName}${purpose === 'write' ? '-writer' : ''}`,
    statement_timeout: config.database.statementTimeoutMs,
    // JIT compilation is triggered by large cost estimates and costs more than it saves on these
    // short analytic queries (measured: +100-400 ms on rollup scans).
    options: `-c search_path=${config.database.schema},public -c jit=off`,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // A client that loses its server emits 'error': on the pool while idle, on the client itself
  // otherwise. An unheard 'error' ends the process, and the exporter must outlive database
  // outages; the failure still reaches whoever runs a query on that client. node-postgres leaves
  // moments with no listener on a checked-out client (seen: a pool.query client hearing the
  // server's shutdown notice), so every client keeps one for its whole life.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** Every connection of the pool stayed busy for connectionTimeoutMillis: the service is overloaded. */
export class PoolExhaustedError extends Error {}

/** Checks a client out; release(true) discards a client whose connection may be broken. */
async function checkout(pool: Pool): Promise<{ client: PoolClient; release(broken: boolean): void }> {
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    // node-postgres says so only in its message; with every connection busy, not a database fault.
    if ((err as Error)?.message === 'timeout exceeded when trying to connect' && pool.totalCount >= (pool.options.max ?? 10)) {
      throw new PoolExhaustedError('every database connection is busy');
    }
    throw err;
  }
  return { client, release: (broken) => client.release(broken) };
}

/** Runs fn inside a READ ONLY transaction, always rolled back: collectors never write. */
export async function withReadOnly<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const { client, release } = await checkout(pool);
  let broken = false;
  try {
    await client.query('BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    return await fn(client);
  } catch (err) {
    broken = true;
    throw err;
  } finally {
    try {
      await client.query('ROLLBACK');
    } catch {
      broken = true;
    }
    release(broken);
  }
}

/** Runs fn inside a transaction that commits when fn resolves. */
export async function withTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const { client, release } = await checkout(pool);
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    broken = true;
    try {
      await client.query('ROLLBACK');
    } catch {
      /* the connection is gone; release(true) discards it */
    }
    throw err;
  } finally {
    release(broken);
  }
}
