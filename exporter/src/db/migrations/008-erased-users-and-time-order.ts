/**
 * GDPR erase that lasts, and start/end pairs that cannot be reversed.
 *
 * saasmon_erased_users is the tombstone `saasmon erase-user` leaves: ingest reads it so that
 * re-sent data cannot restore what was erased (events of an erased user are refused, an NPS
 * answer of one is stored without its comment). It holds the id only, no personal data.
 *
 * The CHECKs back the ingest validation where a row is merged from several reports (a backup's
 * completed_at kept from an earlier call): an end before its start is refused, not stored. NOT
 * VALID: rows already stored are left as they are (VALIDATE CONSTRAINT once they are fixed).
 */
export const sql = `
CREATE TABLE IF NOT EXISTS saasmon_erased_users (
  user_id   text PRIMARY KEY,
  erased_at timestamptz NOT NULL
);

ALTER TABLE incidents ADD CONSTRAINT incidents_resolved_not_before_started
  CHECK (resolved_at IS NULL OR resolved_at >= started_at) NOT VALID;
ALTER TABLE backups ADD CONSTRAINT backups_completed_not_before_started
  CHECK (completed_at IS NULL OR completed_at >= started_at) NOT VALID;
ALTER TABLE backups ADD CONSTRAINT backups_verified_not_before_completed
  CHECK (verified_at IS NULL OR verified_at >= coalesce(completed_at, started_at)) NOT VALID;
ALTER TABLE releases ADD CONSTRAINT releases_rolled_back_not_before_deployed
  CHECK (rolled_back_at IS NULL OR rolled_back_at >= deployed_at) NOT VALID;
`;
