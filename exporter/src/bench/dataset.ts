import { Client } from 'pg';
import { migrate } from '../db/migrate';
import { DEFAULT_SEED, loadDemoData } from '../demo';
import { Scale } from '../demo/scales';

export interface Dataset {
  scale: Scale;
  schema: string;
  seed: number;
  /** The instant the generated history ends at: every measurement evaluates at it. */
  now: Date;
  loadSeconds: number;
  reused: boolean;
  rows: Record<string, number>;
}

interface MarkerRow {
  scale: string;
  seed: number;
  data_now: Date;
  load_seconds: number;
  rows: Record<string, number>;
}

// The marker lives in the bench schema itself: dropping the schema drops it with the data.
const MARKER_TABLE_SQL = `CREATE TABLE IF NOT EXISTS saasmon_bench_marker (
  scale text NOT NULL, seed integer NOT NULL, data_now timestamptz NOT NULL,
  load_seconds double precision NOT NULL, rows jsonb NOT NULL, loaded_at timestamptz NOT NULL DEFAULT now())`;
const READ_MARKER_SQL = 'SELECT scale, seed, data_now, load_seconds, rows FROM saasmon_bench_marker ORDER BY loaded_at DESC LIMIT 1';
const WRITE_MARKER_SQL = 'INSERT INTO saasmon_bench_marker (scale, seed, data_now, load_seconds, rows) VALUES ($1, $2, $3, $4, $5)';

async function withClient<T>(url: string, schema: string | null, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function readMarker(url: string, schema: string): Promise<MarkerRow | undefined> {
  return withClient(url, schema, async (c) => {
    const exists = await c.query<{ ok: boolean }>("SELECT to_regclass('saasmon_bench_marker') IS NOT NULL AS ok");
    return exists.rows[0]?.ok ? (await c.query<MarkerRow>(READ_MARKER_SQL)).rows[0] : undefined;
  });
}

// A production database's autovacuum keeps the visibility maps (index-only scans on the rollups
// rely on them, migration 015) and the planner's statistics, and clears what compaction deletes;
// a freshly loaded schema has none of it, and a reused one carries the previous runs' ingest (the
// current month's partition, the deltas) unanalysed, with autovacuum off on some machines (seen:
// runs getting slower one after another, 300k dead rows in the timeline deltas). So every run
// starts from a vacuumed, analysed schema: about 10 s at L.
async function vacuumSchema(url: string, schema: string): Promise<void> {
  await withClient(url, schema, async (c) => {
    const { rows } = await c.query<{ name: string }>(
      `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname = $1 ORDER BY 1`,
      [schema],
    );
    if (rows.length > 0) await c.query(`VACUUM ANALYZE ${rows.map((r) => r.name).join(', ')}`);
  });
}

/**
 * A demo dataset in schema bench_<scale>: reused when its marker says it was loaded with the same
 * scale and seed (a fresh load of L takes minutes), otherwise the schema is dropped and reloaded.
 */
export async function ensureDataset(
  url: string,
  scale: Scale,
  seed = DEFAULT_SEED,
  log: (s: string) => void = () => undefined,
): Promise<Dataset> {
  const schema = `bench_${scale.toLowerCase()}`;
  // As a deployment would (docs/architecture.md, "Pools by role"): collectors' SQL at a lower CPU
  // priority where the database has the prioritize extension.
  const prioritize = await withClient(url, null, (c) => c.query('CREATE EXTENSION IF NOT EXISTS prioritize SCHEMA public'))
    .then(() => 'installed')
    .catch(() => "not available: collectors' SQL runs at normal priority");
  log(`${schema}: prioritize extension ${prioritize}`);
  const marker = await readMarker(url, schema);
  if (marker && marker.scale === scale && marker.seed === seed) {
    log(`${schema}: reusing data loaded for seed ${seed} (history ends ${marker.data_now.toISOString()}); migrating to the latest`);
    await migrate(url, schema);
    // Earlier runs ingested events (the mixed scenario) and stopped their exporters before the
    // compactor folded them: fold them now, as a running exporter would have.
    const folded = await withClient(url, schema, (c) => c.query<{ n: string }>('SELECT saasmon_compact_event_rollups() AS n'));
    log(`${schema}: ${folded.rows[0]?.n ?? 0} pending event deltas folded into the rollups`);
    await vacuumSchema(url, schema);
    return { scale, schema, seed, now: marker.data_now, loadSeconds: marker.load_seconds, reused: true, rows: marker.rows };
  }
  await withClient(url, null, (c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
  await migrate(url, schema);
  log(`${schema}: loading scale ${scale} (seed ${seed})`);
  const result = await loadDemoData(url, schema, {
    scale,
    seed,
    onProgress: (phase, seconds) => log(`${schema}:   ${phase} done at ${seconds.toFixed(1)} s`),
  });
  await withClient(url, schema, async (c) => {
    await c.query(MARKER_TABLE_SQL);
    await c.query(WRITE_MARKER_SQL, [scale, seed, result.now, result.seconds, JSON.stringify(result.rows)]);
  });
  await vacuumSchema(url, schema);
  const now = result.now;
  return { scale, schema, seed, now, loadSeconds: result.seconds, reused: false, rows: result.rows };
}
