import { ClientBase, Client } from 'pg';
import { ConfigError } from '../config/load';
import { CopyRow, copyChunks, copyRows } from './copy';
import { eventLines, expectedActiveDays } from './events';
import { centsText, marketingSpendRows } from './marketing';
import { AI_REQUEST_COLUMNS, aiRequestRows, TRAINING_JOB_COLUMNS, trainingJobRows } from './ai';
import { buildModel, DemoModel } from './model';
import { backupRows, drTestRows, incidentRows, releaseRows } from './operations';
import { Scale, SCALE_PROFILES } from './scales';
import { HOUR_MS, iso } from './time';
import { npsRows, ticketRows } from './voice';

export interface DemoResult {
  tenants: number;
  users: number;
  events: number;
  seconds: number;
  /** The instant the generated history ends at. */
  now: Date;
  /** Rows written per table. */
  rows: Record<string, number>;
}

/**
 * How the event rollups are filled: 'rebuild' turns the rollup trigger off for the load and
 * rebuilds the rollups once at the end (GROUP BYs over all events); 'trigger' keeps it on and
 * COPYs events in chunks of `eventChunkRows` (each chunk appends its deltas), then compacts once.
 */
export type RollupStrategy = 'rebuild' | 'trigger';

export interface DemoOptions {
  scale: Scale;
  seed?: number;
  /** The generated history ends at this instant (default: now, truncated to the hour). */
  now?: Date;
  rollups?: RollupStrategy;
  eventChunkRows?: number;
  /** Progress lines (phase and seconds) for the CLI and the bench. */
  onProgress?: (phase: string, seconds: number) => void;
}

export const DEFAULT_SEED = 42;

const EVENT_COLUMNS = ['id', 'tenant_id', 'user_id', 'name', 'occurred_at', 'properties'];

const ANALYZED_TABLES = [
  'tenants',
  'users',
  'subscriptions',
  'marketing_spend',
  'experiments',
  'experiment_assignments',
  'nps_responses',
  'support_tickets',
  'backups',
  'dr_tests',
  'incidents',
  'releases',
  'events',
  'ai_requests',
  'training_jobs',
  'saasmon_user_days_base',
  'saasmon_user_event_days_base',
  'saasmon_tenant_event_days_base',
];
const TENANTS_NOT_EMPTY_SQL = 'SELECT EXISTS (SELECT 1 FROM tenants) AS any';
const LOCK_EVENT_TABLES_SQL = `LOCK TABLE events, saasmon_event_deltas, saasmon_user_days_base, saasmon_user_event_days_base,
  saasmon_tenant_event_days_base IN ACCESS EXCLUSIVE MODE`;
const ENSURE_PARTITIONS_SQL = 'SELECT saasmon_ensure_event_partitions($1::timestamptz, $2::timestamptz)';

/**
 * Writes a deterministic demo dataset (same seed and now: the same rows) into an empty, migrated
 * schema, all in one transaction: a crash or an error leaves the schema as it was, never a
 * half-loaded demo. A schema that already has tenants is refused.
 */
export async function loadDemoData(url: string, schema: string, options: DemoOptions): Promise<DemoResult> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new ConfigError(`invalid schema name: ${schema}`);
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const progress = (phase: string) => options.onProgress?.(phase, elapsed());
  const seed = options.seed ?? DEFAULT_SEED;
  const nowMs = options.now?.getTime() ?? Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
  const profile = SCALE_PROFILES[options.scale];
  const model = buildModel(profile, seed, nowMs);
  progress('model');

  const client = new Client({ connectionString: url, options: `-c search_path=${schema},public`, application_name: 'saasmon-demo' });
  await client.connect();
  try {
    await client.query('BEGIN');
    // Two loads racing for one schema: the second waits here, then sees the first one's tenants.
    await client.query('LOCK TABLE tenants IN SHARE ROW EXCLUSIVE MODE');
    const { rows } = await client.query<{ any: boolean }>(TENANTS_NOT_EMPTY_SQL);
    if (rows[0]?.any) {
      throw new ConfigError(
        `demo: schema "${schema}" already has tenants; demo data is only written into an empty schema (choose another SAASMON_SCHEMA)`,
      );
    }
    // Every lock the load needs, taken up front: upgrading locks half-way (the rollup rebuild
    // truncates) could deadlock with a reader or autovacuum; readers just wait for the commit.
    await client.query(LOCK_EVENT_TABLES_SQL);
    const counts = await writeModel(client, model, progress);
    counts.events = await writeEvents(
      client,
      model,
      profile.events,
      options.rollups ?? 'rebuild',
      options.eventChunkRows ?? 250_000,
      progress,
    );
    await client.query('COMMIT');
    progress('commit');
    // Only this schema's tables: a bare ANALYZE would walk every table of the database.
    for (const table of ANALYZED_TABLES) await client.query(`ANALYZE ${table}`);
    progress('analyze');
    return {
      tenants: counts.tenants ?? 0,
      users: counts.users ?? 0,
      events: counts.events,
      seconds: elapsed(),
      now: new Date(nowMs),
      rows: counts,
    };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}

/** The small and medium tables, in foreign-key order. */
async function writeModel(client: ClientBase, m: DemoModel, progress: (phase: string) => void): Promise<Record<string, number>> {
  const { seed, nowMs, startMs } = m;
  const counts: Record<string, number> = {};
  const copy = async (table: string, columns: string[], rows: Iterable<CopyRow>) => {
    counts[table] = await copyRows(client, table, columns, rows);
  };
  await copy(
    'tenants',
    ['id', 'name', 'plan', 'segment', 'acquisition_channel', 'region', 'created_at', 'churned_at', 'churn_reason'],
    m.tenants.map((t) => [
      t.id,
      t.name,
      t.plan,
      t.segment,
      t.channel,
      t.region,
      iso(t.createdMs),
      t.churnedMs === null ? null : iso(t.churnedMs),
      t.churnReason,
    ]),
  );
  await copy(
    'users',
    ['id', 'tenant_id', 'email', 'role', 'created_at', 'activated_at', 'referred_by', 'deleted_at'],
    m.users.map((u) => [
      u.id,
      u.tenant.id,
      u.email,
      u.role,
      iso(u.createdMs),
      u.activatedMs === null ? null : iso(u.activatedMs),
      u.referredBy,
      u.deletedMs === null ? null : iso(u.deletedMs),
    ]),
  );
  await copy(
    'subscriptions',
    ['id', 'tenant_id', 'plan', 'status', 'amount', 'interval_months', 'valid_from', 'valid_to'],
    m.tenants.flatMap((t) =>
      t.subscriptions.map((s) => [
        s.id,
        s.tenantId,
        s.plan,
        s.status,
        centsText(s.amountCents),
        s.intervalMonths,
        iso(s.fromMs),
        s.toMs === null ? null : iso(s.toMs),
      ]),
    ),
  );
  await copy('marketing_spend', ['channel', 'month', 'amount'], marketingSpendRows(seed, m.tenants, startMs, nowMs));
  await copy(
    'experiments',
    ['id', 'name', 'hypothesis', 'success_event', 'status', 'started_at', 'concluded_at', 'winner_variant'],
    m.experiments.map((e) => [
      e.id,
      e.name,
      e.hypothesis,
      e.successEvent,
      e.status,
      e.startedMs === null ? null : iso(e.startedMs),
      e.concludedMs === null ? null : iso(e.concludedMs),
      e.winner,
    ]),
  );
  await copy(
    'experiment_assignments',
    ['experiment_id', 'user_id', 'variant', 'assigned_at'],
    m.assignments.map((a) => [a.experimentId, a.userId, a.variant, iso(a.assignedMs)]),
  );
  await copy('nps_responses', ['id', 'tenant_id', 'user_id', 'score', 'comment', 'responded_at'], npsRows(seed, m.users, nowMs));
  await copy('support_tickets', ['id', 'tenant_id', 'priority', 'opened_at', 'resolved_at'], ticketRows(seed, m.tenants, nowMs));
  await copy(
    'backups',
    ['id', 'kind', 'location', 'started_at', 'completed_at', 'status', 'size_bytes', 'verified_at'],
    backupRows(seed, startMs, nowMs),
  );
  await copy(
    'dr_tests',
    ['id', 'kind', 'tested_at', 'recovery_time_seconds', 'data_loss_seconds', 'result', 'notes'],
    drTestRows(seed, startMs, nowMs),
  );
  await copy(
    'incidents',
    ['id', 'title', 'severity', 'status', 'services', 'started_at', 'resolved_at'],
    incidentRows(seed, startMs, nowMs),
  );
  await copy('releases', ['id', 'version', 'kind', 'deployed_at', 'rolled_back_at'], releaseRows(seed, startMs, nowMs));
  await copy('ai_requests', AI_REQUEST_COLUMNS, aiRequestRows(seed, m.tenants, nowMs));
  await copy('training_jobs', TRAINING_JOB_COLUMNS, trainingJobRows(seed, m.tenants, nowMs));
  progress('tables');
  return counts;
}

/**
 * Events, streamed user by user. Events per active day are scaled so that the total lands near the
 * scale's target. Rollups: see RollupStrategy. 'rebuild' is the default: at M
 * (2M events, shared 2-core machine) COPY + rebuild took 80 s, chunked COPY + compaction 98 s.
 */
async function writeEvents(
  client: ClientBase,
  m: DemoModel,
  target: number,
  strategy: RollupStrategy,
  chunkRows: number,
  progress: (phase: string) => void,
): Promise<number> {
  await client.query(ENSURE_PARTITIONS_SQL, [new Date(m.startMs), new Date(m.nowMs)]);
  const perActiveDay = Math.max(1, target / expectedActiveDays(m.users, m.nowMs) - 0.1);
  const counter = { rows: 0 };
  const source = withProgress(eventLines(m.seed, m.users, m.nowMs, perActiveDay, counter), counter, target, progress);
  const rowsOf = () => counter.rows;
  if (strategy === 'rebuild') {
    await client.query('ALTER TABLE events DISABLE TRIGGER saasmon_events_rollup');
    await copyChunks(client, 'events', EVENT_COLUMNS, source, rowsOf);
    progress('events');
    // The rebuild's three GROUP BYs over all events hash in memory instead of spilling to disk.
    await client.query(`SET LOCAL work_mem = '256MB'`);
    await client.query('SELECT saasmon_rebuild_event_rollups()');
    await client.query('RESET work_mem');
    await client.query('ALTER TABLE events ENABLE TRIGGER saasmon_events_rollup');
    progress('rollups');
  } else {
    for (let done = false; !done;) ({ done } = await copyChunks(client, 'events', EVENT_COLUMNS, source, rowsOf, chunkRows));
    progress('events');
    // The trigger appended one delta per (user, name, day) and chunk; fold them now so that the
    // demo starts with compact rollups rather than leaving it to the exporter's compactor.
    await client.query(`SET LOCAL work_mem = '256MB'`);
    await client.query('SELECT saasmon_compact_event_rollups()');
    await client.query('RESET work_mem');
    progress('rollups');
  }
  return counter.rows;
}

/** Reports every tenth of the expected events while they stream (minutes at M and L). */
function* withProgress(
  lines: Iterator<string>,
  counter: { rows: number },
  target: number,
  progress: (phase: string) => void,
): Generator<string, undefined> {
  const step = Math.max(100_000, Math.round(target / 10));
  let next = step;
  for (let line = lines.next(); !line.done; line = lines.next()) {
    yield line.value;
    if (counter.rows >= next) {
      progress(`events: ${counter.rows.toLocaleString('en-US')} of about ${target.toLocaleString('en-US')} written`);
      next += step;
    }
  }
  return undefined;
}
