import { z } from 'zod';
import { isoTimestamp } from './timestamps';

/** Client ids, names and keys: non-empty, bounded, no control characters. */
export const key = z
  .string()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters');

export const eventSchema = z
  .object({
    id: key,
    tenant_id: key,
    user_id: key.nullable().optional(),
    name: key,
    occurred_at: isoTimestamp,
    properties: z.record(z.unknown()).optional(),
  })
  .strict();
export type EventInput = z.infer<typeof eventSchema>;

export const backupSchema = z
  .object({
    id: key,
    kind: z.enum(['full', 'incremental', 'wal_archive', 'escrow_export']),
    location: key,
    started_at: isoTimestamp,
    completed_at: isoTimestamp.nullable().optional(),
    status: z.enum(['running', 'succeeded', 'failed']),
    size_bytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable().optional(),
    verified_at: isoTimestamp.nullable().optional(),
  })
  .strict()
  .refine((b) => b.status === 'running' || b.completed_at, {
    message: 'completed_at is required when status is succeeded or failed',
    path: ['completed_at'],
  })
  .refine((b) => !b.verified_at || b.status === 'succeeded', {
    message: 'verified_at is only allowed on a succeeded backup',
    path: ['verified_at'],
  });

export const drTestSchema = z
  .object({
    id: key,
    kind: z.enum(['full_failover', 'backup_restore', 'partial_recovery']),
    tested_at: isoTimestamp,
    recovery_time_seconds: z.number().int().min(0).max(2_147_483_647),
    data_loss_seconds: z.number().int().min(0).max(2_147_483_647),
    result: z.enum(['pass', 'fail', 'partial']),
    notes: z.string().max(10_000).nullable().optional(),
  })
  .strict();

export const incidentSchema = z
  .object({
    id: key,
    title: z.string().min(1).max(500),
    severity: z.enum(['critical', 'major', 'minor']),
    status: z.enum(['investigating', 'identified', 'monitoring', 'resolved']),
    services: z.array(key).max(100).optional(),
    started_at: isoTimestamp,
    resolved_at: isoTimestamp.nullable().optional(),
  })
  .strict()
  .refine((i) => (i.status === 'resolved') === !!i.resolved_at, {
    message: 'resolved_at must be set exactly when status is resolved',
    path: ['resolved_at'],
  });

export const releaseSchema = z
  .object({
    id: key,
    version: key,
    kind: z.enum(['major', 'minor', 'patch', 'hotfix']),
    deployed_at: isoTimestamp,
    rolled_back_at: isoTimestamp.nullable().optional(),
  })
  .strict();

export const npsSchema = z
  .object({
    id: key,
    tenant_id: key,
    user_id: key.nullable().optional(),
    score: z.number().int().min(0).max(10),
    comment: z.string().max(10_000).nullable().optional(),
    responded_at: isoTimestamp,
  })
  .strict();
