import { z } from 'zod';
import { tenantFilters, isoTimestamp } from '../common';
import { defineContract } from '../contract';

export const revenueBreakdown = defineContract({
  type: 'revenue_breakdown',
  label: 'Revenue breakdown',
  description: 'Churn, ARPA and LTV by plan or segment',
  schema: z
    .object({
      type: z.literal('revenue_breakdown'),
      by: z.enum(['plan', 'segment']),
      /** The evaluation instant T; default (and at most) now. */
      at: isoTimestamp.optional(),
      filters: tenantFilters.optional(),
    })
    .strict(),
});
