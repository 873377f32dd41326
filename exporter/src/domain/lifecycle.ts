import { Queryable } from '../db/pool';
import { toCount } from '../db/parse';
import { median } from './funnel';
import { PAYING_ROW } from '../reads/revenue';

/**
 * The lifecycle of accounts (docs/metrics.md "Lifecycle of accounts"): signup -> activated ->
 * first paid -> retained at day N, and trial-to-paid. The trial outcome SQL is shared by the
 * lifecycle_funnel query (trials of a signup cohort) and saasmon_trial_conversion_ratio (trials
 * that ended in [T-37d, T-7d]), so both decide "converted" the same way.
 */

export const TRIAL_DECISION_DAYS = 7;
const DAY_MS = 86_400_000;

/**
 * CTEs `first_rows` and `trials` (tenant_id, trial_end, converted) for the tenants of the CTE
 * named `scope` (column id), as of the instant `now` (an SQL expression). A trial is the tenant's
 * first subscription row (earliest valid_from, ties by id) when it is 'trialing'; it is decided
 * when it ended at least 7 days before now, and converted when the tenant pays at some instant of
 * [trial_end, trial_end + 7 days].
 */
export function trialOutcomesCte(scope: string, now: string): string {
  return `
first_rows AS (
  SELECT DISTINCT ON (s.tenant_id) s.tenant_id, s.status, s.valid_to
  FROM subscriptions s
  JOIN ${scope} sc ON sc.id = s.tenant_id
  WHERE s.valid_from <= ${now}
  ORDER BY s.tenant_id, s.valid_from, s.id
),
trials AS (
  SELECT f.tenant_id, f.valid_to AS trial_end,
         EXISTS (
           SELECT 1 FROM subscriptions s
           WHERE s.tenant_id = f.tenant_id AND ${PAYING_ROW}
             AND s.valid_from <= f.valid_to + interval '${TRIAL_DECISION_DAYS} days'
             AND coalesce(s.valid_to, 'infinity') > f.valid_to
         ) AS converted
  FROM first_rows f
  WHERE f.status = 'trialing' AND f.valid_to IS NOT NULL
    AND f.valid_to <= ${now} - interval '${TRIAL_DECISION_DAYS} days'
)`;
}

/** Trials that ended in [$1 - 37d, $1 - 7d] (decided by $1): decided and converted counts. */
export const SQL_TRIAL_CONVERSION = `
WITH everyone AS (SELECT id FROM tenants),
${trialOutcomesCte('everyone', '$1::timestamptz')}
SELECT count(*) AS decided, count(*) FILTER (WHERE converted) AS converted
FROM trials
WHERE trial_end >= $1::timestamptz - interval '${TRIAL_DECISION_DAYS + 30} days'`;

/** saasmon_trial_conversion_ratio: converted / decided trials of the window; undefined when none. */
export async function readTrialConversion(db: Queryable, now: Date): Promise<number | undefined> {
  const { rows } = await db.query<{ decided: string; converted: string }>(SQL_TRIAL_CONVERSION, [now]);
  const decided = toCount(rows[0]?.decided);
  return decided === 0 ? undefined : toCount(rows[0]?.converted) / decided;
}

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
