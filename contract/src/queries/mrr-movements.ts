import { z } from 'zod';
import { checkRange, timeRange } from '../common';
import { defineContract } from '../contract';

export const mrrMovements = defineContract({
  type: 'mrr_movements',
  label: 'MRR movements',
  description: 'New, expansion, contraction, churn, reactivation',
  schema: checkRange(
    z
      .object({
        type: z.literal('mrr_movements'),
        ...timeRange,
        interval: z.enum(['month', 'week']).default('month'),
      })
      .strict(),
  ),
});
