import { z } from 'zod';
import { checkRange, timeRange, tenantFilters } from '../common';
import { defineContract } from '../contract';

export const churnedTenants = defineContract({
  type: 'churned_tenants',
  label: 'Churned tenants',
  description: 'Who churned, when, on which plan and why, with the MRR lost',
  schema: checkRange(
    z
      .object({
        type: z.literal('churned_tenants'),
        ...timeRange,
        filters: tenantFilters.optional(),
        limit: z.number().int().min(1).max(10_000).default(1000),
      })
      .strict(),
  ),
});
