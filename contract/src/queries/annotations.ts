import { z } from 'zod';
import { checkRange, timeRange } from '../common';
import { defineContract } from '../contract';
import { key } from '../validators';

/** What can mark a dashboard's time axis: deployments, incidents, DR tests, experiments. */
export const ANNOTATION_KINDS = ['release', 'incident', 'dr_test', 'experiment'] as const;
export type AnnotationKind = (typeof ANNOTATION_KINDS)[number];

export const annotations = defineContract({
  type: 'annotations',
  label: 'Annotations',
  description: 'Releases, incidents, DR tests and experiments as points and regions on the time axis',
  // An annotation query (the dashboard's annotation settings), not a panel query.
  hidden: true,
  schema: checkRange(
    z
      .object({
        type: z.literal('annotations'),
        ...timeRange,
        kinds: z
          .array(z.enum(ANNOTATION_KINDS))
          .min(1)
          .max(ANNOTATION_KINDS.length)
          .refine((k) => new Set(k).size === k.length, 'must not repeat a kind')
          .default([...ANNOTATION_KINDS]),
        /** Incidents affecting at least one of these services; the other kinds have no service. */
        services: z.array(key).min(1).max(100).optional(),
        limit: z.number().int().min(1).max(10_000).default(1000),
      })
      .strict(),
  ),
});
