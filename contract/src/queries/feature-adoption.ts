import { z } from 'zod';
import { checkRange, eventName, timeRange } from '../common';
import { defineContract } from '../contract';
import { key } from '../validators';

export const featureAdoption = defineContract({
  type: 'feature_adoption',
  label: 'Feature adoption',
  description: 'Features x plans: share of active tenants',
  fields: { features: { values: 'event_names', description: 'Default: the most used features' }, plans: { values: 'plans' } },
  schema: checkRange(
    z
      .object({
        type: z.literal('feature_adoption'),
        ...timeRange,
        features: z.array(eventName).min(1).max(200).optional(),
        plans: z.array(key).max(100).optional(),
        top: z.number().int().min(1).max(200).default(20),
      })
      .strict(),
  ),
});
