
CREATE INDEX IF NOT EXISTS saasmon_user_days_base_day_first_idx ON saasmon_user_days_base (day, first_at);
DROP INDEX IF EXISTS saasmon_user_days_base_day_idx;
