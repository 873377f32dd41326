import { z } from 'zod';
import { RISK_LEVELS, tenantFilters } from '../common';
import { defineContract } from '../contract';

export const tenantHealth = defineContract({
  type: 'tenant_health',
  label: 'Tenant health',
  description: 'One row per tenant, lowest score first',
  fields: { offset: { description: 'Rows skipped (paging)' } },
  schema: z
    .object({
      type: z.literal('tenant_health'),
      filters: tenantFilters.optional(),
      risk: z.array(z.enum(RISK_LEVELS)).min(1).max(RISK_LEVELS.length).optional(),
      limit: z.number().int().min(1).max(1000).default(100),
      offset: z.number().int().min(0).max(1_000_000).default(0),
    })
    .strict(),
});
