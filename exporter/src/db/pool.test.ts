import { Pool } from 'pg';
import { apiErrorHandler } from '../api/errors';
import { testDatabaseUrl } from '../testing/db';
import { PoolExhaustedError, withReadOnly } from './pool';

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
