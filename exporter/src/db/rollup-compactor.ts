import { Pool } from 'pg';
import { Logger } from '../logger';
import { SelfMetrics } from '../metrics/self-metrics';

export const SQL_COMPACT = 'SELECT saasmon_compact_event_rollups() AS folded';

/**
 * Folds the event deltas that ingestion appends into the day rollups, every few seconds, never
 * overlapping itself. Readers are exact without it (the rollup views include pending deltas); it
 * keeps them fast. A failure (database down, read-only role) is logged and retried next time.
 */
export class RollupCompactor {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly pool: Pool,
    private readonly intervalMs: number,
    private readonly self: SelfMetrics,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.intervalMs <= 0) return;
    this.stopped = false;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One fold now, or the end of the one in flight. */
  async runOnce(): Promise<void> {
    this.running ??= this.fold().finally(() => {
      this.running = undefined;
    });
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.runOnce().then(() => this.schedule()), this.intervalMs);
    this.timer.unref?.();
  }

  private async fold(): Promise<void> {
    try {
      const { rows } = await this.pool.query<{ folded: string }>(SQL_COMPACT);
      this.self.recordCompaction(true, Number(rows[0]?.folded ?? 0), Date.now());
    } catch (err) {
      this.self.recordCompaction(false, 0, Date.now());
      this.log.warn('rollup compaction failed', { error: (err as Error).message });
    }
  }
}
