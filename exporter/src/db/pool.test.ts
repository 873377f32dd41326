import { Pool } from 'pg';
import { apiErrorHandler } from '../api/errors';
import { createTestSchema, testDatabaseUrl } from '../testing/db';
import { createPool, ParallelReads, PoolExhaustedError, sharesNoTransaction, withReadOnly } from './pool';

it('tells an overloaded pool (every connection busy) from a database fault, and the API answers 503 with Retry-After', async () => {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 1, connectionTimeoutMillis: 200 });
  const held = await pool.connect();
  try {
    const err = await withReadOnly(pool, async () => 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PoolExhaustedError);

    const res = { headers: {} as Record<string, string>, code: 0, body: undefined as unknown };
    const reply = {
      set: (k: string, v: string) => ((res.headers[k] = v), reply),
      status: (c: number) => ((res.code = c), reply),
      json: (b: unknown) => ((res.body = b), reply),
    };
    const log = { error: jest.fn(), info: jest.fn(), warn: jest.fn(), debug: jest.fn() };
    apiErrorHandler(log as never)(err, {} as never, reply as never, () => undefined);
    expect(res.code).toBe(503);
    expect(res.headers['Retry-After']).toBe('1');
    expect(log.error).not.toHaveBeenCalled();
  } finally {
    held.release();
    await pool.end();
  }
});

it("lowers the collectors' and expensive queries' database backends (the prioritize extension), and nothing else's", async () => {
  const db = await createTestSchema('backend_nice');
  const priority = (pool: Pool) =>
    withReadOnly(pool, async (c) => {
      const has = await c.query(`SELECT 1 FROM pg_extension WHERE extname = 'prioritize'`);
      if (!has.rowCount) return undefined;
      const { n, parallel } = (
        await c.query(`SELECT get_backend_priority(pg_backend_pid()) AS n, current_setting('max_parallel_workers_per_gather') AS parallel`)
      ).rows[0];
      // A lowered backend uses no parallel workers: they would run at normal priority.
      return Number(n) > 0 ? (parallel === '0' ? Number(n) : `${n} with parallel workers`) : Number(n);
    });
  // The package (postgresql-NN-prioritize) may be missing where the test's Postgres was started by
  // the test setup: then these backends must still work, at their normal priority.
  const available = await db.pool
    .query('CREATE EXTENSION IF NOT EXISTS prioritize SCHEMA public')
    .then(() => true)
    .catch(() => false);
  const pools = [
    createPool(db.config(), 'collectors'),
    createPool(db.config(), 'query'),
    createPool(db.config(), 'light'),
    createPool(db.config(), 'ingest'),
    createPool(db.config({ database: { backendNice: { collectors: 0 } } }), 'collectors'),
  ];
  try {
    if (!available) console.warn('prioritize extension not installed: checked only that the pools still work');
    const expected = available ? [10, 5, 0, 0, 0] : [undefined, undefined, undefined, undefined, undefined];
    expect(await Promise.all(pools.map(priority))).toEqual(expected);
  } finally {
    await Promise.all(pools.map((p) => p.end()));
    await db.close();
  }
});

it("runs light queries' reads side by side, each on its own connection, and read only", async () => {
  const db = await createTestSchema('parallel_reads');
  const pool = createPool(db.config({ database: { pools: { light: 2 } } }), 'light');
  try {
    const reads = new ParallelReads(pool);
    expect(sharesNoTransaction(reads)).toBe(true);
    const pid = () => reads.query<{ pid: number }>('SELECT pg_backend_pid() AS pid, pg_sleep(0.2)').then((r) => r.rows[0]?.pid);
    const [a, b] = await Promise.all([pid(), pid()]);
    expect(a).not.toBe(b); // two connections at once: neither waited for the other
    await expect(reads.query('CREATE TABLE parallel_reads_write (x int)')).rejects.toMatchObject({ code: '25006' });
    await expect(reads.query('SELECT 1 AS one')).resolves.toMatchObject({ rows: [{ one: 1 }] });
    // A statement's error leaves its connection in the pool (no transaction to roll back).
    expect(pool.totalCount).toBe(2);
  } finally {
    await pool.end();
    await db.close();
  }
});

it('tells an overloaded light pool from a database fault too', async () => {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 1, connectionTimeoutMillis: 200 });
  const held = await pool.connect();
  try {
    await expect(new ParallelReads(pool).query('SELECT 1')).rejects.toBeInstanceOf(PoolExhaustedError);
  } finally {
    held.release();
    await pool.end();
  }
});
