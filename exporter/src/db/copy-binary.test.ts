import { PoolClient } from 'pg';
import { copyOutBinary, CopyOut, forEachCopyTuple, forEachInt4, forEachSetBit } from './copy-binary';
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

/** The copy's messages again, with the payload of the nth CopyData message split in two messages. */
function splitNthCopyData(buf: Buffer, n: number): Buffer {
  const out: Buffer[] = [];
  const message = (code: number, payload: Buffer) => {
    const head = Buffer.alloc(5);
    head[0] = code;
    head.writeInt32BE(4 + payload.length, 1);
    out.push(head, payload);
  };
  let seen = 0;
  for (let at = 0; at < buf.length;) {
    const code = buf[at] as number;
    const next = at + 1 + buf.readInt32BE(at + 1);
    const payload = buf.subarray(at + 5, next);
    if (code === 0x64 && seen++ === n) {
      const mid = payload.length >> 1;
      message(code, payload.subarray(0, mid));
      message(code, payload.subarray(mid));
    } else message(code, payload);
    at = next;
  }
  return Buffer.concat(out);
}

it('reads rows the same when one spans two CopyData messages', async () => {
  const copy = await copyOutBinary(client, ROWS_SQL);
  expect(decode({ ...copy, buffer: splitNthCopyData(copy.buffer, 10) })).toEqual(await expected());
});

it('rejects with the server error, before or during the rows, and leaves the connection usable', async () => {
  await expect(copyOutBinary(client, 'SELECT no_such_column FROM generate_series(1, 3) g')).rejects.toThrow(/no_such_column/);
  await expect(copyOutBinary(client, 'SELECT g, 1 / (g - 2000) FROM generate_series(1, 3000) g')).rejects.toThrow(/division by zero/);
  expect((await client.query('SELECT 41 + 1 AS n')).rows).toEqual([{ n: 42 }]);
  expect(decode(await copyOutBinary(client, ROWS_SQL))).toHaveLength(3000);
});

it('reads set bits of a varbit and the elements of an int4[] where they arrive', async () => {
  const copy = await copyOutBinary(client, "SELECT B'10000000001011' AS bits, ARRAY[7, -3, 40]::int4[] AS list, '{}'::int4[] AS empty");
  const seen: Record<string, number[]> = { all: [], window: [], list: [], empty: [] };
  forEachCopyTuple(copy, (buf, starts) => {
    forEachSetBit(buf, starts[0] as number, 0, 100, (i) => seen.all!.push(i));
    forEachSetBit(buf, starts[0] as number, 1, 12, (i) => seen.window!.push(i));
    forEachInt4(buf, starts[1] as number, (v) => seen.list!.push(v));
    forEachInt4(buf, starts[2] as number, (v) => seen.empty!.push(v));
  });
  expect(seen).toEqual({ all: [0, 10, 12, 13], window: [10], list: [7, -3, 40], empty: [] });
});
