import { z } from 'zod';
import { defineContract } from '../contract';

export const executiveSummary = defineContract({
  type: 'executive_summary',
  label: 'Executive summary',
  description: 'The morning check: key figures with status, firing alerts',
  schema: z.object({ type: z.literal('executive_summary') }).strict(),
});
