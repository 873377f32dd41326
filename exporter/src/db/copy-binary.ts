import { PoolClient } from 'pg';
import { scratch } from './scratch';

/**
 * The answer of `COPY (query) TO STDOUT (FORMAT binary)`, as received: `buffer` holds the
 * protocol messages and forEachCopyTuple walks the rows inside them without copying them out.
 */
export interface CopyOut {
  buffer: Buffer;
  /** Start and end offsets in `buffer` of each CopyData message's payload, in order. */
  payloads: Int32Array;
  /** Gives the buffer's memory back for reuse (see scratch.ts); the CopyOut is unusable after. */
  release(): void;
}

// Backend message codes (https://www.postgresql.org/docs/current/protocol-message-formats.html).
const COPY_OUT_RESPONSE = 0x48; // 'H'
const COPY_DATA = 0x64; // 'd'
const COPY_DONE = 0x63; // 'c'
const NOTICE = 0x4e; // 'N'
const PARAMETER_STATUS = 0x53; // 'S'
const NOTIFICATION = 0x41; // 'A'
/** Messages of the copy itself, or the asynchronous ones the server may put between them. */
const COPY_PART = new Set([COPY_OUT_RESPONSE, COPY_DATA, COPY_DONE, NOTICE, PARAMETER_STATUS, NOTIFICATION]);

type DataHandler = (chunk: Buffer) => void;
interface Connection {
  stream: NodeJS.EventEmitter;
  query(text: string): void;
}

/**
 * A node-postgres Submittable that takes the socket over for the copy, as pg-copy-streams does,
 * but keeps the bytes whole: node-postgres would parse each row into a message, and
 * pg-copy-streams copies each row out of its message (at 170k rows, ~100 ms of the funnel).
 * From the first message that is not part of the copy (CommandComplete, or an ErrorResponse),
 * the socket goes back to node-postgres, which finishes the query (or rejects it) as usual.
 */
class WholeCopyOut {
  private readonly chunks: Buffer[] = [];
  private received = 0;
  private nextMessageAt = 0;
  private connection?: Connection;
  private pgHandler?: DataHandler;
  private copy?: CopyOut;
  private failed = false;
  readonly done: Promise<CopyOut>;
  private settle!: { resolve(c: CopyOut): void; reject(e: Error): void };

  constructor(readonly text: string) {
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
  }

  /** Called by node-postgres when the query's turn comes; an Error returned fails the query. */
  submit(connection: Connection): Error | undefined {
    this.connection = connection;
    const listeners = connection.stream.listeners('data') as DataHandler[];
    if (listeners.length !== 1) return new Error(`expected one data listener on the connection, found ${listeners.length}`);
    this.pgHandler = listeners[0] as DataHandler;
    connection.stream.removeListener('data', this.pgHandler);
    connection.stream.on('data', this.onData);
    connection.query(this.text);
    return undefined;
  }

  private readonly onData = (chunk: Buffer): void => {
    this.chunks.push(chunk);
    this.received += chunk.length;
    while (this.nextMessageAt + 5 <= this.received) {
      if (!COPY_PART.has(this.byteAt(this.nextMessageAt))) {
        this.handBack();
        return;
      }
      this.nextMessageAt += 1 + this.int32At(this.nextMessageAt + 1);
    }
  };

  /** A byte at an offset of the whole stream; only the last bytes are ever asked for. */
  private byteAt(at: number): number {
    let start = this.received;
    for (let i = this.chunks.length - 1; i >= 0; i--) {
      const c = this.chunks[i] as Buffer;
      start -= c.length;
      if (at >= start) return c[at - start] as number;
    }
    throw new Error('copy stream offset already consumed');
  }

  private int32At(at: number): number {
    return ((this.byteAt(at) << 24) | (this.byteAt(at + 1) << 16) | (this.byteAt(at + 2) << 8) | this.byteAt(at + 3)) >>> 0;
  }

  private handBack(): void {
    const end = this.nextMessageAt;
    const memory = scratch.take(end);
    const copied = Buffer.from(memory, 0, end);
    const rest: Buffer[] = []; // what follows the copy: the end of the query, for node-postgres
    let at = 0;
    for (const chunk of this.chunks) {
      const n = Math.min(chunk.length, end - at);
      if (n > 0) at += chunk.copy(copied, at, 0, n);
      if (n < chunk.length) rest.push(chunk.subarray(Math.max(0, n)));
    }
    const connection = this.connection as Connection;
    connection.stream.removeListener('data', this.onData);
    connection.stream.on('data', this.pgHandler as DataHandler);
    this.copy = { buffer: copied, payloads: copyDataPayloads(copied, end), release: () => scratch.give(memory) };
    (this.pgHandler as DataHandler)(Buffer.concat(rest));
  }

  // node-postgres calls these as the rest of the query's messages arrive.
  handleError(err: Error): void {
    this.failed = true;
    this.settle.reject(err);
  }

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {
    if (this.failed) return;
    if (this.copy) this.settle.resolve(this.copy);
    else this.settle.reject(new Error('the server ended the query without a COPY answer'));
  }
}

function copyDataPayloads(buf: Buffer, end: number): Int32Array {
  const bounds: number[] = [];
  for (let at = 0; at < end; ) {
    const length = buf.readInt32BE(at + 1);
    if (buf[at] === COPY_DATA) bounds.push(at + 5, at + 1 + length);
    at += 1 + length;
  }
  return Int32Array.from(bounds);
}

/**
 * `COPY (query) TO STDOUT (FORMAT binary)`, whole. node-postgres decodes every result value as a
 * string (bytea as hex text, twice its size); COPY hands over the bytes as Postgres has them.
 * COPY takes no bind parameters: pass values with transaction-local settings (see setLocal).
 */
export async function copyOutBinary(client: PoolClient, query: string): Promise<CopyOut> {
  const copy = new WholeCopyOut(`COPY (${query}) TO STDOUT (FORMAT binary)`);
  // node-postgres takes any object with submit() as a query and settles it through its handlers.
  client.query(copy as unknown as Parameters<PoolClient['query']>[0]);
  return copy.done;
}

/** Sets `saasmon.<name>` settings for the current transaction, values bound as parameters. */
export async function setLocal(client: PoolClient, settings: Record<string, string>): Promise<void> {
  const names = Object.keys(settings).map((k) => `saasmon.${k}`);
  await client.query('SELECT set_config(n, v, true) FROM unnest($1::text[], $2::text[]) AS s(n, v)', [names, Object.values(settings)]);
}

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/** Called per row with the buffer holding it, and the start offset and byte length of each field (-1: null). */
export type TupleHandler = (buf: Buffer, starts: Int32Array, lengths: Int32Array) => void;

/**
 * Calls onTuple for each row of a binary COPY. The arrays are reused between calls: read them
 * before returning. Postgres sends each row in a CopyData message of its own (the file header
 * rides with the first); should a row ever span messages, the rest is joined into one buffer.
 */
export function forEachCopyTuple(copy: CopyOut, onTuple: TupleHandler): void {
  const { buffer: buf, payloads } = copy;
  const off = payloads[0] ?? 0;
  const end = payloads[1] ?? 0;
  if (end - off < 19 || !buf.subarray(off, off + 11).equals(SIGNATURE)) throw new Error('not a binary COPY stream');
  walkTuples(buf, payloads, 0, off + 19 + buf.readInt32BE(off + 15), onTuple); // signature, flags, extension length + extension
}

function walkTuples(buf: Buffer, payloads: Int32Array, firstSegment: number, firstOffset: number, onTuple: TupleHandler): void {
  let segment = firstSegment;
  let off = firstOffset;
  let end = payloads[segment + 1] as number;
  let starts = new Int32Array(0);
  let lengths = new Int32Array(0);
  for (;;) {
    while (off === end) {
      segment += 2;
      if (segment >= payloads.length) return;
      off = payloads[segment] as number;
      end = payloads[segment + 1] as number;
    }
    const tupleAt = off;
    if (off + 2 > end) return walkJoined(buf, payloads, segment, tupleAt, onTuple);
    const count = buf.readInt16BE(off);
    off += 2;
    if (count === -1) return; // trailer
    if (starts.length !== count) {
      starts = new Int32Array(count);
      lengths = new Int32Array(count);
    }
    for (let i = 0; i < count && off <= end; i++) {
      if (off + 4 > end) {
        off = end + 1;
        break;
      }
      const len = buf.readInt32BE(off);
      off += 4;
      starts[i] = off;
      lengths[i] = len;
      if (len > 0) off += len;
    }
    if (off > end) return walkJoined(buf, payloads, segment, tupleAt, onTuple);
    onTuple(buf, starts, lengths);
  }
}

/** The rest of the stream from `at` (inside payload `segment`) as one buffer, walked from there. */
function walkJoined(buf: Buffer, payloads: Int32Array, segment: number, at: number, onTuple: TupleHandler): void {
  const parts = [buf.subarray(at, payloads[segment + 1])];
  for (let s = segment + 2; s < payloads.length; s += 2) parts.push(buf.subarray(payloads[s], payloads[s + 1]));
  const joined = Buffer.concat(parts);
  walkTuples(joined, Int32Array.of(0, joined.length), 0, 0, onTuple);
}
