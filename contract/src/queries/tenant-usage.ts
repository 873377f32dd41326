import { z } from 'zod';
import { isoTimestamp, tenantFilters } from '../common';
import { defineContract } from '../contract';

export const tenantUsage = defineContract({
  type: 'tenant_usage',
  label: 'Usage vs plan limits',
  description: 'Per tenant and resource: usage against the plan limit',
  schema: z
    .object({
      type: z.literal('tenant_usage'),
      at: isoTimestamp.optional(),
      resources: z.array(z.string().min(1).max(200)).max(100).optional(),
      limit: z.number().int().min(1).max(10_000).default(100),
      filters: tenantFilters.optional(),
    })
    .strict(),
});
