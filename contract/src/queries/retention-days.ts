import { z } from 'zod';
import { checkRange, timeRange, tenantFilters, eventName } from '../common';
import { defineContract } from '../contract';

/** The day offsets asked for when none are given. */
export const DEFAULT_DAY_OFFSETS = [30, 60, 90, 180, 365] as const;
/** Days in the window ending on day N. */
export const RETURN_WINDOW_DAYS = 7;

export const retentionDays = defineContract({
  type: 'retention_days',
  label: 'Retention at day offsets',
  description: 'Cohort retention at 30/60/90/180/365 days',
  fields: {
    offsets: { label: 'Days', description: 'Day offsets after signup, 7 to 730' },
    mode: { label: 'Counts' },
    returnEvent: { description: 'Only this event counts as a return (default: any)', values: 'event_names' },
  },
  schema: checkRange(
    z
      .object({
        type: z.literal('retention_days'),
        ...timeRange,
        interval: z.enum(['day', 'week', 'month']).default('month'),
        offsets: z
          .array(z.number().int().min(RETURN_WINDOW_DAYS).max(730))
          .min(1)
          .max(10)
          .refine((a) => new Set(a).size === a.length, { message: 'offsets must be distinct' })
          .default([...DEFAULT_DAY_OFFSETS]),
        mode: z.enum(['return_on', 'on_or_after']).default('return_on'),
        returnEvent: eventName.optional(),
        filters: tenantFilters.optional(),
        format: z.enum(['matrix', 'cells']).default('matrix'),
      })
      .strict(),
  ),
});
