import { z } from 'zod';
import { tenantFilters } from '../common';
import { defineContract } from '../contract';

export const powerUsers = defineContract({
  type: 'power_users',
  label: 'Power users',
  description: 'The top 10% of users by activity, with their tenants',
  fields: { share: { label: 'Share (%)', description: 'The most active share of users, in percent' } },
  schema: z
    .object({
      type: z.literal('power_users'),
      share: z.number().gt(0).max(100).default(10),
      filters: tenantFilters.optional(),
    })
    .strict(),
});
