import { z } from 'zod';
import { checkRange, timeRange, tenantFilters, eventName } from '../common';
import { defineContract } from '../contract';

export const featureImpact = defineContract({
  type: 'feature_impact',
  label: 'Feature impact',
  description: 'Time to first use and retention of early users of each feature',
  fields: {
    features: { values: 'event_names' },
    retentionDay: { label: 'Retained on day' },
    firstDays: { label: 'Early use (days)', description: 'An early user used the feature within this many days of signup' },
  },
  schema: checkRange(
    z
      .object({
        type: z.literal('feature_impact'),
        ...timeRange,
        features: z.array(eventName).min(1).max(20),
        retentionDay: z.number().int().min(7).max(365).default(30),
        firstDays: z.number().int().min(1).max(30).default(7),
        filters: tenantFilters.optional(),
      })
      .strict(),
  ),
});
