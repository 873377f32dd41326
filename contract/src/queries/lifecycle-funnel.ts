import { z } from 'zod';
import { checkRange, timeRange, tenantFilters } from '../common';
import { defineContract } from '../contract';

export const lifecycleFunnel = defineContract({
  type: 'lifecycle_funnel',
  label: 'Lifecycle funnel',
  description: 'Signup, activated, first paid, retained at day N, per signup cohort',
  schema: checkRange(
    z
      .object({
        type: z.literal('lifecycle_funnel'),
        ...timeRange,
        interval: z.enum(['month', 'week']).default('month'),
        retainedDays: z.number().int().min(1).max(365).default(90),
        filters: tenantFilters.optional(),
      })
      .strict(),
  ),
});
