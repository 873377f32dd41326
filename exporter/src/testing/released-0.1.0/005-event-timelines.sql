
CREATE TABLE IF NOT EXISTS saasmon_event_names (
  id   integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL UNIQUE
);

CREATE TABLE IF NOT EXISTS saasmon_user_timelines (
  user_id text NOT NULL,
  period_start date NOT NULL,
  entries      bytea NOT NULL,
  PRIMARY KEY (period_start, user_id)
);

CREATE TABLE IF NOT EXISTS saasmon_timeline_deltas (
  user_id text NOT NULL,
  period_start date NOT NULL,
  entries      bytea NOT NULL
);
CREATE INDEX IF NOT EXISTS saasmon_timeline_deltas_period_idx ON saasmon_timeline_deltas (period_start);

CREATE OR REPLACE FUNCTION saasmon_timeline_period(occurred_at timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE STRICT AS $fn$
  SELECT DATE '1970-01-01' + floor(((occurred_at AT TIME ZONE 'UTC')::date - DATE '1970-01-01') / 10.0)::integer * 10
$fn$;

-- One packed entry: name id, milliseconds since the start of the entry's period.
CREATE OR REPLACE FUNCTION saasmon_timeline_entry(name_id integer, occurred_at timestamptz) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT AS $fn$
  SELECT int4send(name_id) || int4send(
    floor(extract(epoch FROM occurred_at - (saasmon_timeline_period(occurred_at)::timestamp AT TIME ZONE 'UTC')) * 1000)::integer)
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
  INSERT INTO saasmon_timeline_deltas (user_id, period_start, entries)
  SELECT e.user_id, saasmon_timeline_period(e.occurred_at),
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
  INSERT INTO saasmon_user_timelines AS t (user_id, period_start, entries)
  SELECT user_id, period_start, string_agg(entries, ''::bytea) FROM moved GROUP BY 1, 2
  ON CONFLICT (period_start, user_id) DO UPDATE SET entries = t.entries || excluded.entries
$fn$;

CREATE OR REPLACE FUNCTION saasmon_rebuild_event_timelines() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  LOCK TABLE events IN SHARE MODE; -- no insert may slip between the truncate and the read
  TRUNCATE saasmon_timeline_deltas, saasmon_user_timelines;
  INSERT INTO saasmon_event_names (name)
  SELECT DISTINCT e.name FROM events e
  WHERE NOT EXISTS (SELECT 1 FROM saasmon_event_names n WHERE n.name = e.name);
  INSERT INTO saasmon_user_timelines (user_id, period_start, entries)
  SELECT e.user_id, saasmon_timeline_period(e.occurred_at),
         string_agg(saasmon_timeline_entry(n.id, e.occurred_at), ''::bytea ORDER BY e.occurred_at, e.id)
  FROM events e
  JOIN saasmon_event_names n ON n.name = e.name
  WHERE e.user_id IS NOT NULL
  GROUP BY 1, 2;
  ANALYZE saasmon_user_timelines;
END
$fn$;

-- Compaction and rebuild take in the timelines: the compaction of migration 004 keeps its work
-- under a new name, and the public functions call the parts in one transaction.
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
  PERFORM saasmon_rebuild_event_days(); -- takes the lock on events that the timelines need too
  PERFORM saasmon_rebuild_user_activity();
  PERFORM saasmon_rebuild_event_timelines();
END
$fn$;

DO $do$
BEGIN
  EXECUTE format('ALTER FUNCTION saasmon_append_event_deltas() SET search_path = %I, public', current_schema());
  EXECUTE format('ALTER FUNCTION saasmon_compact_event_timelines() SET search_path = %I, public', current_schema());
  EXECUTE format('ALTER FUNCTION saasmon_compact_event_rollups() SET search_path = %I, public', current_schema());
  EXECUTE format('ALTER FUNCTION saasmon_rebuild_event_timelines() SET search_path = %I, public', current_schema());
  EXECUTE format('ALTER FUNCTION saasmon_rebuild_event_rollups() SET search_path = %I, public', current_schema());
END
$do$;

SELECT saasmon_rebuild_event_timelines();
