/**
 * Tracking messages that wait for their tenant or user (api/integrations/tracking/messages.ts):
 * the refusal's code, and what the message waits for, so that a later batch that brings the
 * tenant or user stores it. A second step of 014 because 014-integrations was already merged.
 */
export const sql = `
ALTER TABLE saasmon_tracking_rejections ADD COLUMN IF NOT EXISTS reason_code text;
UPDATE saasmon_tracking_rejections SET reason_code = split_part(reason, ':', 1) WHERE reason_code IS NULL;
ALTER TABLE saasmon_tracking_rejections ALTER COLUMN reason_code SET NOT NULL;
ALTER TABLE saasmon_tracking_rejections ADD COLUMN IF NOT EXISTS tenant_id text;
ALTER TABLE saasmon_tracking_rejections ADD COLUMN IF NOT EXISTS user_id text;
CREATE INDEX IF NOT EXISTS saasmon_tracking_rejections_tenant_idx ON saasmon_tracking_rejections (tenant_id)
  WHERE reason_code = 'unknown_tenant';
CREATE INDEX IF NOT EXISTS saasmon_tracking_rejections_user_idx ON saasmon_tracking_rejections (user_id)
  WHERE reason_code = 'no_tenant';
`;
