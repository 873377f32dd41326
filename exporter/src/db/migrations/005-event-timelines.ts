/**
 * Per user and 10-day period (periods aligned to 1970-01-01, UTC), every event as 8 packed bytes:
 * the event name's id and the milliseconds since the period's start (int4 each). A funnel reads
 * one short row per user-period with a binary COPY instead of a row per raw event: its cost is
 * bytes copied, not rows parsed. Ten days keep the bytes read past a funnel's edges small (a month
 * would read up to 30 days more) while a user has few rows.
 *
 * Entries are in time order within what one statement wrote; later appends (new batches, late
 * events) may be out of order, so readers sort a user's entries by time, keeping append order for
 * equal milliseconds.
 *
 * Like the day rollups, writes never contend: the events trigger appends each batch's entries to
 * saasmon_timeline_deltas, and saasmon_compact_event_rollups() appends those to the period rows
 * (functions in db/functions.ts).
 * Readers take period rows and pending deltas together.
 */
export const sql = `
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

`;

export const afterFunctions = `SELECT saasmon_rebuild_event_timelines();`;
