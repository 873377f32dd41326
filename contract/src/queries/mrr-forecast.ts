import { z } from 'zod';
import { defineContract } from '../contract';

export const mrrForecast = defineContract({
  type: 'mrr_forecast',
  label: 'MRR forecast',
  description: 'MRR 12 months ahead with prediction intervals and a backtest',
  fields: { months: { label: 'Months ahead' } },
  schema: z
    .object({
      type: z.literal('mrr_forecast'),
      months: z.number().int().min(1).max(24).default(12),
      model: z.enum(['trend', 'drift']).default('trend'),
    })
    .strict(),
});
