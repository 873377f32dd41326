import { z } from 'zod';
import { defineContract } from '../contract';

export const drStatus = defineContract({
  type: 'dr_status',
  label: 'DR status',
  description: 'Backup and DR checks per location: ok / warn / fail',
  schema: z.object({ type: z.literal('dr_status') }).strict(),
});
