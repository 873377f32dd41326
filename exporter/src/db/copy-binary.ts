import { PoolClient } from 'pg';
import { scratch } from './scratch';

/**
 * The answer of `COPY (query) TO STDOUT (FORMAT binary)`, as received: `buffer` holds the
 * protocol messages and forEachCopyTuple walks the rows inside them without copying them out.
 */
export interface CopyOut {
  /** The copy's protocol messages (CopyOutResponse, CopyData..., CopyDone), whole. */
  buffer: Buffer;
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
    this.copy = { buffer: copied, release: () => scratch.give(memory) };
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

/** copyOutBinary, its rows handed to `decode`; the COPY's memory is given back whatever `decode` does. */
export async function withCopyOut<T>(client: PoolClient, query: string, decode: (copy: CopyOut) => T): Promise<T> {
  const copy = await copyOutBinary(client, query);
  try {
    return decode(copy);
  } finally {
    copy.release();
  }
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
  const messages = new CopyDataMessages(copy.buffer);
  if (
    !messages.next() ||
    messages.end - messages.start < 19 ||
    !copy.buffer.subarray(messages.start, messages.start + 11).equals(SIGNATURE)
  ) {
    throw new Error('not a binary COPY stream');
  }
  messages.start += 19 + copy.buffer.readInt32BE(messages.start + 15); // signature, flags, extension length + extension
  walkTuples(copy.buffer, messages, onTuple);
}

/** The payloads of the CopyData messages in a buffer, one after another: [start, end). */
class CopyDataMessages {
  start = 0;
  end = 0;
  private at = 0;

  constructor(private readonly buf: Buffer) {}

  next(): boolean {
    while (this.at + 5 <= this.buf.length) {
      const code = this.buf[this.at];
      const next = this.at + 1 + this.buf.readInt32BE(this.at + 1);
      const start = this.at + 5;
      this.at = next;
      if (code === COPY_DATA) {
        this.start = start;
        this.end = next;
        return true;
      }
    }
    return false;
  }
}

function walkTuples(buf: Buffer, messages: CopyDataMessages, onTuple: TupleHandler): void {
  let starts = new Int32Array(0);
  let lengths = new Int32Array(0);
  for (;;) {
    while (messages.start === messages.end) if (!messages.next()) return;
    const end = messages.end;
    let off = messages.start;
    if (off + 2 > end) return walkJoined(buf, messages, onTuple);
    const count = buf.readInt16BE(off);
    off += 2;
    if (count === -1) return; // trailer
    if (starts.length !== count) {
      starts = new Int32Array(count);
      lengths = new Int32Array(count);
    }
    for (let i = 0; i < count; i++) {
      if (off + 4 > end) return walkJoined(buf, messages, onTuple);
      const len = buf.readInt32BE(off);
      off += 4;
      starts[i] = off;
      lengths[i] = len;
      if (len > 0) off += len;
    }
    if (off > end) return walkJoined(buf, messages, onTuple);
    onTuple(buf, starts, lengths);
    messages.start = off;
  }
}

/** The rest of the stream, from the current row on, as one buffer, walked from there. */
function walkJoined(buf: Buffer, messages: CopyDataMessages, onTuple: TupleHandler): void {
  const parts = [buf.subarray(messages.start, messages.end)];
  while (messages.next()) parts.push(buf.subarray(messages.start, messages.end));
  const joined = Buffer.concat(parts);
  const single = Buffer.alloc(5 + joined.length);
  single[0] = COPY_DATA;
  single.writeInt32BE(4 + joined.length, 1);
  joined.copy(single, 5);
  walkTuples(single, Object.assign(new CopyDataMessages(single), { start: 0, end: 0 }), onTuple);
}

/**
 * Calls onBit(i) for each set bit i in [from, to) of a binary `varbit` field at `at` (bit count,
 * then the bits from the most significant of the first byte); bits past the string are unset.
 */
export function forEachSetBit(buf: Buffer, at: number, from: number, to: number, onBit: (i: number) => void): void {
  const bitsAt = at + 4;
  const end = Math.min(buf.readInt32BE(at), to);
  for (let i = Math.max(0, from); i < end; i++) {
    const byte = buf[bitsAt + (i >> 3)] as number;
    if (byte === 0)
      i |= 7; // skip the rest of an empty byte
    else if (byte & (0x80 >> (i & 7))) onBit(i);
  }
}

/** Calls onValue for each element of a binary one-dimensional `int4[]` field at `at` (no nulls). */
export function forEachInt4(buf: Buffer, at: number, onValue: (v: number) => void): void {
  // dimensions, null flag, element type, then size and lower bound; each element: length, value
  const count = buf.readInt32BE(at) === 0 ? 0 : buf.readInt32BE(at + 12);
  for (let e = 0; e < count; e++) onValue(buf.readInt32BE(at + 24 + e * 8));
}
