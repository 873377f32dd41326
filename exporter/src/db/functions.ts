/**
 * Every database function and trigger of saasmon, in its current definition: the one place to read
 * or change one. migrate() applies this file after the migrations on every run (CREATE OR REPLACE,
 * so it is repeatable), on a fresh database and on one migrated by an older release alike.
 * Migrations hold tables, indexes, views and data changes only; a data change that needs these
 * functions (a rebuild) is a migration's `afterFunctions` step. To change a function: edit it
 * here. To remove one: DROP it in a new migration and delete it here. A function's signature
 * (arguments, return type) cannot change in place: DROP the old one in a migration first.
 */
export const sql = `
-- Helpers of the rollups (pure, inlinable: no search_path of their own).
-- Bit strings of two ranges ORed over the union of their ranges.
CREATE OR REPLACE FUNCTION saasmon_day_bits_or(f1 date, b1 varbit, f2 date, b2 varbit) RETURNS varbit
LANGUAGE sql IMMUTABLE STRICT AS $fn$
  SELECT (repeat('0', f1 - r.f) || b1::text || repeat('0', r.e - f1 - length(b1)))::varbit
       | (repeat('0', f2 - r.f) || b2::text || repeat('0', r.e - f2 - length(b2)))::varbit
  FROM (SELECT least(f1, f2) AS f, greatest(f1 + length(b1), f2 + length(b2)) AS e) r
$fn$;

-- The 10-day period (aligned to 1970-01-01, UTC) of an event, for the timelines.
CREATE OR REPLACE FUNCTION saasmon_timeline_period(occurred_at timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE STRICT AS $fn$
  SELECT DATE '1970-01-01' + floor(((occurred_at AT TIME ZONE 'UTC')::date - DATE '1970-01-01') / 10.0)::integer * 10
$fn$;

-- One packed timeline entry: name id, milliseconds since the start of the entry's period.
CREATE OR REPLACE FUNCTION saasmon_timeline_entry(name_id integer, occurred_at timestamptz) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT AS $fn$
  SELECT int4send(name_id) || int4send(
    floor(extract(epoch FROM occurred_at - (saasmon_timeline_period(occurred_at)::timestamp AT TIME ZONE 'UTC')) * 1000)::integer)
$fn$;

-- Monthly partitions of events (see migration 002): makes the months of [from_ts, to_ts) that are
-- missing, moving their rows out of the DEFAULT partition.
CREATE OR REPLACE FUNCTION saasmon_ensure_event_partitions(from_ts timestamptz, to_ts timestamptz)
RETURNS integer LANGUAGE plpgsql AS $fn$
DECLARE
  month_start date := date_trunc('month', from_ts AT TIME ZONE 'UTC')::date;
  month_end   date;
  part_name   text;
  made        integer := 0;
  schema_name text := current_schema();
BEGIN
  WHILE month_start <= (to_ts AT TIME ZONE 'UTC')::date LOOP
    month_end := (month_start + interval '1 month')::date;
    part_name := 'events_' || to_char(month_start, 'YYYYMM');
    IF to_regclass(format('%I.%I', schema_name, part_name)) IS NULL THEN
      EXECUTE format('CREATE TABLE %I.%I (LIKE %I.events INCLUDING DEFAULTS)', schema_name, part_name, schema_name);
      EXECUTE format(
        'WITH moved AS (DELETE FROM %I.events_default WHERE occurred_at >= %L::timestamptz AND occurred_at < %L::timestamptz RETURNING *)
         INSERT INTO %I.%I SELECT * FROM moved',
        schema_name, month_start::text || ' 00:00:00+00', month_end::text || ' 00:00:00+00', schema_name, part_name);
      EXECUTE format('ALTER TABLE %I.events ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)',
        schema_name, schema_name, part_name,
        month_start::text || ' 00:00:00+00', month_end::text || ' 00:00:00+00');
      made := made + 1;
    END IF;
    month_start := month_end;
  END LOOP;
  RETURN made;
END
$fn$;

-- The statement trigger on events: appends the batch's per (tenant, user, name, day) aggregate and
-- its timeline entries as deltas, plain inserts that lock nothing (see migrations 003 and 005).
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
  INSERT INTO saasmon_timeline_deltas (user_id, period_start, tenant_id, entries)
  SELECT e.user_id, saasmon_timeline_period(e.occurred_at), min(e.tenant_id),
         string_agg(saasmon_timeline_entry(n.id, e.occurred_at), ''::bytea ORDER BY e.occurred_at, e.id)
  FROM new_events e
  JOIN saasmon_event_names n ON n.name = e.name
  WHERE e.user_id IS NOT NULL
  GROUP BY 1, 2;
  RETURN NULL;
END
$fn$;

-- Folds the pending day deltas into the day tables and the activity bit strings.
CREATE OR REPLACE FUNCTION saasmon_compact_event_days() RETURNS bigint LANGUAGE plpgsql AS $fn$
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
    SELECT user_id, name, day, min(first_at) AS first_at
    FROM (
      SELECT user_id, '' AS name, day, first_at FROM moved WHERE user_id IS NOT NULL
      UNION ALL
      SELECT user_id, name, day, first_at FROM moved WHERE user_id IS NOT NULL
    ) m
    GROUP BY 1, 2, 3
  ),
  gaps AS (
    SELECT user_id, name, day, first_at, day - lag(day, 1, day - 1) OVER (PARTITION BY user_id, name ORDER BY day) - 1 AS gap
    FROM moved_days
  ),
  activity AS (
    INSERT INTO saasmon_user_activity AS a (user_id, name, first_day, days, first_at)
    SELECT user_id, name, min(day), string_agg(repeat('0', gap) || '1', '' ORDER BY day)::varbit, min(first_at)
    FROM gaps GROUP BY 1, 2
    ON CONFLICT (name, user_id) DO UPDATE
      SET first_day = least(a.first_day, excluded.first_day),
          days = saasmon_day_bits_or(a.first_day, a.days, excluded.first_day, excluded.days),
          first_at = least(a.first_at, excluded.first_at)
  )
  SELECT count(*) INTO folded FROM moved;
  RETURN folded;
END
$fn$;

CREATE OR REPLACE FUNCTION saasmon_compact_event_timelines() RETURNS void LANGUAGE sql AS $fn$
  WITH moved AS (
    DELETE FROM saasmon_timeline_deltas RETURNING *
  )
  INSERT INTO saasmon_user_timelines AS t (user_id, period_start, tenant_id, entries)
  SELECT user_id, period_start, min(tenant_id), string_agg(entries, ''::bytea) FROM moved GROUP BY 1, 2
  ON CONFLICT (period_start, user_id) DO UPDATE
    SET entries = t.entries || excluded.entries, tenant_id = least(t.tenant_id, excluded.tenant_id)
$fn$;

-- Stores a batch of validated events (the ingest API, the tracking integrations) in one statement:
-- one round trip, its own transaction when called alone. Takes the erase lock shared (see
-- admin/tombstones.ts), then, in snapshots taken after it was granted, refuses the events of
-- unknown tenants and of erased users, inserts the rest (the first of equal (id, occurred_at)
-- keys; a key already stored is a duplicate) and moves users' activation time back to an earlier
-- activation event. Returns the items created and the items refused ('unknown_tenant', 'erased');
-- every other item is a duplicate. With all_or_nothing, one refused item refuses the batch:
-- nothing is stored.
CREATE OR REPLACE FUNCTION saasmon_store_events(items jsonb, activation_event text, all_or_nothing boolean, erase_lock bigint)
RETURNS TABLE(item integer, outcome text) LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(erase_lock);
  RETURN QUERY
  WITH input AS (
    SELECT e.i, e.id, e.tenant_id, e.user_id, e.name, e.occurred_at, coalesce(e.properties, '{}'::jsonb) AS properties
    FROM jsonb_to_recordset(items) AS e(i integer, id text, tenant_id text, user_id text, name text,
         occurred_at timestamptz, properties jsonb)
  ), unknown_tenant AS (
    SELECT input.i FROM input WHERE NOT EXISTS (SELECT 1 FROM tenants t WHERE t.id = input.tenant_id)
  ), erased AS (
    SELECT input.i FROM input JOIN saasmon_erased_users t ON t.user_id = input.user_id
    WHERE input.i NOT IN (SELECT unknown_tenant.i FROM unknown_tenant)
  ), refused AS (
    SELECT unknown_tenant.i, 'unknown_tenant'::text AS outcome FROM unknown_tenant
    UNION ALL
    SELECT erased.i, 'erased'::text FROM erased
  ), kept AS (
    SELECT input.* FROM input
    WHERE input.i NOT IN (SELECT refused.i FROM refused) AND NOT (all_or_nothing AND EXISTS (SELECT 1 FROM refused))
  ), inserted AS (
    INSERT INTO events (id, tenant_id, user_id, name, occurred_at, properties)
    SELECT kept.id, kept.tenant_id, kept.user_id, kept.name, kept.occurred_at, kept.properties FROM kept ORDER BY kept.i
    ON CONFLICT (id, occurred_at) DO NOTHING
    RETURNING events.id, events.occurred_at
  ), activated AS (
    -- Runs although nothing reads it (a data-modifying WITH always does).
    UPDATE users u SET activated_at = a.first_at
    FROM (
      SELECT kept.user_id, min(kept.occurred_at) AS first_at FROM kept
      WHERE kept.name = activation_event AND kept.user_id IS NOT NULL
      GROUP BY kept.user_id
    ) a
    WHERE u.id = a.user_id AND (u.activated_at IS NULL OR u.activated_at > a.first_at)
  )
  SELECT min(kept.i), 'created'::text
  FROM kept JOIN inserted ON inserted.id = kept.id AND inserted.occurred_at = kept.occurred_at
  GROUP BY kept.id, kept.occurred_at
  UNION ALL
  SELECT refused.i, refused.outcome FROM refused;
END
$fn$;

-- What the exporter runs every few seconds: days, then timelines, one transaction.
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

-- Rebuilds: for events deleted or rewritten outside saasmon; SELECT saasmon_rebuild_event_rollups().
CREATE OR REPLACE FUNCTION saasmon_rebuild_event_days() RETURNS void LANGUAGE plpgsql AS $fn$
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

CREATE OR REPLACE FUNCTION saasmon_rebuild_user_activity() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  TRUNCATE saasmon_user_activity;
  INSERT INTO saasmon_user_activity (user_id, name, first_day, days, first_at)
  SELECT user_id, name, min(day), string_agg(repeat('0', gap) || '1', '' ORDER BY day)::varbit, min(first_at)
  FROM (
    SELECT user_id, name, day, first_at, day - lag(day, 1, day - 1) OVER (PARTITION BY user_id, name ORDER BY day) - 1 AS gap
    FROM saasmon_user_activity_source
  ) g
  GROUP BY 1, 2;
  ANALYZE saasmon_user_activity;
END
$fn$;

CREATE OR REPLACE FUNCTION saasmon_rebuild_event_timelines() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  LOCK TABLE events IN SHARE MODE; -- no insert may slip between the truncate and the read
  TRUNCATE saasmon_timeline_deltas, saasmon_user_timelines;
  INSERT INTO saasmon_event_names (name)
  SELECT DISTINCT e.name FROM events e
  WHERE NOT EXISTS (SELECT 1 FROM saasmon_event_names n WHERE n.name = e.name);
  INSERT INTO saasmon_user_timelines (user_id, period_start, tenant_id, entries)
  SELECT e.user_id, saasmon_timeline_period(e.occurred_at), min(e.tenant_id),
         string_agg(saasmon_timeline_entry(n.id, e.occurred_at), ''::bytea ORDER BY e.occurred_at, e.id)
  FROM events e
  JOIN saasmon_event_names n ON n.name = e.name
  WHERE e.user_id IS NOT NULL
  GROUP BY 1, 2;
  ANALYZE saasmon_user_timelines;
END
$fn$;

CREATE OR REPLACE FUNCTION saasmon_rebuild_event_rollups() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM saasmon_rebuild_event_days(); -- takes the lock on events that the timelines need too
  PERFORM saasmon_rebuild_user_activity();
  PERFORM saasmon_rebuild_event_timelines();
END
$fn$;

-- The trigger and the exporter's compaction run from sessions whose search_path may not name this
-- schema (an ETL job): pin them to the schema they were created in.
DO $do$
DECLARE
  f text;
BEGIN
  FOREACH f IN ARRAY ARRAY['saasmon_append_event_deltas',
    'saasmon_compact_event_days',
    'saasmon_compact_event_timelines',
    'saasmon_compact_event_rollups',
    'saasmon_rebuild_event_days',
    'saasmon_rebuild_user_activity',
    'saasmon_rebuild_event_timelines',
    'saasmon_rebuild_event_rollups'] LOOP
    EXECUTE format('ALTER FUNCTION %I() SET search_path = %I, public', f, current_schema());
  END LOOP;
END
$do$;

CREATE OR REPLACE TRIGGER saasmon_events_rollup AFTER INSERT ON events
  REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION saasmon_append_event_deltas();
`;
