import { z } from 'zod';
import { ALIGNMENT_KPIS } from '../common';
import { defineContract } from '../contract';

export const priorityActions = defineContract({
  type: 'priority_actions',
  label: 'Priority actions',
  description: 'Alignment KPIs costing the most points, with actions',
  schema: z
    .object({
      type: z.literal('priority_actions'),
      /** How many; default config priorityActions.topN. */
      limit: z.number().int().min(1).max(ALIGNMENT_KPIS.length).optional(),
    })
    .strict(),
});
