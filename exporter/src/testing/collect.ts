import { Collector } from '../collectors/collector';
import { Config } from '../config/schema';
import { createPool, withReadOnly } from '../db/pool';
import { renderFamilies } from '../metrics/exposition';
import { MetricFamily } from '../metrics/family';

/** Runs one collector at instant `now` exactly as the scheduler does (read-only transaction). */
export async function runCollector(collector: Collector, config: Config, now: Date): Promise<MetricFamily[]> {
  const pool = createPool(config, 'read');
  try {
    return await withReadOnly(pool, (db) => collector.collect({ db, now, config }));
  } finally {
    await pool.end();
  }
}

/** The sample lines of the exposition text (no HELP/TYPE), sorted: what tests compare against. */
export async function sampleLines(families: readonly MetricFamily[], only?: RegExp): Promise<string[]> {
  const { text } = await renderFamilies(families);
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .filter((l) => !only || only.test(l))
    .sort();
}

/** Collects and returns the sample lines, optionally only those of metric names matching `only`. */
export async function collectLines(collector: Collector, config: Config, now: Date, only?: RegExp): Promise<string[]> {
  return sampleLines(await runCollector(collector, config, now), only);
}
