import { gzipSync } from 'node:zlib';
import { MetricFamily } from './family';
import { RenderedSnapshot, renderFamilies } from './exposition';

interface Entry {
  families: readonly MetricFamily[];
  rendered: RenderedSnapshot;
  takenAtMs: number;
  maxAgeMs: number;
}

export interface ScrapeBody {
  body: string;
  gzip: Buffer;
}

/**
 * The last good snapshot of every collector. A new snapshot replaces the old one in a single
 * Map.set, so a scrape sees either all of a collector's old values or all of its new ones. An
 * entry older than its max age (its collector kept failing) is dropped on read.
 */
export class SnapshotStore {
  private readonly entries = new Map<string, Entry>();
  private version = 0;
  private cache: { version: number; text: ScrapeBody; openMetrics: ScrapeBody } | undefined;

  constructor(private readonly nowMs: () => number = Date.now) {}

  async put(collector: string, families: readonly MetricFamily[], maxAgeMs: number): Promise<void> {
    const rendered = await renderFamilies(families);
    this.entries.set(collector, { families, rendered, takenAtMs: this.nowMs(), maxAgeMs });
    this.version++;
  }

  has(collector: string): boolean {
    this.expire();
    return this.entries.has(collector);
  }

  families(collector: string): readonly MetricFamily[] | undefined {
    this.expire();
    return this.entries.get(collector)?.families;
  }

  /** Exposition body (and its gzip) of all live snapshots, cached until a snapshot changes. */
  body(format: 'text' | 'openMetrics'): ScrapeBody {
    this.expire();
    if (!this.cache || this.cache.version !== this.version) {
      const names = [...this.entries.keys()].sort();
      const join = (pick: (r: RenderedSnapshot) => string): ScrapeBody => {
        const body = names.map((n) => pick((this.entries.get(n) as Entry).rendered)).join('');
        return { body, gzip: gzipSync(body, { level: 6 }) };
      };
      this.cache = { version: this.version, text: join((r) => r.text), openMetrics: join((r) => r.openMetrics) };
    }
    return this.cache[format];
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
