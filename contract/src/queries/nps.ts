import { z } from 'zod';
import { checkRange, tenantFilters, timeRange } from '../common';
import { defineContract } from '../contract';

export const nps = defineContract({
  type: 'nps',
  label: 'NPS',
  description: 'Net promoter score over time',
  schema: checkRange(
    z
      .object({
        type: z.literal('nps'),
        ...timeRange,
        interval: z.enum(['day', 'week', 'month']).default('month'),
        filters: tenantFilters.optional(),
        /** plan: the tenant's plan in force at the response instant; segment: the tenant's segment. */
        breakdown: z.enum(['plan', 'segment']).optional(),
      })
      .strict(),
  ),
});
