import { gzipSync } from 'node:zlib';
import { renderFamilies } from './exposition';
import { MetricFamily } from './family';

/**
 * One collector's part of the exposition as bytes ready to write: both formats, plain and gzipped.
 * Each gzip part is a complete gzip member, and members concatenate into one valid gzip stream
 * (RFC 1952 section 2.2), so a scrape writes the live parts one after the other and compresses
 * nothing itself.
 */
export interface PreparedExposition {
  text: Buffer;
  textGzip: Buffer;
  openMetrics: Buffer;
  openMetricsGzip: Buffer;
}

export const GZIP_LEVEL = 6;

/** Renders and compresses families (CPU work: done in the compute worker, never on the serving thread). */
export async function prepareExposition(families: readonly MetricFamily[]): Promise<PreparedExposition> {
  const rendered = await renderFamilies(families);
  const text = ownBuffer(Buffer.from(rendered.text));
  const openMetrics = ownBuffer(Buffer.from(rendered.openMetrics));
  return {
    text,
    textGzip: ownBuffer(gzipSync(text, { level: GZIP_LEVEL })),
    openMetrics,
    openMetricsGzip: ownBuffer(gzipSync(openMetrics, { level: GZIP_LEVEL })),
  };
}

/**
 * A buffer that alone owns its memory, so it can be transferred to another thread without a copy
 * (small Buffers share Node's 8 KiB pool, which must never be detached).
 */
function ownBuffer(b: Buffer): Buffer {
  if (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength) return b;
  const own = Buffer.allocUnsafeSlow(b.byteLength);
  b.copy(own);
  return own;
}

/** The ArrayBuffers of a prepared exposition, for postMessage's transfer list. */
export function transferList(p: PreparedExposition): ArrayBuffer[] {
  return [p.text, p.textGzip, p.openMetrics, p.openMetricsGzip].map((b) => b.buffer as ArrayBuffer);
}

/** Buffers again after a trip through postMessage (which delivers Uint8Arrays). */
export function fromTransferred(p: { [K in keyof PreparedExposition]: Uint8Array }): PreparedExposition {
  const b = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
  return { text: b(p.text), textGzip: b(p.textGzip), openMetrics: b(p.openMetrics), openMetricsGzip: b(p.openMetricsGzip) };
}
