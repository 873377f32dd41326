import { z } from 'zod';
import { checkRange, timeRange } from '../common';
import { defineContract } from '../contract';

export const activeUsers = defineContract({
  type: 'active_users',
  label: 'Active users',
  description: 'DAU, WAU, MAU per day',
  schema: checkRange(z.object({ type: z.literal('active_users'), ...timeRange }).strict()),
});
