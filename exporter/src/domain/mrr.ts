import { Micros, moneyToNumber } from './money';

/**
 * MRR movements and the revenue ratios built on them (docs/metrics.md, "Revenue"), as plain
 * functions over per-tenant MRR in exact micro-units. Used by the revenue collector (window
 * [T-30d, T)) and by the query API (one window per chart period).
 */

const DAY_MS = 86_400_000;

export const MOVEMENT_TYPES = ['new', 'expansion', 'contraction', 'churn', 'reactivation'] as const;
export type MovementType = (typeof MOVEMENT_TYPES)[number];

/** One tenant's MRR at the start A and the end B of a period [A, B). */
export interface TenantMrrChange {
  tenantId: string;
  /** MRR_A(x). */
  m0: Micros;
  /** MRR_B(x). */
  m1: Micros;
  /** x was paying at some instant before A (decides new vs reactivation). */
  everPaidBefore: boolean;
}

export interface TenantMovement {
  tenantId: string;
  type: MovementType;
  /** Always positive: the size of the movement in the direction its type says. */
  amount: Micros;
}

export interface MrrMovements {
  startingMrr: Micros;
  endingMrr: Micros;
  totals: Record<MovementType, Micros>;
  /** Tenants per movement type. */
  tenants: Record<MovementType, number>;
  payingAtStart: number;
  payingAtEnd: number;
  perTenant: TenantMovement[];
}

/** The movement of one tenant, or undefined when its MRR did not change (or stayed 0). */
export function classifyMovement(m0: Micros, m1: Micros, everPaidBefore: boolean): Omit<TenantMovement, 'tenantId'> | undefined {
  if (m0 === 0n && m1 > 0n) return { type: everPaidBefore ? 'reactivation' : 'new', amount: m1 };
  if (m0 > 0n && m1 === 0n) return { type: 'churn', amount: m0 };
  if (m0 > 0n && m1 > m0) return { type: 'expansion', amount: m1 - m0 };
  if (m1 > 0n && m1 < m0) return { type: 'contraction', amount: m0 - m1 };
  return undefined;
}

const zeroByType = <V>(zero: V): Record<MovementType, V> =>
  Object.fromEntries(MOVEMENT_TYPES.map((t) => [t, zero])) as Record<MovementType, V>;

/**
 * Classifies every tenant and sums per type. By construction
 * endingMrr = startingMrr + new + reactivation + expansion - contraction - churn, exactly.
 */
export function classifyMovements(changes: Iterable<TenantMrrChange>): MrrMovements {
  const result: MrrMovements = {
    startingMrr: 0n,
    endingMrr: 0n,
    totals: zeroByType<Micros>(0n),
    tenants: zeroByType(0),
    payingAtStart: 0,
    payingAtEnd: 0,
    perTenant: [],
  };
  for (const c of changes) {
    if (c.m0 < 0n || c.m1 < 0n) throw new Error(`negative MRR for tenant ${c.tenantId}`);
    result.startingMrr += c.m0;
    result.endingMrr += c.m1;
    if (c.m0 > 0n) result.payingAtStart++;
    if (c.m1 > 0n) result.payingAtEnd++;
    const m = classifyMovement(c.m0, c.m1, c.everPaidBefore);
    if (!m) continue;
    result.totals[m.type] += m.amount;
    result.tenants[m.type]++;
    result.perTenant.push({ tenantId: c.tenantId, ...m });
  }
  return result;
}

/** num / den as a number; undefined when den is 0 (an undefined ratio is absent, never 0 or NaN). */
export function moneyRatio(num: Micros, den: Micros): number | undefined {
  if (den === 0n) return undefined;
  // Both in micros: one division, one rounding (the micro scale cancels out).
  return Number(num) / Number(den);
}

/** MRR_B / MRR_A - 1. */
export function mrrGrowth(m: MrrMovements): number | undefined {
  const r = moneyRatio(m.endingMrr, m.startingMrr);
  return r === undefined ? undefined : r - 1;
}

/** Tenants paying at A and not at B, over tenants paying at A. */
export function customerChurnRate(m: MrrMovements): number | undefined {
  return m.payingAtStart === 0 ? undefined : m.tenants.churn / m.payingAtStart;
}

/** (churn + contraction) / MRR_A. */
export function grossMrrChurnRate(m: MrrMovements): number | undefined {
  return moneyRatio(m.totals.churn + m.totals.contraction, m.startingMrr);
}

/** (churn + contraction - expansion - reactivation) / MRR_A; negative when expansion wins. */
export function netMrrChurnRate(m: MrrMovements): number | undefined {
  const t = m.totals;
  return moneyRatio(t.churn + t.contraction - t.expansion - t.reactivation, m.startingMrr);
}

/** (new + reactivation + expansion) / (contraction + churn); +Inf when only the numerator is > 0. */
export function quickRatio(m: MrrMovements): number | undefined {
  const t = m.totals;
  const gained = t.new + t.reactivation + t.expansion;
  const lost = t.contraction + t.churn;
  if (lost === 0n) return gained === 0n ? undefined : Number.POSITIVE_INFINITY;
  return moneyRatio(gained, lost);
}

export interface RevenueRetention {
  nrr: number | undefined;
  grr: number | undefined;
}

/**
 * NRR and GRR over the tenants paying at the start (m0 > 0): sum m1 / sum m0 and
 * sum min(m1, m0) / sum m0. Tenants not paying at the start are ignored (their new revenue is
 * not "retained").
 */
export function revenueRetention(changes: Iterable<Pick<TenantMrrChange, 'm0' | 'm1'>>): RevenueRetention {
  let start = 0n;
  let end = 0n;
  let kept = 0n;
  for (const { m0, m1 } of changes) {
    if (m0 <= 0n) continue;
    start += m0;
    end += m1;
    kept += m1 < m0 ? m1 : m0;
  }
  return { nrr: moneyRatio(end, start), grr: moneyRatio(kept, start) };
}

/** Average revenue per paying account: MRR / paying customers. */
export function arpa(mrr: Micros, payingCustomers: number): number | undefined {
  return payingCustomers === 0 ? undefined : moneyToNumber(mrr) / payingCustomers;
}

/** ARPA * gross margin / customer churn rate; undefined when churn is 0 or anything is undefined. */
export function lifetimeValue(arpaValue: number | undefined, grossMargin: number, churnRate: number | undefined): number | undefined {
  if (arpaValue === undefined || churnRate === undefined || churnRate === 0) return undefined;
  return (arpaValue * grossMargin) / churnRate;
}

/** Spend / new paying customers; undefined when there are none. */
export function acquisitionCost(spend: Micros, newCustomers: number): number | undefined {
  return newCustomers === 0 ? undefined : moneyToNumber(spend) / newCustomers;
}

/** LTV / CAC; undefined when either is undefined or CAC is 0 (no spend: the ratio is not defined). */
export function ltvToCac(ltv: number | undefined, cac: number | undefined): number | undefined {
  if (ltv === undefined || cac === undefined || cac === 0) return undefined;
  return ltv / cac;
}

/** Per-tenant MRR at a set of instants, as read from the database (see reads/revenue.ts). */
export interface TenantMrrAtInstants {
  tenantId: string;
  /** The tenant's first paying instant (Unix ms). */
  firstPaidAtMs: number;
  mrr: readonly Micros[];
}

/** The changes of the period [instant i0, instant i1), where instant i0 is `startMs`. */
export function changesBetween(tenants: readonly TenantMrrAtInstants[], i0: number, i1: number, startMs: number): TenantMrrChange[] {
  return tenants.map((t) => ({
    tenantId: t.tenantId,
    m0: t.mrr[i0] ?? 0n,
    m1: t.mrr[i1] ?? 0n,
    everPaidBefore: t.firstPaidAtMs < startMs,
  }));
}

/** The last calendar month (UTC) that ended at or before `now`: [start, end). */
export function lastCompleteMonth(now: Date): { start: Date; end: Date } {
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return { start, end };
}

export type RevenueInterval = 'month' | 'week';

export interface RevenuePeriod {
  startMs: number;
  endMs: number;
}

/** The start of the period after the one starting at `startMs` (UTC calendar arithmetic). */
export function nextPeriodStart(startMs: number, interval: RevenueInterval): number {
  const d = new Date(startMs);
  return interval === 'month' ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) : startMs + 7 * DAY_MS;
}

/**
 * Calendar periods (UTC; weeks start on Monday, as ISO) from the one holding `from` up to the
 * one holding min(to, now) exclusive; the last period ends at now when it has not ended yet, so
 * a chart's current month shows the movements so far.
 */
export function revenuePeriods(fromMs: number, toMs: number, interval: RevenueInterval, nowMs: number): RevenuePeriod[] {
  const stopMs = Math.min(toMs, nowMs);
  const from = new Date(fromMs);
  const dayStart = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  let start =
    interval === 'month' ? Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1) : dayStart - ((from.getUTCDay() + 6) % 7) * DAY_MS;
  const periods: RevenuePeriod[] = [];
  while (start < stopMs) {
    const end = nextPeriodStart(start, interval);
    periods.push({ startMs: start, endMs: Math.min(end, nowMs) });
    start = end;
  }
  return periods;
}
