import { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';

/**
 * `COPY (query) TO STDOUT (FORMAT binary)`, whole. node-postgres decodes every result value as a
 * string (bytea as hex text, twice its size); COPY hands over the bytes as Postgres has them.
 * COPY takes no bind parameters: pass values with transaction-local settings (see setLocal).
 */
export async function copyOutBinary(client: PoolClient, query: string): Promise<Buffer> {
  const stream = client.query(copyTo(`COPY (${query}) TO STDOUT (FORMAT binary)`));
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Sets `saasmon.<name>` settings for the current transaction, values bound as parameters. */
export async function setLocal(client: PoolClient, settings: Record<string, string>): Promise<void> {
  const names = Object.keys(settings).map((k) => `saasmon.${k}`);
  await client.query('SELECT set_config(n, v, true) FROM unnest($1::text[], $2::text[]) AS s(n, v)', [names, Object.values(settings)]);
}

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * Calls onTuple for each row of a binary COPY with the start offset and byte length of each field
 * (length -1 for null). The arrays are reused between calls: read them before returning.
 */
export function forEachCopyTuple(buf: Buffer, onTuple: (starts: Int32Array, lengths: Int32Array) => void): void {
  if (buf.length < 19 || !buf.subarray(0, 11).equals(SIGNATURE)) throw new Error('not a binary COPY stream');
  let off = 19 + buf.readInt32BE(15); // signature, flags, header extension length + extension
  let starts = new Int32Array(0);
  let lengths = new Int32Array(0);
  while (off < buf.length) {
    const count = buf.readInt16BE(off);
    off += 2;
    if (count === -1) return; // trailer
    if (starts.length !== count) {
      starts = new Int32Array(count);
      lengths = new Int32Array(count);
    }
    for (let i = 0; i < count; i++) {
      const len = buf.readInt32BE(off);
      off += 4;
      starts[i] = off;
      lengths[i] = len;
      if (len > 0) off += len;
    }
    onTuple(starts, lengths);
  }
}
