/**
 * The day rollups indexed by (day, first_at) instead of by day alone: a retention matrix whose
 * horizon falls inside a day looks up only the users whose activity that day began at or after
 * the horizon (few, often none) instead of reading every user active that day. Range scans on
 * day, which the old index served, use the new one the same way.
 */
export const sql = `
CREATE INDEX IF NOT EXISTS saasmon_user_days_base_day_first_idx ON saasmon_user_days_base (day, first_at);
DROP INDEX IF EXISTS saasmon_user_days_base_day_idx;
`;
