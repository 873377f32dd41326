import { Pool } from 'pg';
import { Config } from '../config/schema';
import { createPool } from '../db/pool';
import { Logger } from '../logger';
import { SelfMetrics } from './self-metrics';

/**
 * saasmon_up and /ready from a cheap connection probe: SELECT 1 on one kept connection every
 * database.probeIntervalSeconds, bounded by a short timeout, so an outage (down or hung) shows
 * within seconds whatever the collectors are doing. With database.readUrl both the primary and
 * the replica are probed: the exporter is up when it can reach both. A collector's failure is not
 * an outage: it stays in saasmon_collector_success.
 */
export class HealthProbe {
  private readonly pools: Array<{ name: string; pool: Pool }>;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private state: { up: boolean; error?: string; unreachable: string[] } = { up: false, error: 'not probed yet', unreachable: [] };
  private readonly intervalMs: number;

  constructor(
    config: Config,
    private readonly self: SelfMetrics,
    private readonly log: Logger,
  ) {
    this.intervalMs = 1000 * config.database.probeIntervalSeconds;
    const timeoutMs = Math.min(this.intervalMs, 3_000);
    const timeouts = { connectMs: timeoutMs, queryMs: timeoutMs };
    this.pools = [{ name: 'database', pool: createPool(config, 'probe', config.database.url, timeouts) }];
    if (config.database.readUrl)
      this.pools.push({ name: 'read replica', pool: createPool(config, 'probe', config.database.readUrl, timeouts) });
  }

  get up(): boolean {
    return this.state.up;
  }

  /** Which databases failed the last probe, by role name only: safe to show without authentication. */
  get unreachable(): readonly string[] {
    return this.state.unreachable;
  }

  /** The driver's messages (hosts, ports): for the log and authenticated callers, never for /ready. */
  get error(): string | undefined {
    return this.state.error;
  }

  /** Probes now (waiting for a probe in flight), then every interval. */
  async start(): Promise<void> {
    await this.probe();
    this.schedule();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    await Promise.all(this.pools.map((p) => p.pool.end()));
  }

  probe(): Promise<void> {
    this.running ??= this.once().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private schedule(): void {
    this.timer = setTimeout(() => void this.probe().then(() => this.timer && this.schedule()), this.intervalMs);
    this.timer.unref?.();
  }

  private async once(): Promise<void> {
    const failed = (
      await Promise.all(
        this.pools.map(({ name, pool }) =>
          pool.query('SELECT 1').then(
            () => undefined,
            (err: Error) => ({ name, message: err.message }),
          ),
        ),
      )
    ).filter((f) => f !== undefined);
    const error = failed.map((f) => `${f.name}: ${f.message}`).join('; ') || undefined;
    if (!error !== this.state.up)
      this.log[error ? 'warn' : 'info'](error ? 'database unreachable' : 'database reachable', error ? { error } : {});
    this.state = { up: !error, error, unreachable: failed.map((f) => f.name) };
    this.self.recordProbe(!error);
  }
}
