import { RiskLevel } from '@saasmon/contract';
import { Config } from '../config/schema';

// Tenant health (docs/metrics.md, "Tenant health"): four 0-100 components per tenant that is
// not churned at T, a weighted mean rounded to an integer, and a risk level from config bands.
// Pure: the SQL that reads the inputs is reads/tenant-health.ts. One read and these functions serve
// both the tenant_health collector and the query API, so the two can never disagree about a tenant.

export type HealthComponent = 'activity' | 'adoption' | 'payment' | 'support';
export const HEALTH_COMPONENTS: readonly HealthComponent[] = ['activity', 'adoption', 'payment', 'support'];

// Risk levels from best to worst (every level is always reported, even with no tenant in it); part
// of the query contract, since the tenant_health query filters by them.
export { RISK_LEVELS } from '@saasmon/contract';
export type { RiskLevel } from '@saasmon/contract';

export type HealthComponents = Record<HealthComponent, number>;
export type HealthWeights = Config['tenantHealth']['weights'];
export type RiskBands = Config['tenantHealth']['bands'];

/** What the SQL knows about one tenant at T, already parsed. */
export interface TenantHealthInputs {
  /** Live users (not deleted) created at or before T. */
  users: number;
  /** Of those, users with at least one event in (T-30d, T]. */
  activeUsers30d: number;
  /** Distinct event names of the tenant in (T-30d, T]. */
  eventNames30d: number;
  /** Distinct event names of all tenants in (T-30d, T]. */
  allEventNames30d: number;
  /** Status of the subscription row in force at T; undefined when none (a free tenant). */
  subscriptionStatus: string | undefined;
  /** Tickets open at T with priority urgent or high. */
  urgentTickets: number;
  /** Tickets open at T with any other priority. */
  otherTickets: number;
}

export interface TenantHealth {
  tenant: string;
  name: string;
  plan: string;
  /** Tenant attributes, for filtering a computed table. */
  segment: string | null;
  channel: string | null;
  components: HealthComponents;
  score: number;
  risk: RiskLevel;
  /** Newest event of a live user of the tenant at or before T; undefined when there is none. */
  lastActivity: Date | undefined;
}

export function healthComponents(i: TenantHealthInputs): HealthComponents {
  return {
    activity: i.users > 0 ? (100 * i.activeUsers30d) / i.users : 0,
    // No event anywhere in 30 days: nobody adopted anything, like activity with no users.
    adoption: i.allEventNames30d > 0 ? (100 * i.eventNames30d) / i.allEventNames30d : 0,
    // Only 'past_due' costs points; 'active', 'trialing' and no subscription (free) are all fine.
    payment: i.subscriptionStatus === 'past_due' ? 0 : 100,
    support: Math.max(0, 100 - 25 * i.urgentTickets - 10 * i.otherTickets),
  };
}

/**
 * Weighted mean of the components, rounded to the nearest integer with halves rounded up
 * (74.5 -> 75). The mean is first snapped to 1e-9 so that float noise (74.49999999999999 from
 * 0.4 * 100 / 3 ...) cannot move a tenant across a band.
 */
export function healthScore(c: HealthComponents, weights: HealthWeights): number {
  const total = HEALTH_COMPONENTS.reduce((sum, k) => sum + weights[k], 0);
  if (!(total > 0)) throw new Error('tenantHealth.weights: at least one weight must be above 0');
  const mean = HEALTH_COMPONENTS.reduce((sum, k) => sum + weights[k] * c[k], 0) / total;
  return Math.floor(Math.round(mean * 1e9) / 1e9 + 0.5);
}

export function riskLevel(score: number, bands: RiskBands): RiskLevel {
  if (score >= bands.healthy) return 'healthy';
  if (score >= bands.watch) return 'watch';
  if (score >= bands.atRisk) return 'at_risk';
  return 'critical';
}

/** Lowest score first, ties by tenant id: the order of the series cap and of the query API. */
export function byScoreThenTenant(a: TenantHealth, b: TenantHealth): number {
  if (a.score !== b.score) return a.score - b.score;
  return a.tenant < b.tenant ? -1 : a.tenant > b.tenant ? 1 : 0;
}

/** Tenant attribute filters ($2 plan, $3 segment, $4 acquisition channel); absent or empty does not filter. */
export interface TenantHealthFilters {
  plan?: readonly string[];
  segment?: readonly string[];
  channel?: readonly string[];
}

/** Whether a tenant passes the filters, as the SQL's $2..$4 would decide. */
export function matchesFilters(t: TenantHealth, f: TenantHealthFilters = {}): boolean {
  const passes = (list: readonly string[] | undefined, value: string | null) => !list?.length || (value !== null && list.includes(value));
  return passes(f.plan, t.plan) && passes(f.segment, t.segment) && passes(f.channel, t.channel);
}
