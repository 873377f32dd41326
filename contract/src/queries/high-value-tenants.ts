import { z } from 'zod';
import { tenantFilters } from '../common';
import { defineContract } from '../contract';

export const highValueTenants = defineContract({
  type: 'high_value_tenants',
  label: 'High-value tenants',
  description: 'Tenants ranked by MRR now',
  schema: z
    .object({
      type: z.literal('high_value_tenants'),
      filters: tenantFilters.optional(),
      limit: z.number().int().min(1).max(1000).default(20),
    })
    .strict(),
});
