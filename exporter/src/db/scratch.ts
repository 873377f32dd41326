/**
 * Large buffers kept for reuse. On small VMs, memory the process has not touched yet costs ~3 ms
 * per MB in page faults (measured here: a fresh 19 MB Buffer.concat took 60 ms, a reused one 2 ms),
 * and a funnel at 10M events decodes ~20 MB of COPY data into ~30 MB of arrays. Reusing them
 * keeps that cost to the first query. A buffer is lent to one user at a time: take, use, give back.
 */
export class ScratchBuffers {
  private readonly free: ArrayBuffer[] = [];

  constructor(
    /** How many idle buffers to keep. */
    private readonly keep = 4,
    /** Larger buffers are not kept: one huge query should not pin its memory forever. */
    private readonly maxBytes = 256 * 1024 * 1024,
  ) {}

  /** A buffer of at least `bytes` (contents undefined). */
  take(bytes: number): ArrayBuffer {
    let best = -1;
    this.free.forEach((b, i) => {
      if (b.byteLength >= bytes && (best < 0 || b.byteLength < (this.free[best] as ArrayBuffer).byteLength)) best = i;
    });
    if (best >= 0) return this.free.splice(best, 1)[0] as ArrayBuffer;
    // Round up so that slightly larger answers next time still fit.
    return new ArrayBuffer(Math.max(64 * 1024, 2 ** Math.ceil(Math.log2(Math.max(1, bytes)))));
  }

  give(buffer: ArrayBuffer): void {
    if (buffer.byteLength > this.maxBytes || this.free.includes(buffer)) return;
    this.free.push(buffer);
    // Keep the largest: they serve every smaller request too.
    if (this.free.length > this.keep) this.free.sort((a, b) => b.byteLength - a.byteLength).pop();
  }
}

/** The process's scratch buffers for decoding query answers. */
export const scratch = new ScratchBuffers();
