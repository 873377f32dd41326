import { z } from 'zod';
import { breakdown, checkRange, eventName, tenantFilters, timeRange } from '../common';
import { defineContract } from '../contract';

export const funnel = defineContract({
  type: 'funnel',
  label: 'Funnel',
  description: 'Ordered event steps within a conversion window',
  fields: {
    steps: { description: '2 to 10 event names, in order', values: 'event_names' },
    windowDays: { label: 'Window (days)', description: 'Time allowed from the first step to the last' },
  },
  schema: checkRange(
    z
      .object({
        type: z.literal('funnel'),
        ...timeRange,
        steps: z.array(eventName).min(2, 'a funnel needs 2 to 10 steps').max(10, 'a funnel needs 2 to 10 steps'),
        windowDays: z.number().positive().max(90).default(14),
        breakdown: breakdown.optional(),
        filters: tenantFilters.optional(),
      })
      .strict(),
  ),
});
