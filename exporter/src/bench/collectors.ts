import { allCollectors } from '../collectors';
import { Config } from '../config/schema';
import { ComputeEngine } from '../compute/engine';
import { createPool, withReadOnly } from '../db/pool';
import { silentLogger } from '../logger';
import { Scheduler } from '../metrics/scheduler';
import { SelfMetrics } from '../metrics/self-metrics';
import { SnapshotStore } from '../metrics/snapshot-store';
import { repeat, summarize, Summary, timed } from './stats';

export interface CollectorFigures {
  /** All collectors one after the other, each in its own read-only transaction. */
  sequential: Summary;
  /** All collectors at once through the scheduler (runAll), as the exporter refreshes. */
  together: Summary;
  /** Per collector, from the sequential runs; failures are counted, not timed. */
  perCollector: Array<{ name: string; p50: number; p95: number; failures: number; error?: string }>;
}

/** Full refreshes of whatever allCollectors() returns, at the data's `now`, `runs` times each way. */
export async function benchCollectors(config: Config, now: Date, runs: number): Promise<CollectorFigures> {
  const collectors = allCollectors();
  const pool = createPool(config, 'read');
  try {
    const times = new Map<string, number[]>(collectors.map((c) => [c.name, []]));
    const failures = new Map<string, { count: number; error?: string }>();
    const sequential = await repeat(runs, async () => {
      for (const c of collectors) {
        try {
          const { ms } = await timed(() => withReadOnly(pool, (db) => c.collect({ db, now, config })));
          times.get(c.name)?.push(ms);
        } catch (err) {
          const f = failures.get(c.name) ?? { count: 0 };
          failures.set(c.name, { count: f.count + 1, error: (err as Error).message.slice(0, 120) });
        }
      }
    });
    const engine = new ComputeEngine(config, silentLogger, collectors);
    const scheduler = new Scheduler(collectors, {
      compute: engine,
      config,
      store: new SnapshotStore(),
      self: new SelfMetrics({ processMetrics: false }),
      log: silentLogger,
      now: () => now,
    });
    const together = await repeat(runs, () => scheduler.runAll()).finally(() => engine.close());
    return {
      sequential: summarize(sequential),
      together: summarize(together),
      perCollector: collectors.map((c) => {
        const s = summarize(times.get(c.name) ?? []);
        const f = failures.get(c.name);
        return { name: c.name, p50: s.p50, p95: s.p95, failures: f?.count ?? 0, ...(f?.error ? { error: f.error } : {}) };
      }),
    };
  } finally {
    await pool.end();
  }
}
