/**
 * Each timeline row (migration 005) carries the tenant of its events, so a funnel groups and
 * filters users by tenant through the small tenants table instead of joining every user-period
 * row with users (at 200k users that join was half of the funnel's time in Postgres). Deleted
 * users are then excluded by an anti-join on the few deleted ids, served by a partial index.
 *
 * A user's tenant in a period is the least tenant id on their events of that period: the contract
 * gives a user one tenant, and the day rollups choose the same way when a batch disagrees.
 */
export const sql = `
ALTER TABLE saasmon_user_timelines ADD COLUMN IF NOT EXISTS tenant_id text;
ALTER TABLE saasmon_timeline_deltas ADD COLUMN IF NOT EXISTS tenant_id text;

CREATE INDEX IF NOT EXISTS users_deleted_idx ON users (id) WHERE deleted_at IS NOT NULL;

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

`;
