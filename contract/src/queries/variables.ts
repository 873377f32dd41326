import { z } from 'zod';
import { defineContract } from '../contract';

/** The lists a template variable (or an editor picker) can fetch. */
export const VARIABLE_KINDS = ['plans', 'segments', 'channels', 'event_names', 'experiments', 'tenants', 'locations'] as const;
export type VariableKind = (typeof VARIABLE_KINDS)[number];

export const variables = defineContract({
  type: 'variables',
  label: 'Variable values',
  description: 'Plans, segments, channels, event names, experiments, tenants, locations',
  hidden: true,
  schema: z.object({ type: z.literal('variables'), of: z.enum(VARIABLE_KINDS) }).strict(),
});
