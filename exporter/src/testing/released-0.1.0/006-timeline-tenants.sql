
ALTER TABLE saasmon_user_timelines ADD COLUMN IF NOT EXISTS tenant_id text;
ALTER TABLE saasmon_timeline_deltas ADD COLUMN IF NOT EXISTS tenant_id text;

CREATE INDEX IF NOT EXISTS users_deleted_idx ON users (id) WHERE deleted_at IS NOT NULL;

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

CREATE OR REPLACE FUNCTION saasmon_compact_event_timelines() RETURNS void LANGUAGE sql AS $fn$
  WITH moved AS (
    DELETE FROM saasmon_timeline_deltas RETURNING *
  )
  INSERT INTO saasmon_user_timelines AS t (user_id, period_start, tenant_id, entries)
  SELECT user_id, period_start, min(tenant_id), string_agg(entries, ''::bytea) FROM moved GROUP BY 1, 2
  ON CONFLICT (period_start, user_id) DO UPDATE
    SET entries = t.entries || excluded.entries, tenant_id = least(t.tenant_id, excluded.tenant_id)
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

-- Existing rows take their tenant from the day rollups (base rows and pending deltas), which were
-- written from the same events: an update in place, without re-reading events or locking them.
-- (The users table is only a fallback for a row the day rollups would not explain.)
CREATE OR REPLACE FUNCTION pg_temp.saasmon_timeline_tenant(user_id text, period_start date) RETURNS text
LANGUAGE sql STABLE AS $fn$
  SELECT coalesce(
    (SELECT min(d.tenant_id) FROM saasmon_user_days d
     WHERE d.user_id = $1 AND d.day >= $2 AND d.day < $2 + 10),
    (SELECT u.tenant_id FROM users u WHERE u.id = $1),
    '')
$fn$;
UPDATE saasmon_user_timelines t SET tenant_id = pg_temp.saasmon_timeline_tenant(t.user_id, t.period_start)
WHERE t.tenant_id IS NULL;
UPDATE saasmon_timeline_deltas t SET tenant_id = pg_temp.saasmon_timeline_tenant(t.user_id, t.period_start)
WHERE t.tenant_id IS NULL;
ALTER TABLE saasmon_user_timelines ALTER COLUMN tenant_id SET NOT NULL;
ALTER TABLE saasmon_timeline_deltas ALTER COLUMN tenant_id SET NOT NULL;

DO $do$
BEGIN
  EXECUTE format('ALTER FUNCTION saasmon_append_event_deltas() SET search_path = %I, public', current_schema());
  EXECUTE format('ALTER FUNCTION saasmon_compact_event_timelines() SET search_path = %I, public', current_schema());
  EXECUTE format('ALTER FUNCTION saasmon_rebuild_event_timelines() SET search_path = %I, public', current_schema());
END
$do$;
