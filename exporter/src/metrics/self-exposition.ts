import { gzipSync } from 'node:zlib';

type Format = 'text' | 'openMetrics';
type Key = 'text' | 'text+gzip' | 'openMetrics' | 'openMetrics+gzip';

/** Formats nobody scraped for this long are no longer rendered in the background. */
const UNUSED_AFTER_MS = 120_000;

/**
 * The exporter's own part of /metrics (process, API and collector health), as bytes ready to
 * send. With maxAgeMs 0 it is rendered at each scrape. Otherwise a timer renders the formats
 * scraped lately every maxAgeMs, so a scrape only picks bytes; the part is then at most maxAgeMs
 * old (as the API process's figures are, which it sends every second).
 */
export class SelfExposition {
  private readonly cache = new Map<Key, { bytes: Buffer; atMs: number; usedAtMs: number }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly render: (format: Format) => Promise<string>,
    private readonly maxAgeMs: number,
    private readonly nowMs: () => number = Date.now,
  ) {}

  async get(format: Format, gzip: boolean): Promise<Buffer> {
    const key: Key = `${format}${gzip ? '+gzip' : ''}`;
    const now = this.nowMs();
    const hit = this.cache.get(key);
    if (this.maxAgeMs > 0 && hit && now - hit.atMs <= this.maxAgeMs) {
      hit.usedAtMs = now;
      return hit.bytes;
    }
    const bytes = await this.renderBytes(format, gzip);
    if (this.maxAgeMs > 0) this.cache.set(key, { bytes, atMs: now, usedAtMs: now });
    return bytes;
  }

  start(): void {
    if (this.maxAgeMs <= 0) return;
    this.timer = setInterval(() => void this.refresh(), this.maxAgeMs / 2);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async refresh(): Promise<void> {
    const now = this.nowMs();
    for (const [key, e] of this.cache) {
      if (now - e.usedAtMs > UNUSED_AFTER_MS) {
        this.cache.delete(key);
        continue;
      }
      const [format, gzip] = key.split('+') as [Format, string | undefined];
      e.bytes = await this.renderBytes(format, gzip !== undefined);
      e.atMs = this.nowMs();
    }
  }

  private async renderBytes(format: Format, gzip: boolean): Promise<Buffer> {
    const text = await this.render(format);
    return gzip ? gzipSync(text, { level: 1 }) : Buffer.from(text);
  }
}
