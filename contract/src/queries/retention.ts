import { z } from 'zod';
import { checkRange, eventName, tenantFilters, timeRange } from '../common';
import { defineContract } from '../contract';

export const retention = defineContract({
  type: 'retention',
  label: 'Cohort retention',
  description: 'Users by signup period returning in later periods',
  fields: {
    periods: { description: 'How many periods after the signup period (1-52)' },
    mode: { label: 'Counts' },
    returnEvent: { description: 'Only this event counts as a return (default: any)', values: 'event_names' },
  },
  schema: checkRange(
    z
      .object({
        type: z.literal('retention'),
        ...timeRange,
        interval: z.enum(['day', 'week', 'month']).default('week'),
        periods: z.number().int().min(1).max(52).default(12),
        mode: z.enum(['return_on', 'on_or_after']).default('return_on'),
        returnEvent: eventName.optional(),
        filters: tenantFilters.optional(),
        format: z.enum(['matrix', 'cells']).default('matrix'),
      })
      .strict(),
  ),
});
