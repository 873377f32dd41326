import { z } from 'zod';
import { checkRange, timeRange } from '../common';
import { defineContract } from '../contract';
import { key } from '../validators';

// The operations domain: backups, DR and incidents.

export const drStatus = defineContract({
  type: 'dr_status',
  label: 'DR status',
  description: 'Backup and DR checks per location: ok / warn / fail',
  schema: z.object({ type: z.literal('dr_status') }).strict(),
});

export const incidents = defineContract({
  type: 'incidents',
  label: 'Incidents',
  description: 'Incidents overlapping the time range, newest first, with their duration',
  fields: { service: { label: 'Services', description: 'Only incidents affecting one of these services (empty: all)' } },
  schema: checkRange(
    z
      .object({
        type: z.literal('incidents'),
        ...timeRange,
        service: z.array(key).max(100).optional(),
        limit: z.number().int().min(1).max(1000).default(100),
      })
      .strict(),
  ),
});
