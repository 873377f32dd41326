import { PreparedExposition } from './prepared';

interface Entry {
  prepared: PreparedExposition;
  takenAtMs: number;
  maxAgeMs: number;
}

/** The parts of an exposition, in a stable order, ready to be written one after the other. */
export interface ScrapeBody {
  parts: Buffer[];
  length: number;
}

export type ExpositionFormat = 'text' | 'openMetrics';

/**
 * The last good snapshot of every collector, as prepared bytes. A new snapshot replaces the old
 * one in a single Map.set, so a scrape sees either all of a collector's old values or all of its
 * new ones. An entry older than its max age (its collector kept failing) is dropped on read.
 * Nothing here renders or compresses: a scrape only picks buffers.
 */
export class SnapshotStore {
  private readonly entries = new Map<string, Entry>();
  private version = 0;
  private cache: { version: number; bodies: Map<string, ScrapeBody> } | undefined;

  private readonly listeners: Array<() => void> = [];

  constructor(private readonly nowMs: () => number = Date.now) {}

  put(collector: string, prepared: PreparedExposition, maxAgeMs: number): void {
    this.entries.set(collector, { prepared, takenAtMs: this.nowMs(), maxAgeMs });
    this.version++;
    for (const l of this.listeners) l();
  }

  /** Called after each new snapshot (the API process learns the snapshot version this way). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  has(collector: string): boolean {
    this.expire();
    return this.entries.has(collector);
  }

  /** How many times a snapshot changed: part of the data version of cached answers. */
  get snapshotVersion(): number {
    return this.version;
  }

  /** Exposition parts of all live snapshots (plain or gzip members), by collector name. */
  body(format: ExpositionFormat, gzip: boolean): ScrapeBody {
    this.expire();
    if (!this.cache || this.cache.version !== this.version) this.cache = { version: this.version, bodies: new Map() };
    const key = `${format}:${gzip}`;
    let body = this.cache.bodies.get(key);
    if (!body) {
      const pick = (p: PreparedExposition): Buffer =>
        format === 'text' ? (gzip ? p.textGzip : p.text) : gzip ? p.openMetricsGzip : p.openMetrics;
      const parts = [...this.entries.keys()].sort().map((n) => pick((this.entries.get(n) as Entry).prepared));
      body = { parts, length: parts.reduce((sum, b) => sum + b.length, 0) };
      this.cache.bodies.set(key, body);
    }
    return body;
  }

  private expire(): void {
    const now = this.nowMs();
    for (const [name, e] of this.entries) {
      if (now - e.takenAtMs > e.maxAgeMs) {
        this.entries.delete(name);
        this.version++;
      }
    }
  }
}
