import { z } from 'zod';
import { checkRange, timeRange } from '../common';
import { defineContract } from '../contract';

export const aiSavingsValidation = defineContract({
  type: 'ai_savings_validation',
  label: 'AI savings validation',
  description: 'Estimated vs validated savings by model or tier',
  schema: checkRange(
    z
      .object({
        type: z.literal('ai_savings_validation'),
        ...timeRange,
        by: z.enum(['model', 'tier']).default('model'),
      })
      .strict(),
  ),
});
