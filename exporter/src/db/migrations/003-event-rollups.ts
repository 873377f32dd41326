/**
 * Daily rollups of events, so that collectors and queries cost what users x days cost, not what
 * raw events cost. Each row keeps the first and last instant of its day, not only a count: a
 * rolling window (T - w, T] that starts or ends inside a day is then answered exactly (an edge day
 * counts when last_at > T - w, resp. first_at <= T), with no scan of raw events.
 *
 * Writes never contend: a statement-level trigger on events (ingest API, COPY, ETL alike) appends
 * the batch's per (tenant, user, name, day) aggregate to saasmon_event_deltas, a plain insert that
 * locks nothing. Upserting the day rows directly would make every concurrent batch wait on the
 * same hot rows (today's tenants and names) and serialise ingestion. saasmon_compact_event_rollups()
 * (run by the exporter every few seconds, one writer at a time) folds the deltas into the base
 * tables. The trigger sees only rows really inserted (ON CONFLICT DO NOTHING skips retries), so
 * idempotent re-sends never double-count.
 *
 * Readers use the views saasmon_user_days, saasmon_user_event_days and saasmon_tenant_event_days:
 * base rows plus the pending deltas, so an answer is exact the moment an insert commits. Until
 * compacted, a (user, day) may appear in several rows: read them with existence (any row with
 * last_at > ...), min/max and sum semantics, never count(*) of rows.
 *
 * Events deleted or rewritten outside saasmon (or an `events` view) leave the rollups behind:
 * `SELECT saasmon_rebuild_event_rollups()` recomputes them. The trigger and the functions are in
 * db/functions.ts.
 */
export const sql = `
CREATE TABLE IF NOT EXISTS saasmon_event_deltas (
  tenant_id text NOT NULL,
  user_id   text,
  name      text NOT NULL,
  day       date NOT NULL,
  first_at  timestamptz NOT NULL,
  last_at   timestamptz NOT NULL,
  events    bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS saasmon_event_deltas_day_idx ON saasmon_event_deltas (day);

CREATE TABLE IF NOT EXISTS saasmon_user_days_base (
  user_id   text NOT NULL,
  day       date NOT NULL,
  tenant_id text NOT NULL,
  first_at  timestamptz NOT NULL,
  last_at   timestamptz NOT NULL,
  events    bigint NOT NULL,
  PRIMARY KEY (user_id, day)
);
CREATE INDEX IF NOT EXISTS saasmon_user_days_base_day_idx ON saasmon_user_days_base (day);
CREATE INDEX IF NOT EXISTS saasmon_user_days_base_tenant_idx ON saasmon_user_days_base (tenant_id, day);

CREATE TABLE IF NOT EXISTS saasmon_user_event_days_base (
  user_id   text NOT NULL,
  name      text NOT NULL,
  day       date NOT NULL,
  tenant_id text NOT NULL,
  first_at  timestamptz NOT NULL,
  last_at   timestamptz NOT NULL,
  events    bigint NOT NULL,
  PRIMARY KEY (user_id, name, day)
);
CREATE INDEX IF NOT EXISTS saasmon_user_event_days_base_name_idx ON saasmon_user_event_days_base (name, day);

CREATE TABLE IF NOT EXISTS saasmon_tenant_event_days_base (
  tenant_id text NOT NULL,
  name      text NOT NULL,
  day       date NOT NULL,
  first_at  timestamptz NOT NULL,
  last_at   timestamptz NOT NULL,
  events    bigint NOT NULL,
  PRIMARY KEY (tenant_id, name, day)
);
CREATE INDEX IF NOT EXISTS saasmon_tenant_event_days_base_day_idx ON saasmon_tenant_event_days_base (day);

CREATE OR REPLACE VIEW saasmon_user_days AS
  SELECT user_id, day, tenant_id, first_at, last_at, events FROM saasmon_user_days_base
  UNION ALL
  SELECT user_id, day, tenant_id, first_at, last_at, events FROM saasmon_event_deltas WHERE user_id IS NOT NULL;

CREATE OR REPLACE VIEW saasmon_user_event_days AS
  SELECT user_id, name, day, tenant_id, first_at, last_at, events FROM saasmon_user_event_days_base
  UNION ALL
  SELECT user_id, name, day, tenant_id, first_at, last_at, events FROM saasmon_event_deltas WHERE user_id IS NOT NULL;

CREATE OR REPLACE VIEW saasmon_tenant_event_days AS
  SELECT tenant_id, name, day, first_at, last_at, events FROM saasmon_tenant_event_days_base
  UNION ALL
  SELECT tenant_id, name, day, first_at, last_at, events FROM saasmon_event_deltas;

`;

/** Rollups of the events already there (the trigger and functions are in db/functions.ts). */
export const afterFunctions = `SELECT saasmon_rebuild_event_rollups();`;
