/**
 * Per user, the days they were active as one bit string: bit i set = an event on first_day + i.
 * A retention matrix then reads one short row per cohort user instead of one row per user-day
 * (a 12-week matrix over 50k users reads 50k rows of ~25 bytes, not a million day rows).
 * name = '' holds activity of any event; name = an event name holds activity of that event, for
 * the matrix's optional return event.
 *
 * Kept by saasmon_compact_event_rollups() (db/functions.ts) from the same deltas it folds into the day tables, and
 * rebuilt with them by saasmon_rebuild_event_rollups(). Deltas not yet folded are read beside it
 * (see the retention query), so answers stay exact between compactions.
 */
export const sql = `
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

-- Builds bit strings from (user_id, name, day) rows: each day becomes the zeros since the previous
-- active day and a one, concatenated in day order. Set-based, so a rebuild of millions of user-days
-- is one pass.
CREATE OR REPLACE VIEW saasmon_user_activity_source AS
  SELECT user_id, '' AS name, day FROM saasmon_user_days_base
  UNION ALL
  SELECT user_id, name, day FROM saasmon_user_event_days_base;

`;

/** Existing deltas are folded first so the bit strings start from complete day tables. */
export const afterFunctions = `SELECT saasmon_compact_event_rollups();
SELECT saasmon_rebuild_user_activity();`;
