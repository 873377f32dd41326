import { z } from 'zod';
import { checkRange, timeRange, tenantFilters } from '../common';
import { defineContract } from '../contract';

export const planChanges = defineContract({
  type: 'plan_changes',
  label: 'Plan changes',
  description: 'Plan upgrades and downgrades (old to new) with the MRR delta',
  schema: checkRange(
    z
      .object({
        type: z.literal('plan_changes'),
        ...timeRange,
        filters: tenantFilters.optional(),
        limit: z.number().int().min(1).max(10_000).default(1000),
      })
      .strict(),
  ),
});
