/**
 * Each activity row (one per user and event name, '' = any event) keeps the instant of its first
 * event, not only its first day: feature impact measures the time from signup to a feature's first
 * use, and read it until now with one primary-key lookup per (cohort user, feature) into the per-day rollup
 * (~100k lookups at 5,000 tenants). Kept as min(first_at) by compaction and the rebuild
 * (db/functions.ts); filled here by a rebuild of the activity rows, which reads the day tables.
 */
export const sql = `
ALTER TABLE saasmon_user_activity ADD COLUMN IF NOT EXISTS first_at timestamptz;

CREATE OR REPLACE VIEW saasmon_user_activity_source AS
  SELECT user_id, '' AS name, day, first_at FROM saasmon_user_days_base
  UNION ALL
  SELECT user_id, name, day, first_at FROM saasmon_user_event_days_base;
`;

/**
 * Rebuilt from the day tables as they are: deltas still pending stay pending, and the next
 * compaction folds them in (first_at as the least of the row's and theirs).
 */
export const afterFunctions = `SELECT saasmon_rebuild_user_activity();
ALTER TABLE saasmon_user_activity ALTER COLUMN first_at SET NOT NULL;`;
