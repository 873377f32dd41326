import { z } from 'zod';
import { key, timestamp, TIMESTAMP_PATTERN } from './validators';

// The building blocks of query schemas: time ranges, tenant filters and breakdowns.

/** ISO 8601 with an explicit offset or Z: a time without a zone is ambiguous, so it is refused. */
export const isoTimestamp = timestamp;

/** The panel's time range: from < to, at most ~5 years (a guard against unbounded scans). */
export const timeRange = {
  from: isoTimestamp,
  to: isoTimestamp,
};

export const MAX_RANGE_MS = 5 * 366 * 86_400_000;

export function checkRange<T extends { from: string; to: string }>(schema: z.ZodType<T, z.ZodTypeDef, unknown>) {
  // Only two valid times are compared: a bad one has its own message already.
  const comparable = (q: T) => TIMESTAMP_PATTERN.test(q.from) && TIMESTAMP_PATTERN.test(q.to);
  return schema
    .refine((q) => !comparable(q) || Date.parse(q.from) < Date.parse(q.to), { message: 'must be after from', path: ['to'] })
    .refine((q) => !comparable(q) || Date.parse(q.to) - Date.parse(q.from) <= MAX_RANGE_MS, {
      message: 'time range must be at most 5 years',
      path: ['to'],
    });
}

const attribute = key;

/** Tenant attributes a cohort or funnel can be filtered or broken down by. */
export const tenantFilters = z
  .object({
    plan: z.array(attribute).max(100).optional(),
    segment: z.array(attribute).max(100).optional(),
    channel: z.array(attribute).max(100).optional(),
  })
  .strict();
export type TenantFilters = z.infer<typeof tenantFilters>;

export const breakdown = z.enum(['plan', 'segment', 'channel']);
export type Breakdown = z.infer<typeof breakdown>;

export const eventName = key;

/** Calendar periods of the query API. */
export const INTERVALS = ['day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

/** Tenant health risk levels, best first. */
export const RISK_LEVELS = ['healthy', 'watch', 'at_risk', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** The KPIs of the operational alignment score (the `kpi` label, priority actions). */
export const ALIGNMENT_KPIS = [
  'd7_retention',
  'activation_rate',
  'd30_retention',
  'ltv_cac',
  'account_activation_rate',
  'mrr_growth_30d',
  'customer_churn_30d',
  'viral_coefficient',
] as const;
export type AlignmentKpi = (typeof ALIGNMENT_KPIS)[number];
