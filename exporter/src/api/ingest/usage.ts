import { z } from 'zod';
import { EntitySpec } from './entities';
import { key } from '../validators';
import { isoTimestamp } from './timestamps';

/**
 * Plan limits and tenant usage snapshots (the product pushes both), on the entity endpoints'
 * guarantees. A limit is replaced by its plan and resource; a usage snapshot by tenant, resource and
 * instant (a retry is a no-op).
 */

/** Resources are free-form keys ('storage_bytes', 'api_calls_month', 'seats', ...); amounts exact. */
const amount = z
  .union([z.number().finite().nonnegative(), z.string().regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal number')])
  .refine((v) => !/e/i.test(String(v)), 'must be written without an exponent');

export const planLimitSchema = z.object({ plan: key, resource: key, limit_value: amount }).strict();

export const tenantUsageSchema = z.object({ tenant_id: key, resource: key, measured_at: isoTimestamp, value: amount }).strict();

export const UPSERT_PLAN_LIMITS = `
INSERT INTO plan_limits (plan, resource, limit_value)
SELECT plan, resource, limit_value FROM jsonb_to_recordset($1::jsonb) AS r(plan text, resource text, limit_value numeric)
ON CONFLICT (plan, resource) DO UPDATE SET limit_value = EXCLUDED.limit_value
RETURNING (xmax = 0) AS inserted`;

export const UPSERT_TENANT_USAGE = `
INSERT INTO tenant_usage (tenant_id, resource, measured_at, value)
SELECT tenant_id, resource, measured_at, value
FROM jsonb_to_recordset($1::jsonb) AS r(tenant_id text, resource text, measured_at timestamptz, value numeric)
ON CONFLICT (tenant_id, resource, measured_at) DO UPDATE SET value = EXCLUDED.value
RETURNING (xmax = 0) AS inserted`;

export const USAGE_ENTITIES: readonly EntitySpec[] = [
  {
    route: 'plan-limits',
    table: 'plan_limits',
    schema: planLimitSchema,
    timeFields: [],
    upsertSql: UPSERT_PLAN_LIMITS,
    key: (i) => JSON.stringify([i.plan, i.resource]),
  },
  {
    route: 'tenant-usage',
    table: 'tenant_usage',
    schema: tenantUsageSchema,
    timeFields: ['measured_at'],
    upsertSql: UPSERT_TENANT_USAGE,
    tenantField: 'tenant_id',
    key: (i) => JSON.stringify([i.tenant_id, i.resource, Date.parse(String(i.measured_at))]),
  },
];
