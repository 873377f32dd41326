import { z } from 'zod';
import { checkRange, timeRange } from '../common';
import { defineContract } from '../contract';

export const aiCostByTenant = defineContract({
  type: 'ai_cost_by_tenant',
  label: 'AI cost by tenant',
  description: 'Top tenants by AI and training spend',
  schema: checkRange(
    z
      .object({
        type: z.literal('ai_cost_by_tenant'),
        ...timeRange,
        /** How many tenants, largest total first. */
        limit: z.number().int().min(1).max(1000).default(10),
      })
      .strict(),
  ),
});
