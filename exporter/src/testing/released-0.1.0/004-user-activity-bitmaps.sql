
CREATE TABLE IF NOT EXISTS saasmon_user_activity (
  user_id   text NOT NULL,
  name      text NOT NULL,
  first_day date NOT NULL,
  days      varbit NOT NULL,
  PRIMARY KEY (name, user_id)
) PARTITION BY LIST (name);
-- Most matrices read the any-event rows: kept apart, they are a small table of their own rather
-- than one row in ten of a big one.
CREATE TABLE IF NOT EXISTS saasmon_user_activity_any PARTITION OF saasmon_user_activity FOR VALUES IN ('');
CREATE TABLE IF NOT EXISTS saasmon_user_activity_by_name PARTITION OF saasmon_user_activity DEFAULT;

-- Bit strings of two ranges ORed over the union of their ranges.
CREATE OR REPLACE FUNCTION saasmon_day_bits_or(f1 date, b1 varbit, f2 date, b2 varbit) RETURNS varbit
LANGUAGE sql IMMUTABLE STRICT AS $fn$
  SELECT (repeat('0', f1 - r.f) || b1::text || repeat('0', r.e - f1 - length(b1)))::varbit
       | (repeat('0', f2 - r.f) || b2::text || repeat('0', r.e - f2 - length(b2)))::varbit
  FROM (SELECT least(f1, f2) AS f, greatest(f1 + length(b1), f2 + length(b2)) AS e) r
$fn$;

-- Builds bit strings from (user_id, name, day) rows: each day becomes the zeros since the previous
-- active day and a one, concatenated in day order. Set-based, so a rebuild of millions of user-days
-- is one pass.
CREATE OR REPLACE VIEW saasmon_user_activity_source AS
  SELECT user_id, '' AS name, day FROM saasmon_user_days_base
  UNION ALL
  SELECT user_id, name, day FROM saasmon_user_event_days_base;

CREATE OR REPLACE FUNCTION saasmon_compact_event_rollups() RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE
  folded bigint;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext(current_schema() || '.saasmon_compact_event_rollups')) THEN
    RETURN 0; -- another exporter is compacting this schema right now
  END IF;
  -- Folds pending deltas into the base tables in one statement: the rows it deletes are exactly
  -- the rows it adds up, so deltas committed meanwhile stay for the next run.
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
  ),
  moved_days AS (
    SELECT DISTINCT user_id, '' AS name, day FROM moved WHERE user_id IS NOT NULL
    UNION
    SELECT DISTINCT user_id, name, day FROM moved WHERE user_id IS NOT NULL
  ),
  gaps AS (
    SELECT user_id, name, day, day - lag(day, 1, day - 1) OVER (PARTITION BY user_id, name ORDER BY day) - 1 AS gap
    FROM moved_days
  ),
  activity AS (
    INSERT INTO saasmon_user_activity AS a (user_id, name, first_day, days)
    SELECT user_id, name, min(day), string_agg(repeat('0', gap) || '1', '' ORDER BY day)::varbit
    FROM gaps GROUP BY 1, 2
    ON CONFLICT (name, user_id) DO UPDATE
      SET first_day = least(a.first_day, excluded.first_day),
          days = saasmon_day_bits_or(a.first_day, a.days, excluded.first_day, excluded.days)
  )
  SELECT count(*) INTO folded FROM moved;
  RETURN folded;
END
$fn$;

CREATE OR REPLACE FUNCTION saasmon_rebuild_user_activity() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  TRUNCATE saasmon_user_activity;
  INSERT INTO saasmon_user_activity (user_id, name, first_day, days)
  SELECT user_id, name, min(day), string_agg(repeat('0', gap) || '1', '' ORDER BY day)::varbit
  FROM (
    SELECT user_id, name, day, day - lag(day, 1, day - 1) OVER (PARTITION BY user_id, name ORDER BY day) - 1 AS gap
    FROM saasmon_user_activity_source
  ) g
  GROUP BY 1, 2;
  ANALYZE saasmon_user_activity;
END
$fn$;

-- The rebuild of migration 003 keeps its work under a new name; the public function adds the bit strings.
ALTER FUNCTION saasmon_rebuild_event_rollups() RENAME TO saasmon_rebuild_event_days;
CREATE OR REPLACE FUNCTION saasmon_rebuild_event_rollups() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM saasmon_rebuild_event_days();
  PERFORM saasmon_rebuild_user_activity();
END
$fn$;

DO $do$
BEGIN
  EXECUTE format('ALTER FUNCTION saasmon_compact_event_rollups() SET search_path = %I, public', current_schema());
  EXECUTE format('ALTER FUNCTION saasmon_rebuild_event_rollups() SET search_path = %I, public', current_schema());
  EXECUTE format('ALTER FUNCTION saasmon_rebuild_user_activity() SET search_path = %I, public', current_schema());
END
$do$;

-- Existing deltas are folded first so the bit strings start from complete day tables.
SELECT saasmon_compact_event_rollups();
SELECT saasmon_rebuild_user_activity();
