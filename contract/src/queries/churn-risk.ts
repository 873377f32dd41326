import { z } from 'zod';
import { tenantFilters } from '../common';
import { defineContract } from '../contract';

export const churnRisk = defineContract({
  type: 'churn_risk',
  label: 'Churn risk',
  description: 'Probability per tenant of churning in 30 / 90 days, with its drivers',
  fields: { offset: { description: 'Rows skipped (paging)' } },
  schema: z
    .object({
      type: z.literal('churn_risk'),
      filters: tenantFilters.optional(),
      limit: z.number().int().min(1).max(1000).default(100),
      offset: z.number().int().min(0).max(1_000_000).default(0),
    })
    .strict(),
});
