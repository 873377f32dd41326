/**
 * Daily rollups of events, kept by a statement-level trigger on every insert (ingest API, COPY,
 * ETL), so that collectors and queries cost what tenants x days cost, not what raw events cost.
 *
 * Each row keeps the first and last instant of its day, not only a count: a rolling window
 * (T - w, T] that starts or ends inside a day is then answered exactly (an edge day counts when
 * last_at > T - w, resp. first_at <= T), with no scan of raw events.
 *
 * The trigger sees only rows that were really inserted (ON CONFLICT DO NOTHING skips retries),
 * so idempotent re-sends never double-count. Rows are upserted in key order so that concurrent
 * batches touching the same users lock rows in the same order and cannot deadlock.
 *
 * Events deleted or rewritten outside saasmon (or an `events` view) leave the rollups behind:
 * `SELECT saasmon_rebuild_event_rollups()` (or `saasmon rollups --rebuild`) recomputes them.
 */
export const sql = `
CREATE TABLE IF NOT EXISTS saasmon_user_days (
  user_id   text NOT NULL,
  day       date NOT NULL,
  tenant_id text NOT NULL,
  first_at  timestamptz NOT NULL,
  last_at   timestamptz NOT NULL,
  events    bigint NOT NULL,
  PRIMARY KEY (user_id, day)
);
CREATE INDEX IF NOT EXISTS saasmon_user_days_day_idx ON saasmon_user_days (day);
CREATE INDEX IF NOT EXISTS saasmon_user_days_tenant_idx ON saasmon_user_days (tenant_id, day);

CREATE TABLE IF NOT EXISTS saasmon_user_event_days (
  user_id   text NOT NULL,
  name      text NOT NULL,
  day       date NOT NULL,
  tenant_id text NOT NULL,
  first_at  timestamptz NOT NULL,
  last_at   timestamptz NOT NULL,
  events    bigint NOT NULL,
  PRIMARY KEY (user_id, name, day)
);
CREATE INDEX IF NOT EXISTS saasmon_user_event_days_name_idx ON saasmon_user_event_days (name, day);

CREATE TABLE IF NOT EXISTS saasmon_tenant_event_days (
  tenant_id text NOT NULL,
  name      text NOT NULL,
  day       date NOT NULL,
  first_at  timestamptz NOT NULL,
  last_at   timestamptz NOT NULL,
  events    bigint NOT NULL,
  PRIMARY KEY (tenant_id, name, day)
);
CREATE INDEX IF NOT EXISTS saasmon_tenant_event_days_day_idx ON saasmon_tenant_event_days (day);

CREATE OR REPLACE FUNCTION saasmon_add_to_event_rollups() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO saasmon_user_days AS r (user_id, day, tenant_id, first_at, last_at, events)
  SELECT user_id, (occurred_at AT TIME ZONE 'UTC')::date, min(tenant_id), min(occurred_at), max(occurred_at), count(*)
  FROM new_events WHERE user_id IS NOT NULL
  GROUP BY 1, 2 ORDER BY 1, 2
  ON CONFLICT (user_id, day) DO UPDATE
    SET first_at = least(r.first_at, excluded.first_at),
        last_at = greatest(r.last_at, excluded.last_at),
        events = r.events + excluded.events;

  INSERT INTO saasmon_user_event_days AS r (user_id, name, day, tenant_id, first_at, last_at, events)
  SELECT user_id, name, (occurred_at AT TIME ZONE 'UTC')::date, min(tenant_id), min(occurred_at), max(occurred_at), count(*)
  FROM new_events WHERE user_id IS NOT NULL
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (user_id, name, day) DO UPDATE
    SET first_at = least(r.first_at, excluded.first_at),
        last_at = greatest(r.last_at, excluded.last_at),
        events = r.events + excluded.events;

  INSERT INTO saasmon_tenant_event_days AS r (tenant_id, name, day, first_at, last_at, events)
  SELECT tenant_id, name, (occurred_at AT TIME ZONE 'UTC')::date, min(occurred_at), max(occurred_at), count(*)
  FROM new_events
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (tenant_id, name, day) DO UPDATE
    SET first_at = least(r.first_at, excluded.first_at),
        last_at = greatest(r.last_at, excluded.last_at),
        events = r.events + excluded.events;
  RETURN NULL;
END
$fn$;

CREATE OR REPLACE FUNCTION saasmon_rebuild_event_rollups() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  -- Under a lock that waits for in-flight inserts and holds new ones until the rebuild commits.
  LOCK TABLE events IN SHARE MODE;
  TRUNCATE saasmon_user_days, saasmon_user_event_days, saasmon_tenant_event_days;
  INSERT INTO saasmon_user_days (user_id, day, tenant_id, first_at, last_at, events)
  SELECT user_id, (occurred_at AT TIME ZONE 'UTC')::date, min(tenant_id), min(occurred_at), max(occurred_at), count(*)
  FROM events WHERE user_id IS NOT NULL GROUP BY 1, 2;
  INSERT INTO saasmon_user_event_days (user_id, name, day, tenant_id, first_at, last_at, events)
  SELECT user_id, name, (occurred_at AT TIME ZONE 'UTC')::date, min(tenant_id), min(occurred_at), max(occurred_at), count(*)
  FROM events WHERE user_id IS NOT NULL GROUP BY 1, 2, 3;
  INSERT INTO saasmon_tenant_event_days (tenant_id, name, day, first_at, last_at, events)
  SELECT tenant_id, name, (occurred_at AT TIME ZONE 'UTC')::date, min(occurred_at), max(occurred_at), count(*)
  FROM events GROUP BY 1, 2, 3;
END
$fn$;

-- The trigger fires from sessions whose search_path may not name this schema (an ETL job):
-- pin the functions to the schema they were created in.
DO $do$
BEGIN
  EXECUTE format('ALTER FUNCTION saasmon_add_to_event_rollups() SET search_path = %I, public', current_schema());
  EXECUTE format('ALTER FUNCTION saasmon_rebuild_event_rollups() SET search_path = %I, public', current_schema());
END
$do$;

DROP TRIGGER IF EXISTS saasmon_events_rollup ON events;
CREATE TRIGGER saasmon_events_rollup AFTER INSERT ON events
  REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION saasmon_add_to_event_rollups();

SELECT saasmon_rebuild_event_rollups();
`;
