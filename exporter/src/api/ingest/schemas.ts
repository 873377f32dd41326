import { z } from 'zod';
import { freeText, integer, jsonObject, key, notBefore } from '../validators';
import { isoTimestamp } from './timestamps';

// Every field is built from ../validators: what passes is stored exactly as sent (see LIMITS there).

export const eventSchema = z
  .object({
    id: key,
    tenant_id: key,
    user_id: key.nullable().optional(),
    name: key,
    occurred_at: isoTimestamp,
    properties: jsonObject.optional(),
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
    size_bytes: integer(0, Number.MAX_SAFE_INTEGER).nullable().optional(),
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
  })
  .superRefine(notBefore('completed_at', 'started_at'))
  .superRefine(notBefore('verified_at', 'completed_at'))
  .superRefine(notBefore('verified_at', 'started_at'));

export const drTestSchema = z
  .object({
    id: key,
    kind: z.enum(['full_failover', 'backup_restore', 'partial_recovery']),
    tested_at: isoTimestamp,
    recovery_time_seconds: integer(0),
    data_loss_seconds: integer(0),
    result: z.enum(['pass', 'fail', 'partial']),
    notes: freeText().nullable().optional(),
  })
  .strict();

export const incidentSchema = z
  .object({
    id: key,
    title: freeText(500, 1),
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
  })
  .superRefine(notBefore('resolved_at', 'started_at'));

export const releaseSchema = z
  .object({
    id: key,
    version: key,
    kind: z.enum(['major', 'minor', 'patch', 'hotfix']),
    deployed_at: isoTimestamp,
    rolled_back_at: isoTimestamp.nullable().optional(),
  })
  .strict()
  .superRefine(notBefore('rolled_back_at', 'deployed_at'));

export const npsSchema = z
  .object({
    id: key,
    tenant_id: key,
    user_id: key.nullable().optional(),
    score: integer(0, 10),
    comment: freeText().nullable().optional(),
    responded_at: isoTimestamp,
  })
  .strict();
