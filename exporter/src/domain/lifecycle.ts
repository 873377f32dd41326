import { median } from './funnel';

/**
 * The lifecycle of accounts (docs/metrics.md "Lifecycle of accounts"): signup -> activated ->
 * first paid -> retained at day N, and trial-to-paid. The SQL that reads it is reads/lifecycle.ts.
 */

export const TRIAL_DECISION_DAYS = 7;
const DAY_MS = 86_400_000;

/** One tenant of a signup cohort, as known at T. */
export interface TenantLifecycle {
  cohortMs: number;
  createdMs: number;
  activatedMs: number | undefined;
  firstPaidMs: number | undefined;
  /** Paying N days after its first paying instant; undefined when that instant is after T (not eligible). */
  retained: boolean | undefined;
  /** Outcome of its decided trial; undefined when it has none. */
  trialConverted: boolean | undefined;
}

export interface LifecycleSummary {
  /** Cohort start (Unix ms); undefined for the row of all cohorts together. */
  cohortMs: number | undefined;
  tenants: number;
  activated: number;
  paid: number;
  retained: number;
  retainedEligible: number;
  activationRate: number | undefined;
  paidRate: number | undefined;
  paidFromActivated: number | undefined;
  retainedRate: number | undefined;
  trials: number;
  trialsConverted: number;
  trialToPaid: number | undefined;
  medianDaysToActivation: number | undefined;
  medianDaysToPaid: number | undefined;
  medianDaysActivationToPaid: number | undefined;
}

const ratio = (num: number, den: number) => (den === 0 ? undefined : num / den);

/** Counts, rates and median times of a group of tenants. */
export function summarizeLifecycle(cohortMs: number | undefined, tenants: readonly TenantLifecycle[]): LifecycleSummary {
  const toActivation: number[] = [];
  const toPaid: number[] = [];
  const activationToPaid: number[] = [];
  let activated = 0;
  let paid = 0;
  let paidAndActivated = 0;
  let retained = 0;
  let eligible = 0;
  let trials = 0;
  let converted = 0;
  for (const t of tenants) {
    if (t.activatedMs !== undefined) {
      activated++;
      toActivation.push((t.activatedMs - t.createdMs) / DAY_MS);
    }
    if (t.firstPaidMs !== undefined) {
      paid++;
      toPaid.push((t.firstPaidMs - t.createdMs) / DAY_MS);
      if (t.activatedMs !== undefined) {
        paidAndActivated++;
        if (t.activatedMs <= t.firstPaidMs) activationToPaid.push((t.firstPaidMs - t.activatedMs) / DAY_MS);
      }
    }
    if (t.retained !== undefined) {
      eligible++;
      if (t.retained) retained++;
    }
    if (t.trialConverted !== undefined) {
      trials++;
      if (t.trialConverted) converted++;
    }
  }
  return {
    cohortMs,
    tenants: tenants.length,
    activated,
    paid,
    retained,
    retainedEligible: eligible,
    activationRate: ratio(activated, tenants.length),
    paidRate: ratio(paid, tenants.length),
    paidFromActivated: ratio(paidAndActivated, activated),
    retainedRate: ratio(retained, eligible),
    trials,
    trialsConverted: converted,
    trialToPaid: ratio(converted, trials),
    medianDaysToActivation: median(toActivation),
    medianDaysToPaid: median(toPaid),
    medianDaysActivationToPaid: median(activationToPaid),
  };
}

/** One summary per cohort (ascending), then one for all of them together. */
export function lifecycleByCohort(tenants: readonly TenantLifecycle[]): LifecycleSummary[] {
  const byCohort = new Map<number, TenantLifecycle[]>();
  for (const t of tenants) {
    const list = byCohort.get(t.cohortMs) ?? [];
    list.push(t);
    byCohort.set(t.cohortMs, list);
  }
  const cohorts = [...byCohort.keys()].sort((a, b) => a - b);
  return [...cohorts.map((c) => summarizeLifecycle(c, byCohort.get(c) ?? [])), summarizeLifecycle(undefined, tenants)];
}
