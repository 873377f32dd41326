import express from 'express';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { silentLogger } from '../logger';
import { createTestSchema, TestSchema } from '../testing/db';
import { withTransaction } from '../db/pool';
import { apiErrorHandler, describeDatabaseInputError, isDatabaseInputError } from './errors';
import './ingest/entities'; // registers the time-order constraints' fields
import { writeIsolated } from './ingest/isolate';

// The safety net under validation: whatever value Postgres refuses becomes a 400 naming what it
// can, never a 500, and a refused value in a batch costs only its own item.

let db: TestSchema;
beforeAll(async () => {
  db = await createTestSchema('errmap');
});
afterAll(() => db.close());

async function pgError(sql: string, params: unknown[] = []): Promise<unknown> {
  try {
    await db.pool.query(sql, params);
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

it('classes 21, 22, 23 and 54 are the client input; connection and server faults are not', async () => {
  const errors = [
    await pgError(`SELECT $1::timestamptz`, ['2026-06-15T10:00:00+99:99']),
    await pgError(`SELECT '{"a":"\\u0000"}'::jsonb`),
    await pgError(`SELECT 2147483647::int4 + 1`),
    await pgError(
      `INSERT INTO incidents (id, title, severity, status, started_at, resolved_at) VALUES ('i', 't', 'minor', 'resolved', now(), now() - interval '1 s')`,
    ),
    await pgError(`INSERT INTO tenants (id, name, plan, created_at) VALUES ('t', NULL, 'p', now())`),
  ];
  for (const e of errors) expect(isDatabaseInputError(e)).toBe(true);
  expect(isDatabaseInputError(await pgError(`SELECT pg_terminate_backend(pg_backend_pid())`))).toBe(false);
  expect(isDatabaseInputError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(false);
  expect(describeDatabaseInputError(errors[3] as never, 'items[2]')).toMatch(
    /^items\[2\]\.resolved_at: the database refused the value \(23514: /,
  );
  expect(describeDatabaseInputError(errors[4] as never)).toMatch(/^name: the database refused the value \(23502: /);
});

it('answers a database data error with a 400, and anything else with a generic 500', async () => {
  const app = express();
  app.get('/data', async (_req, _res, next) => next(await pgError(`SELECT $1::timestamptz`, ['0000-01-01T00:00:00Z'])));
  app.get('/fault', (_req, _res, next) => next(new Error('connect to 10.1.2.3:5432 exploded')));
  app.use(apiErrorHandler(silentLogger));
  const server: Server = await new Promise((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const data = await fetch(`${base}/data`);
    expect(data.status).toBe(400);
    expect(((await data.json()) as { error: string }).error).toMatch(/^body: the database refused the value \(22008: /);
    const fault = await fetch(`${base}/fault`);
    expect(fault.status).toBe(500);
    expect(await fault.json()).toEqual({ error: 'internal error; see the exporter log' });
  } finally {
    server.close();
  }
});

it('isolates the refused items of a batch by halving, writing all the others', async () => {
  const items = Array.from({ length: 100 }, (_, i) => ({ i, v: i === 13 || i === 77 ? 'not a number' : String(i) }));
  let statements = 0;
  const { written, refused } = await withTransaction(db.pool, (client) =>
    writeIsolated(client, items, async (chunk) => {
      statements++;
      const r = await client.query<{ n: number }>(`SELECT x::int AS n FROM jsonb_array_elements_text($1::jsonb) x`, [
        JSON.stringify(chunk.map((c) => c.v)),
      ]);
      return r.rows.map((row) => row.n);
    }),
  );
  expect(written.sort((a, b) => a - b)).toEqual(items.filter((x) => x.i !== 13 && x.i !== 77).map((x) => x.i));
  expect(refused.map((r) => r.item.i)).toEqual([13, 77]);
  expect(refused[0]?.error.code).toBe('22P02');
  expect(statements).toBeLessThan(30);
});
