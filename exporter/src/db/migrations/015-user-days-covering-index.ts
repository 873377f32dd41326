/**
 * The day rollup's (day, first_at) index (migration 007) carries the rest of the row, so a range
 * of days is read from the index alone (an index-only scan once vacuum has marked the pages):
 * the user-days of a window (power users' 30 days) are contiguous in the index, while in the
 * table they are spread over every page (rows arrive user after user), so a window of 30 days
 * read the whole table. Lookups by (day, first_at) use the new index as they used the old one.
 *
 * The cost: an update of a day row (compaction raising last_at and events) is no longer HOT.
 */
export const sql = `
CREATE INDEX IF NOT EXISTS saasmon_user_days_base_day_covering_idx ON saasmon_user_days_base (day, first_at)
  INCLUDE (last_at, user_id, tenant_id, events);
DROP INDEX IF EXISTS saasmon_user_days_base_day_first_idx;
`;
