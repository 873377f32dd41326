import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export type CopyValue = string | number | null;
export type CopyRow = readonly CopyValue[];

const SPECIAL = /[\\\t\n\r]/;

/** One value in COPY text format: \N for null, backslash escapes for the few special characters. */
export function copyValue(v: CopyValue): string {
  if (v === null) return '\\N';
  const s = String(v);
  return SPECIAL.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : s;
}

export function copyLine(row: CopyRow): string {
  return row.map(copyValue).join('\t') + '\n';
}

const BATCH_CHARS = 1 << 16;

/**
 * Streams COPY text into `table` until the source ends or `maxRows` rows went in; returns the rows
 * written. The source is an iterator, not an iterable, so that the next statement continues where
 * this one stopped (chunked loads). Each chunk holds one or more whole lines.
 */
export async function copyChunks(
  client: ClientBase,
  table: string,
  columns: readonly string[],
  source: Iterator<string>,
  rowsOf: () => number,
  maxRows = Number.POSITIVE_INFINITY,
): Promise<{ rows: number; done: boolean }> {
  const before = rowsOf();
  let done = false;
  function* batches(): Generator<string> {
    let buf = '';
    while (rowsOf() - before < maxRows) {
      const next = source.next();
      if (next.done) {
        done = true;
        break;
      }
      buf += next.value;
      if (buf.length >= BATCH_CHARS) {
        yield buf;
        buf = '';
      }
    }
    if (buf) yield buf;
  }
  // Table and column names are the generator's own constants, never outside input.
  await pipeline(
    Readable.from(batches(), { objectMode: false }),
    client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)),
  );
  return { rows: rowsOf() - before, done };
}

/** COPYs all rows of a generator into `table`; returns how many. */
export async function copyRows(client: ClientBase, table: string, columns: readonly string[], rows: Iterable<CopyRow>): Promise<number> {
  let count = 0;
  const lines = (function* () {
    for (const row of rows) {
      count++;
      yield copyLine(row);
    }
  })();
  const { rows: n } = await copyChunks(client, table, columns, lines, () => count);
  return n;
}
