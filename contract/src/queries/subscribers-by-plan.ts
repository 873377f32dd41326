import { z } from 'zod';
import { defineContract } from '../contract';

export const subscribersByPlan = defineContract({
  type: 'subscribers_by_plan',
  label: 'Subscribers by plan',
  description: 'Paying tenants and MRR per plan now',
  schema: z.object({ type: z.literal('subscribers_by_plan') }).strict(),
});
