import { z } from 'zod';
import { checkRange, timeRange } from '../common';
import { defineContract } from '../contract';

export const churnByReason = defineContract({
  type: 'churn_by_reason',
  label: 'Churn by reason',
  description: 'Churned tenants and lost MRR per reason',
  schema: checkRange(z.object({ type: z.literal('churn_by_reason'), ...timeRange }).strict()),
});
