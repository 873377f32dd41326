import { z } from 'zod';
import { checkRange, RISK_LEVELS, tenantFilters, timeRange } from '../common';
import { TIMESTAMP_PATTERN } from '../validators';
import { defineContract } from '../contract';

export const tenantHealth = defineContract({
  type: 'tenant_health',
  label: 'Tenant health',
  description: 'One row per tenant, lowest score first',
  fields: { offset: { description: 'Rows skipped (paging)' } },
  schema: z
    .object({
      type: z.literal('tenant_health'),
      filters: tenantFilters.optional(),
      risk: z.array(z.enum(RISK_LEVELS)).min(1).max(RISK_LEVELS.length).optional(),
      limit: z.number().int().min(1).max(1000).default(100),
      offset: z.number().int().min(0).max(1_000_000).default(0),
    })
    .strict(),
});

/** Points a history answers at most: one per day of a 400-day range, ~7.5 years of weeks. */
export const TENANT_HEALTH_HISTORY_MAX_POINTS = 400;

export const tenantHealthHistory = defineContract({
  type: 'tenant_health_history',
  label: 'Tenant health history',
  description: 'Health score and components of one tenant (or a few) at the end of each day or week',
  fields: { interval: { description: 'One point at the end of each UTC day or ISO week' } },
  schema: checkRange(
    z
      .object({
        type: z.literal('tenant_health_history'),
        ...timeRange,
        interval: z.enum(['day', 'week']).default('day'),
        filters: tenantFilters,
      })
      .strict(),
  )
    .refine((q) => (q.filters.tenant?.length ?? 0) >= 1 && (q.filters.tenant?.length ?? 0) <= 20, {
      message: 'one to 20 tenant ids',
      path: ['filters', 'tenant'],
    })
    .refine(
      (q) =>
        !TIMESTAMP_PATTERN.test(q.from) ||
        !TIMESTAMP_PATTERN.test(q.to) ||
        (Date.parse(q.to) - Date.parse(q.from)) / (q.interval === 'week' ? 7 * 86_400_000 : 86_400_000) <=
          TENANT_HEALTH_HISTORY_MAX_POINTS - 1,
      { message: `at most ${TENANT_HEALTH_HISTORY_MAX_POINTS} points: a shorter range, or interval week`, path: ['interval'] },
    ),
});
