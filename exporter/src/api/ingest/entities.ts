import { z } from 'zod';
import { registerConstraintField } from '../errors';
import { backupSchema, drTestSchema, incidentSchema, npsSchema, releaseSchema } from './schemas';

/**
 * The small ingest endpoints: each row is upserted by its client id, so a retry is a no-op and a
 * later report (a backup finishing, an incident resolving) updates the row. Rows arrive as one
 * jsonb array parameter and are unpacked in SQL: one statement per request, whatever its size.
 */
export interface EntitySpec {
  route: string;
  table: string;
  schema: z.ZodTypeAny;
  timeFields: readonly string[];
  upsertSql: string;
  /** The field naming a tenant: items of unknown tenants are refused, as events are. */
  tenantField?: string;
  /** The field naming a user: ingest reads the erase tombstones (under the erase lock) for these. */
  userField?: string;
  /** The personal field the upsert SQL drops for an erased user; the answer counts them as `<field>sDropped`. */
  erasedUserDrops?: string;
  /** The row's identity within a request when it has no `id` field (duplicates are refused). */
  key?: (item: Record<string, unknown>) => string;
}

// Merged rows (a backup completed by a later call) are checked by these constraints (migration 008):
// a refusal names the field the client sent.
registerConstraintField('incidents_resolved_not_before_started', 'resolved_at');
registerConstraintField('backups_completed_not_before_started', 'completed_at');
registerConstraintField('backups_verified_not_before_completed', 'verified_at');
registerConstraintField('releases_rolled_back_not_before_deployed', 'rolled_back_at');

export const UPSERT_BACKUPS = `
INSERT INTO backups (id, kind, location, started_at, completed_at, status, size_bytes, verified_at)
SELECT id, kind, location, started_at, completed_at, status, size_bytes, verified_at
FROM jsonb_to_recordset($1::jsonb) AS r(id text, kind text, location text, started_at timestamptz,
     completed_at timestamptz, status text, size_bytes bigint, verified_at timestamptz)
ON CONFLICT (id) DO UPDATE SET
  kind = EXCLUDED.kind,
  location = EXCLUDED.location,
  started_at = EXCLUDED.started_at,
  completed_at = coalesce(EXCLUDED.completed_at, backups.completed_at),
  -- a late retry of the "started" report never moves a finished backup back to running
  status = CASE WHEN EXCLUDED.status = 'running' THEN backups.status ELSE EXCLUDED.status END,
  size_bytes = coalesce(EXCLUDED.size_bytes, backups.size_bytes),
  verified_at = coalesce(EXCLUDED.verified_at, backups.verified_at)
RETURNING (xmax = 0) AS inserted`;

export const UPSERT_DR_TESTS = `
INSERT INTO dr_tests (id, kind, tested_at, recovery_time_seconds, data_loss_seconds, result, notes)
SELECT id, kind, tested_at, recovery_time_seconds, data_loss_seconds, result, notes
FROM jsonb_to_recordset($1::jsonb) AS r(id text, kind text, tested_at timestamptz,
     recovery_time_seconds integer, data_loss_seconds integer, result text, notes text)
ON CONFLICT (id) DO UPDATE SET
  kind = EXCLUDED.kind, tested_at = EXCLUDED.tested_at,
  recovery_time_seconds = EXCLUDED.recovery_time_seconds, data_loss_seconds = EXCLUDED.data_loss_seconds,
  result = EXCLUDED.result, notes = EXCLUDED.notes
RETURNING (xmax = 0) AS inserted`;

export const UPSERT_INCIDENTS = `
INSERT INTO incidents (id, title, severity, status, services, started_at, resolved_at)
SELECT id, title, severity, status, coalesce(services, '{}'), started_at, resolved_at
FROM jsonb_to_recordset($1::jsonb) AS r(id text, title text, severity text, status text, services text[],
     started_at timestamptz, resolved_at timestamptz)
ON CONFLICT (id) DO UPDATE SET
  title = EXCLUDED.title, severity = EXCLUDED.severity, status = EXCLUDED.status,
  services = EXCLUDED.services, started_at = EXCLUDED.started_at, resolved_at = EXCLUDED.resolved_at
RETURNING (xmax = 0) AS inserted`;

export const UPSERT_RELEASES = `
INSERT INTO releases (id, version, kind, deployed_at, rolled_back_at)
SELECT id, version, kind, deployed_at, rolled_back_at
FROM jsonb_to_recordset($1::jsonb) AS r(id text, version text, kind text, deployed_at timestamptz,
     rolled_back_at timestamptz)
ON CONFLICT (id) DO UPDATE SET
  version = EXCLUDED.version, kind = EXCLUDED.kind, deployed_at = EXCLUDED.deployed_at,
  rolled_back_at = coalesce(EXCLUDED.rolled_back_at, releases.rolled_back_at)
RETURNING (xmax = 0) AS inserted`;

// The comment of an erased user is never stored again (a re-sent pre-erase answer keeps its score only).
export const UPSERT_NPS = `
INSERT INTO nps_responses (id, tenant_id, user_id, score, comment, responded_at)
SELECT id, tenant_id, user_id, score,
       CASE WHEN EXISTS (SELECT 1 FROM saasmon_erased_users x WHERE x.user_id = r.user_id) THEN NULL ELSE comment END,
       responded_at
FROM jsonb_to_recordset($1::jsonb) AS r(id text, tenant_id text, user_id text, score integer, comment text,
     responded_at timestamptz)
ON CONFLICT (id) DO UPDATE SET
  tenant_id = EXCLUDED.tenant_id, user_id = EXCLUDED.user_id, score = EXCLUDED.score,
  comment = EXCLUDED.comment, responded_at = EXCLUDED.responded_at
RETURNING (xmax = 0) AS inserted`;

export const ENTITIES: readonly EntitySpec[] = [
  {
    route: 'backups',
    table: 'backups',
    schema: backupSchema,
    timeFields: ['started_at', 'completed_at', 'verified_at'],
    upsertSql: UPSERT_BACKUPS,
  },
  { route: 'dr-tests', table: 'dr_tests', schema: drTestSchema, timeFields: ['tested_at'], upsertSql: UPSERT_DR_TESTS },
  {
    route: 'incidents',
    table: 'incidents',
    schema: incidentSchema,
    timeFields: ['started_at', 'resolved_at'],
    upsertSql: UPSERT_INCIDENTS,
  },
  {
    route: 'releases',
    table: 'releases',
    schema: releaseSchema,
    timeFields: ['deployed_at', 'rolled_back_at'],
    upsertSql: UPSERT_RELEASES,
  },
  {
    route: 'nps',
    table: 'nps_responses',
    schema: npsSchema,
    timeFields: ['responded_at'],
    upsertSql: UPSERT_NPS,
    tenantField: 'tenant_id',
    userField: 'user_id',
    erasedUserDrops: 'comment',
  },
];
