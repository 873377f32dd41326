import { gzipSync } from 'node:zlib';
import { SelfMetrics } from './self-metrics';

export interface PreparedSelf {
  text: Buffer;
  textGzip: Buffer;
  openMetrics: Buffer;
  openMetricsGzip: Buffer;
}

/** Process metrics (CPU, memory, event loop) are this fresh at most. */
const REFRESH_MS = 1_000;

/**
 * The exporter's own metrics as prepared bytes, re-rendered when a value changes and every second
 * (for the process metrics), so that a scrape renders and compresses nothing at all.
 */
export class SelfExposition {
  private prepared: PreparedSelf = { text: Buffer.alloc(0), textGzip: Buffer.alloc(0), openMetrics: Buffer.alloc(0), openMetricsGzip: Buffer.alloc(0) };
  private timer: NodeJS.Timeout | undefined;
  private rendering: Promise<void> | undefined;
  private again = false;

  constructor(private readonly self: SelfMetrics) {
    self.onChange = () => this.refresh();
  }

  get current(): PreparedSelf {
    return this.prepared;
  }

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Renders now, or once more after the render in flight (a change during it is not lost). */
  refresh(): Promise<void> {
    if (this.rendering) {
      this.again = true;
      return this.rendering;
    }
    this.rendering = this.render().finally(() => {
      this.rendering = undefined;
      if (this.again) {
        this.again = false;
        void this.refresh();
      }
    });
    return this.rendering;
  }

  private async render(): Promise<void> {
    const { text, openMetrics } = await this.self.render();
    // Level 1: a few dozen lines, re-rendered every second.
    this.prepared = {
      text: Buffer.from(text),
      textGzip: gzipSync(text, { level: 1 }),
      openMetrics: Buffer.from(openMetrics),
      openMetricsGzip: gzipSync(openMetrics, { level: 1 }),
    };
  }
}
