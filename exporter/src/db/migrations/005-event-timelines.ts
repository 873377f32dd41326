/**
 * Per user and UTC month, every event as 8 packed bytes: the event name's id (int4) and the
 * milliseconds since the month's start (uint32, stored as int4 minus 2^31). A funnel then reads one
 * short row per user-month, aggregated by Postgres into a single value per breakdown bucket, instead
 * of a row per raw event: the cost of a funnel is bytes copied, not rows parsed.
 *
 * Entries are in time order within what one statement wrote; later appends (new batches, late
 * events) may be out of order, so readers sort a user's entries by time, keeping append order for
 * equal milliseconds.
 *
 * Like the day rollups, writes never contend: the events trigger appends each batch's entries to
 * saasmon_timeline_deltas, and saasmon_compact_event_rollups() appends those to the month rows.
 * Readers take month rows and pending deltas together.
 */
export const sql = `
CREATE TABLE IF NOT EXISTS saasmon_event_names (
  id   integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL UNIQUE
);

CREATE TABLE IF NOT EXISTS saasmon_user_timelines (
  user_id text NOT NULL,
  month   date NOT NULL,
  entries bytea NOT NULL,
  PRIMARY KEY (month, user_id)
);

CREATE TABLE IF NOT EXISTS saasmon_timeline_deltas (
  user_id text NOT NULL,
  month   date NOT NULL,
  entries bytea NOT NULL
);
CREATE INDEX IF NOT EXISTS saasmon_timeline_deltas_month_idx ON saasmon_timeline_deltas (month);

-- One packed entry; the month is the UTC month of occurred_at.
CREATE OR REPLACE FUNCTION saasmon_timeline_entry(name_id integer, occurred_at timestamptz) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT AS $fn$
  SELECT int4send(name_id) || int4send((
    floor(extract(epoch FROM occurred_at - (date_trunc('month', occurred_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')) * 1000)
    - 2147483648)::integer)
$fn$;

CREATE OR REPLACE FUNCTION saasmon_append_event_deltas() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO saasmon_event_deltas (tenant_id, user_id, name, day, first_at, last_at, events)
  SELECT tenant_id, user_id, name, (occurred_at AT TIME ZONE 'UTC')::date, min(occurred_at), max(occurred_at), count(*)
  FROM new_events
  GROUP BY 1, 2, 3, 4;
  -- New names only: ON CONFLICT alone would spend an identity value per name of every batch.
  INSERT INTO saasmon_event_names (name)
  SELECT DISTINCT e.name FROM new_events e
  WHERE NOT EXISTS (SELECT 1 FROM saasmon_event_names n WHERE n.name = e.name)
  ON CONFLICT (name) DO NOTHING;
  INSERT INTO saasmon_timeline_deltas (user_id, month, entries)
  SELECT e.user_id, date_trunc('month', e.occurred_at AT TIME ZONE 'UTC')::date,
         string_agg(saasmon_timeline_entry(n.id, e.occurred_at), ''::bytea ORDER BY e.occurred_at, e.id)
  FROM new_events e
  JOIN saasmon_event_names n ON n.name = e.name
  WHERE e.user_id IS NOT NULL
  GROUP BY 1, 2;
  RETURN NULL;
END
$fn$;

CREATE OR REPLACE FUNCTION saasmon_compact_event_timelines() RETURNS void LANGUAGE sql AS $fn$
  WITH moved AS (
    DELETE FROM saasmon_timeline_deltas RETURNING *
  )
  INSERT INTO saasmon_user_timelines AS t (user_id, month, entries)
  SELECT user_id, month, string_agg(entries, ''::bytea) FROM moved GROUP BY 1, 2
  ON CONFLICT (month, user_id) DO UPDATE SET entries = t.entries || excluded.entries
$fn$;

CREATE OR REPLACE FUNCTION saasmon_rebuild_event_timelines() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  TRUNCATE saasmon_timeline_deltas, saasmon_user_timelines;
  INSERT INTO saasmon_event_names (name)
  SELECT DISTINCT e.name FROM events e
  WHERE NOT EXISTS (SELECT 1 FROM saasmon_event_names n WHERE n.name = e.name);
  INSERT INTO saasmon_user_timelines (user_id, month, entries)
  SELECT e.user_id, date_trunc('month', e.occurred_at AT TIME ZONE 'UTC')::date,
         string_agg(saasmon_timeline_entry(n.id, e.occurred_at), ''::bytea ORDER BY e.occurred_at, e.id)
  FROM events e
  JOIN saasmon_event_names n ON n.name = e.name
  WHERE e.user_id IS NOT NULL
  GROUP BY 1, 2;
  ANALYZE saasmon_user_timelines;
END
$fn$;

-- Compaction folds both the day rollups (as migration 004 defined it) and the timelines, in one
-- transaction under the same advisory lock.
ALTER FUNCTION saasmon_compact_event_rollups() RENAME TO saasmon_compact_event_days;
CREATE OR REPLACE FUNCTION saasmon_compact_event_rollups() RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE
  folded bigint;
BEGIN
  folded := saasmon_compact_event_days();
  IF pg_try_advisory_xact_lock(hashtext(current_schema() || '.saasmon_compact_event_rollups')) THEN
    PERFORM saasmon_compact_event_timelines();
  END IF;
  RETURN folded;
END
$fn$;

CREATE OR REPLACE FUNCTION saasmon_rebuild_event_rollups() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  -- Under a lock that waits for in-flight inserts and holds new ones until the rebuild commits.
  LOCK TABLE events IN SHARE MODE;
  TRUNCATE saasmon_event_deltas, saasmon_user_days_base, saasmon_user_event_days_base, saasmon_tenant_event_days_base;
  INSERT INTO saasmon_user_event_days_base (user_id, name, day, tenant_id, first_at, last_at, events)
  SELECT user_id, name, (occurred_at AT TIME ZONE 'UTC')::date, min(tenant_id), min(occurred_at), max(occurred_at), count(*)
  FROM events WHERE user_id IS NOT NULL GROUP BY 1, 2, 3;
  INSERT INTO saasmon_user_days_base (user_id, day, tenant_id, first_at, last_at, events)
  SELECT user_id, day, min(tenant_id), min(first_at), max(last_at), sum(events)
  FROM saasmon_user_event_days_base GROUP BY 1, 2;
  INSERT INTO saasmon_tenant_event_days_base (tenant_id, name, day, first_at, last_at, events)
  SELECT tenant_id, name, (occurred_at AT TIME ZONE 'UTC')::date, min(occurred_at), max(occurred_at), count(*)
  FROM events GROUP BY 1, 2, 3;
  ANALYZE saasmon_user_days_base, saasmon_user_event_days_base, saasmon_tenant_event_days_base;
  PERFORM saasmon_rebuild_user_activity();
  PERFORM saasmon_rebuild_event_timelines();
END
$fn$;

DO $do$
BEGIN
  EXECUTE format('ALTER FUNCTION saasmon_append_event_deltas() SET search_path = %I, public', current_schema());
  EXECUTE format('ALTER FUNCTION saasmon_compact_event_days() SET search_path = %I, public', current_schema());
  EXECUTE format('ALTER FUNCTION saasmon_compact_event_timelines() SET search_path = %I, public', current_schema());
  EXECUTE format('ALTER FUNCTION saasmon_compact_event_rollups() SET search_path = %I, public', current_schema());
  EXECUTE format('ALTER FUNCTION saasmon_rebuild_event_timelines() SET search_path = %I, public', current_schema());
  EXECUTE format('ALTER FUNCTION saasmon_rebuild_event_rollups() SET search_path = %I, public', current_schema());
END
$do$;

SELECT saasmon_rebuild_event_timelines();
`;
