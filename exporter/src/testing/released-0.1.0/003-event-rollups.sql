
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

CREATE OR REPLACE FUNCTION saasmon_append_event_deltas() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO saasmon_event_deltas (tenant_id, user_id, name, day, first_at, last_at, events)
  SELECT tenant_id, user_id, name, (occurred_at AT TIME ZONE 'UTC')::date, min(occurred_at), max(occurred_at), count(*)
  FROM new_events
  GROUP BY 1, 2, 3, 4;
  RETURN NULL;
END
$fn$;

-- Folds pending deltas into the base tables in one statement: the rows it deletes are exactly the
-- rows it adds up, so deltas committed meanwhile stay for the next run. Returns the deltas folded.
CREATE OR REPLACE FUNCTION saasmon_compact_event_rollups() RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE
  folded bigint;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext(current_schema() || '.saasmon_compact_event_rollups')) THEN
    RETURN 0; -- another exporter is compacting this schema right now
  END IF;
  WITH moved AS (
    DELETE FROM saasmon_event_deltas RETURNING *
  ),
  user_days AS (
    INSERT INTO saasmon_user_days_base AS r (user_id, day, tenant_id, first_at, last_at, events)
    SELECT user_id, day, min(tenant_id), min(first_at), max(last_at), sum(events)
    FROM moved WHERE user_id IS NOT NULL GROUP BY 1, 2
    ON CONFLICT (user_id, day) DO UPDATE
      SET first_at = least(r.first_at, excluded.first_at),
          last_at = greatest(r.last_at, excluded.last_at),
          events = r.events + excluded.events
  ),
  user_event_days AS (
    INSERT INTO saasmon_user_event_days_base AS r (user_id, name, day, tenant_id, first_at, last_at, events)
    SELECT user_id, name, day, min(tenant_id), min(first_at), max(last_at), sum(events)
    FROM moved WHERE user_id IS NOT NULL GROUP BY 1, 2, 3
    ON CONFLICT (user_id, name, day) DO UPDATE
      SET first_at = least(r.first_at, excluded.first_at),
          last_at = greatest(r.last_at, excluded.last_at),
          events = r.events + excluded.events
  ),
  tenant_event_days AS (
    INSERT INTO saasmon_tenant_event_days_base AS r (tenant_id, name, day, first_at, last_at, events)
    SELECT tenant_id, name, day, min(first_at), max(last_at), sum(events)
    FROM moved GROUP BY 1, 2, 3
    ON CONFLICT (tenant_id, name, day) DO UPDATE
      SET first_at = least(r.first_at, excluded.first_at),
          last_at = greatest(r.last_at, excluded.last_at),
          events = r.events + excluded.events
  )
  SELECT count(*) INTO folded FROM moved;
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
END
$fn$;

-- The trigger fires from sessions whose search_path may not name this schema (an ETL job):
-- pin the functions to the schema they were created in.
DO $do$
BEGIN
  EXECUTE format('ALTER FUNCTION saasmon_append_event_deltas() SET search_path = %I, public', current_schema());
  EXECUTE format('ALTER FUNCTION saasmon_compact_event_rollups() SET search_path = %I, public', current_schema());
  EXECUTE format('ALTER FUNCTION saasmon_rebuild_event_rollups() SET search_path = %I, public', current_schema());
END
$do$;

DROP TRIGGER IF EXISTS saasmon_events_rollup ON events;
CREATE TRIGGER saasmon_events_rollup AFTER INSERT ON events
  REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION saasmon_append_event_deltas();

SELECT saasmon_rebuild_event_rollups();
