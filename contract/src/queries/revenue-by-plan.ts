import { z } from 'zod';
import { checkRange, timeRange } from '../common';
import { defineContract } from '../contract';

export const revenueByPlan = defineContract({
  type: 'revenue_by_plan',
  label: 'Revenue by plan',
  description: 'MRR per plan at the end of each period',
  schema: checkRange(
    z
      .object({
        type: z.literal('revenue_by_plan'),
        ...timeRange,
        interval: z.enum(['month', 'week']).default('month'),
      })
      .strict(),
  ),
});
