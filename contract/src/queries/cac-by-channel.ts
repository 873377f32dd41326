import { z } from 'zod';
import { checkRange, timeRange } from '../common';
import { defineContract } from '../contract';

export const cacByChannel = defineContract({
  type: 'cac_by_channel',
  label: 'CAC by channel',
  description: 'Spend per new paying tenant, per month',
  schema: checkRange(z.object({ type: z.literal('cac_by_channel'), ...timeRange }).strict()),
});
