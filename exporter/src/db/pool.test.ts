import { Pool } from 'pg';
import { apiErrorHandler } from '../api/errors';
import { createTestSchema, testDatabaseUrl } from '../testing/db';
import { createPool, PoolExhaustedError, withReadOnly } from './pool';

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

it("lowers the collectors' database backends (the prioritize extension), and nothing else's", async () => {
  const db = await createTestSchema('backend_nice');
  const priority = (pool: Pool) =>
    withReadOnly(pool, async (c) => {
      const has = await c.query(`SELECT 1 FROM pg_extension WHERE extname = 'prioritize'`);
      return has.rowCount ? Number((await c.query('SELECT get_backend_priority(pg_backend_pid()) AS n')).rows[0].n) : undefined;
    });
  // The package (postgresql-NN-prioritize) may be missing where the test's Postgres was started by
  // the test setup: then the collectors' backends must still work, at their normal priority.
  const available = await db.pool
    .query('CREATE EXTENSION IF NOT EXISTS prioritize SCHEMA public')
    .then(() => true)
    .catch(() => false);
  const collectors = createPool(db.config(), 'collectors');
  const quieter = createPool(db.config({ database: { collectorsNice: 0 } }), 'collectors');
  const query = createPool(db.config(), 'query');
  try {
    if (!available) console.warn('prioritize extension not installed: checked only that collectors still run');
    expect(await priority(collectors)).toBe(available ? 10 : undefined);
    expect(await priority(quieter)).toBe(available ? 0 : undefined);
    expect(await priority(query)).toBe(available ? 0 : undefined);
  } finally {
    await Promise.all([collectors.end(), quieter.end(), query.end()]);
    await db.close();
  }
});
