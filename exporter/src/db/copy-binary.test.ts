import { PoolClient } from 'pg';
import { copyOutBinary, CopyOut, forEachCopyTuple } from './copy-binary';
import { createTestSchema, TestSchema } from '../testing/db';

let db: TestSchema;
let client: PoolClient;
beforeAll(async () => {
  db = await createTestSchema('copybin');
  client = await db.pool.connect();
});
afterAll(async () => {
  client.release();
  await db.close();
});

// Rows of every size, nulls among them, one row far larger than a socket read (64 KiB).
const ROWS_SQL = `
SELECT g AS n, CASE WHEN g % 7 = 0 THEN NULL ELSE 'user-' || g END AS label,
       CASE WHEN g = 500 THEN decode(repeat('ab', 200000), 'hex') ELSE decode(repeat('0102', g % 40), 'hex') END AS bytes
FROM generate_series(1, 3000) g`;

type Row = [number, string | null, string];

function decode(copy: CopyOut): Row[] {
  const rows: Row[] = [];
  forEachCopyTuple(copy, (buf, starts, lengths) => {
    const [n, label, bytes] = [0, 1, 2].map((i) => ({ at: starts[i] as number, len: lengths[i] as number }));
    rows.push([
      buf.readInt32BE(n!.at),
      label!.len < 0 ? null : buf.toString('utf8', label!.at, label!.at + label!.len),
      buf.toString('hex', bytes!.at, bytes!.at + bytes!.len),
    ]);
  });
  return rows;
}

async function expected(): Promise<Row[]> {
  const { rows } = await client.query<{ n: number; label: string | null; bytes: Buffer }>(ROWS_SQL);
  return rows.map((r) => [r.n, r.label, r.bytes.toString('hex')]);
}

it('reads every row and field of a binary COPY as a plain query returns them', async () => {
  const copy = await copyOutBinary(client, ROWS_SQL);
  expect(decode(copy)).toEqual(await expected());
});

it('reads rows the same when one spans two CopyData messages', async () => {
  const copy = await copyOutBinary(client, ROWS_SQL);
  // Split the payload of the 10th message in the middle of its row.
  const p = Array.from(copy.payloads);
  const at = 2 * 10;
  const mid = Math.floor(((p[at] as number) + (p[at + 1] as number)) / 2);
  p.splice(at + 1, 0, mid, mid);
  expect(decode({ ...copy, payloads: Int32Array.from(p) })).toEqual(await expected());
});

it('rejects with the server error, before or during the rows, and leaves the connection usable', async () => {
  await expect(copyOutBinary(client, 'SELECT no_such_column FROM generate_series(1, 3) g')).rejects.toThrow(/no_such_column/);
  await expect(copyOutBinary(client, 'SELECT g, 1 / (g - 2000) FROM generate_series(1, 3000) g')).rejects.toThrow(/division by zero/);
  expect((await client.query('SELECT 41 + 1 AS n')).rows).toEqual([{ n: 42 }]);
  expect(decode(await copyOutBinary(client, ROWS_SQL))).toHaveLength(3000);
});
