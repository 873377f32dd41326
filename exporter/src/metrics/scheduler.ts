import { Collector } from '../collectors/collector';
import { Compute } from '../compute/engine';
import { Config } from '../config/schema';
import { poolSize } from '../db/pool';
import { Semaphore } from '../db/semaphore';
import { Logger } from '../logger';
import { SelfMetrics } from './self-metrics';
import { SnapshotStore } from './snapshot-store';

export interface SchedulerDeps {
  /** Runs a collector and prepares its exposition (in the compute worker). */
  compute: Pick<Compute, 'collect'>;
  config: Config;
  store: SnapshotStore;
  self: SelfMetrics;
  log: Logger;
  now?: () => Date;
  random?: () => number;
}

/** What the scheduler needs of a collector: its name and default interval (the run is the compute side's). */
export type ScheduledCollector = Pick<Collector, 'name' | 'defaultIntervalSeconds'>;

interface Slot {
  collector: ScheduledCollector;
  intervalMs: number;
  maxAgeMs: number;
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
  failures: number;
}

const MIN_BACKOFF_MS = 1_000;

/**
 * Runs every enabled collector on its own interval, with jitter, never overlapping itself. After a
 * failure the next attempt comes sooner (exponential backoff from 1 s up to the interval), so the
 * exporter reconnects by itself when the database comes back.
 */
export class Scheduler {
  private readonly slots: Slot[];
  private stopped = true;
  private readonly now: () => Date;
  private readonly random: () => number;
  /**
   * Runs take turns for the collectors' connections: due faster than they run (large data, short
   * intervals), collectors wait here, in the order they came due, rather than in the pool, whose
   * connect timeout would fail them as if the database were at fault. A run's duration counts
   * from its turn.
   */
  private readonly turns: Semaphore;

  constructor(
    collectors: readonly ScheduledCollector[],
    private readonly deps: SchedulerDeps,
  ) {
    this.now = deps.now ?? (() => new Date());
    this.random = deps.random ?? Math.random;
    const { config } = deps;
    this.turns = new Semaphore(poolSize(config, 'collectors'));
    this.slots = collectors
      .filter((c) => config.collectors[c.name].enabled)
      .map((collector) => {
        const c = config.collectors[collector.name];
        return {
          collector,
          intervalMs: 1000 * (c.intervalSeconds ?? collector.defaultIntervalSeconds ?? config.defaultIntervalSeconds),
          maxAgeMs: 1000 * (c.maxAgeSeconds ?? config.defaultMaxAgeSeconds),
          failures: 0,
        };
      });
  }

  get collectorNames(): string[] {
    return this.slots.map((s) => s.collector.name);
  }

  /** Ready once every enabled collector has a live snapshot. */
  isReady(): boolean {
    return this.slots.every((s) => this.deps.store.has(s.collector.name));
  }

  start(): void {
    this.stopped = false;
    for (const slot of this.slots) {
      // Spread the first runs over a second so that collectors do not all hit the database at once.
      this.schedule(slot, this.random() * 1_000);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const slot of this.slots) clearTimeout(slot.timer);
    await Promise.all(this.slots.map((s) => s.running));
  }

  /** Runs every collector once now (waiting for any run in flight); for tests, benchmarks and start-up. */
  async runAll(): Promise<void> {
    await Promise.all(this.slots.map((s) => this.run(s)));
  }

  async runOne(name: string): Promise<void> {
    const slot = this.slots.find((s) => s.collector.name === name);
    if (!slot) throw new Error(`no enabled collector named ${name}`);
    await this.run(slot);
  }

  private schedule(slot: Slot, delayMs: number): void {
    if (this.stopped) return;
    slot.timer = setTimeout(() => {
      void this.run(slot).then(() => {
        const base =
          slot.failures === 0 ? slot.intervalMs : Math.min(slot.intervalMs, MIN_BACKOFF_MS * 2 ** Math.min(slot.failures - 1, 16));
        // +-10% jitter keeps collectors with equal intervals from staying in lock-step.
        this.schedule(slot, base * (0.9 + 0.2 * this.random()));
      });
    }, delayMs);
    slot.timer.unref?.();
  }

  private run(slot: Slot): Promise<void> {
    if (slot.running) return slot.running;
    slot.running = this.execute(slot).finally(() => {
      slot.running = undefined;
    });
    return slot.running;
  }

  private execute(slot: Slot): Promise<void> {
    return this.turns.run(() => this.executeInTurn(slot));
  }

  private async executeInTurn(slot: Slot): Promise<void> {
    const { collector } = slot;
    const started = process.hrtime.bigint();
    let ok = false;
    try {
      const prepared = await this.deps.compute.collect(collector.name, this.now().getTime());
      this.deps.store.put(collector.name, prepared, slot.maxAgeMs);
      ok = true;
      slot.failures = 0;
    } catch (err) {
      slot.failures++;
      this.deps.log.warn('collector failed', { collector: collector.name, error: (err as Error).message });
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.deps.self.recordRun(collector.name, ok, seconds, Date.now());
    }
  }
}
