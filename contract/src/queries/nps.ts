import { z } from 'zod';
import { checkRange, timeRange } from '../common';
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
      })
      .strict(),
  ),
});
