import { Pool, PoolClient } from 'pg';
import { Config } from '../config/schema';

export interface Queryable {
  query<R extends object = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

/**
 * Who uses a pool. Each role has its own connection budget (database.pools), so none can starve
 * another: collectors and the query API read (from database.readUrl when set), ingest and
 * compaction write, the probe holds one connection for saasmon_up. 'read' and 'write' are the
 * plain pools of tools and tests (database.poolMax connections).
 */
export type PoolRole = 'collectors' | 'query' | 'light' | 'ingest' | 'compaction' | 'probe' | 'read' | 'write';

const READER_ROLES: ReadonlySet<PoolRole> = new Set(['collectors', 'query', 'light']);

/** Connections of a role: database.pools.<role>, else query and ingest poolMax, collectors 2, compaction and probe 1. */
export function poolSize(config: Config, role: PoolRole): number {
  const { pools, poolMax } = config.database;
  switch (role) {
    case 'collectors':
      return pools.collectors ?? 2;
    case 'query':
      return pools.query ?? poolMax;
    case 'light':
      return pools.light ?? 2;
    case 'ingest':
      return pools.ingest ?? poolMax;
    case 'compaction':
      return pools.compaction ?? 1;
    case 'probe':
      return 1;
    default:
      return poolMax;
  }
}

/** The URL a role connects to: readers go to the replica when there is one. */
export function roleUrl(config: Config, role: PoolRole): string | undefined {
  return READER_ROLES.has(role) ? (config.database.readUrl ?? config.database.url) : config.database.url;
}

/** Client-side bound on one query: past the statement timeout, a server that does not answer is hung. */
export function queryTimeoutMs(config: Config): number {
  return config.database.queryTimeoutMs ?? config.database.statementTimeoutMs + 5_000;
}

/**
 * One pool per role. search_path points at the contract schema so that SQL names tables
 * plainly; statement_timeout and application_name are server-side settings sent at connect.
 * query_timeout bounds the wait on a server that stopped answering (the statement timeout
 * cannot fire there), and TCP keepalive notices a peer that vanished without a word.
 */
export function createPool(
  config: Config,
  purpose: PoolRole,
  url = roleUrl(config, purpose),
  timeouts: { connectMs?: number; queryMs?: number } = {},
): Pool {
  if (!url) throw new Error('database.url is not set');
  const pool = new Pool({
    connectionString: url,
    max: poolSize(config, purpose),
    application_name: `${config.database.applicationName}${purpose === 'read' ? '' : `-${purpose === 'write' ? 'writer' : purpose}`}`,
    statement_timeout: config.database.statementTimeoutMs,
    query_timeout: timeouts.queryMs ?? queryTimeoutMs(config),
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    // JIT compilation is triggered by large cost estimates and costs more than it saves on these
    // short analytic queries (measured: +100-400 ms on rollup scans).
    options: `-c search_path=${config.database.schema},public -c jit=off${purpose === 'light' ? ' -c default_transaction_read_only=on' : ''}`,
    connectionTimeoutMillis: timeouts.connectMs ?? 5_000,
    idleTimeoutMillis: 30_000,
  });
  // A client that loses its server emits 'error': on the pool while idle, on the client itself
  // otherwise. An unheard 'error' ends the process, and the exporter must outlive database
  // outages; the failure still reaches whoever runs a query on that client. node-postgres leaves
  // moments with no listener on a checked-out client (seen: a pool.query client hearing the
  // server's shutdown notice), so every client keeps one for its whole life.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const nice = purpose === 'collectors' || purpose === 'query' ? config.database.backendNice[purpose] : 0;
  if (nice > 0) backgroundNice.set(pool, nice);
  return pool;
}

/**
 * Lowers this session's backend to nice `nice` when the `prioritize` extension is installed;
 * without it, or where the role may not (the extension lets a role lower only its own backends'
 * priority), the backend keeps its priority: nothing fails. A lowered session also stops using
 * parallel workers: they are other processes, started by the postmaster at normal priority, and
 * would do the work the lowering was meant to yield (seen at L: the collectors' parallel workers
 * beside ingest's backend while their leaders ran at nice 10).
 */
const lowerBackendPrioritySql = (nice: number) => `DO $do$
DECLARE ns text;
BEGIN
  SELECT n.nspname INTO ns FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'prioritize';
  IF ns IS NOT NULL THEN
    EXECUTE format('SELECT %I.set_backend_priority(pg_backend_pid(), %s)', ns, ${Math.trunc(nice)});
    PERFORM set_config('max_parallel_workers_per_gather', '0', false);
  END IF;
EXCEPTION WHEN OTHERS THEN
  NULL; -- not permitted here: best effort by design
END
$do$`;

/** Pools whose backends yield the CPU (database.backendNice), and clients already lowered. */
const backgroundNice = new WeakMap<Pool, number>();
const lowered = new WeakSet<PoolClient>();

/** node-postgres gave up waiting for an answer (query_timeout): the server is hung or unreachable. */
export function isQueryTimeout(err: unknown): boolean {
  return (err as Error | undefined)?.message === 'Query read timeout';
}

/** The server cancelled the statement at statement_timeout (SQLSTATE 57014). */
export function isStatementTimeout(err: unknown): boolean {
  return (err as { code?: string } | undefined)?.code === '57014';
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
  const nice = backgroundNice.get(pool);
  if (nice !== undefined && !lowered.has(client)) {
    // Once per connection, on its first checkout (the pool's connect event cannot wait for a query).
    lowered.add(client);
    try {
      await client.query(lowerBackendPrioritySql(nice));
    } catch (err) {
      client.release(true);
      throw err;
    }
  }
  return { client, release: (broken) => client.release(broken) };
}

/**
 * Reads that share no snapshot: each query takes a connection of the pool for itself, so reads
 * issued together run side by side, and none pays a transaction's BEGIN and ROLLBACK. For the
 * light queries (a few small, independent reads each): under load every round trip waits for a
 * CPU, and their number, not the reads' work, sets the latency. Read only by the pool's session
 * default (createPool, role 'light').
 */
export class ParallelReads implements Queryable {
  constructor(private readonly pool: Pool) {}

  async query<R extends object = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }> {
    const { client, release } = await checkout(this.pool);
    let broken = false;
    try {
      return await client.query<R>(text, values);
    } catch (err) {
      // No transaction to roll back: a statement's error (it has a SQLSTATE) leaves the
      // connection usable; a hung or lost connection does not.
      const sqlstate = (err as { code?: unknown } | undefined)?.code;
      broken = isQueryTimeout(err) || typeof sqlstate !== 'string' || !/^[0-9A-Z]{5}$/.test(sqlstate);
      throw err;
    } finally {
      release(broken);
    }
  }
}

/** Whether each query of db stands alone (no transaction to keep usable, reads may run side by side). */
export function sharesNoTransaction(db: Queryable): boolean {
  return db instanceof ParallelReads;
}

/** Runs fn inside a READ ONLY transaction, always rolled back: collectors never write. */
export async function withReadOnly<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const { client, release } = await checkout(pool);
  let broken = false;
  let hung = false;
  try {
    await client.query('BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    return await fn(client);
  } catch (err) {
    broken = true;
    hung = isQueryTimeout(err);
    throw err;
  } finally {
    try {
      // A connection that did not answer in time would not answer the ROLLBACK either.
      if (!hung) await client.query('ROLLBACK');
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
      if (!isQueryTimeout(err)) await client.query('ROLLBACK');
    } catch {
      /* the connection is gone; release(true) discards it */
    }
    throw err;
  } finally {
    release(broken);
  }
}
