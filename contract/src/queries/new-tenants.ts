import { z } from 'zod';
import { tenantFilters } from '../common';
import { defineContract } from '../contract';

export const newTenants = defineContract({
  type: 'new_tenants',
  label: 'New tenants',
  description: 'Tenants created in the last 30 days, with onboarding progress',
  schema: z
    .object({
      type: z.literal('new_tenants'),
      days: z.number().int().min(1).max(365).default(30),
      filters: tenantFilters.optional(),
      limit: z.number().int().min(1).max(10_000).default(1000),
    })
    .strict(),
});
