import { auc, brier, calibration, CalibrationBin, contributions, fitLogistic, LogisticModel, predict } from './churn-model';
import { TenantMrrAtInstants } from './mrr';
import { RiskLevel, TenantHealth } from './tenant-health';

/**
 * Churn risk (docs/metrics.md "Churn risk"): the probability that a paying tenant stops paying
 * within 30 and 90 days, from a logistic regression trained on the company's own tenant-months.
 * Signals at an instant t are the tenant health inputs at t (same SQL and functions as the
 * tenant_health collector, read by reads/churn-risk.ts), their change over the previous month, the NPS of (t-90d, t], the plan
 * in force and the tenure; the label is "paying at t and not at t + horizon".
 */

export const CHURN_HORIZONS_DAYS = [30, 90] as const;
export type ChurnHorizon = (typeof CHURN_HORIZONS_DAYS)[number];
export const EVALUATION_MONTHS = 6;
const DAY_MS = 86_400_000;

export const BASE_SIGNALS = [
  'activity',
  'activity_change',
  'adoption',
  'seats',
  'open_urgent_tickets',
  'open_other_tickets',
  'past_due',
  'nps',
  'nps_missing',
  'tenure',
] as const;

export interface TenantSignals {
  tenant: string;
  name: string;
  plan: string | null;
  score: number;
  risk: RiskLevel;
  values: Record<(typeof BASE_SIGNALS)[number], number>;
}

/** What the signals are made of, as read (reads/churn-risk.ts): plain values, no SQL here. */
export interface TenantHealthInputs {
  health: TenantHealth;
  users: number;
  urgentTickets: number;
  otherTickets: number;
  subscriptionStatus: string | null;
}

export interface SignalInputs {
  /** The instants signals are wanted at, ascending. */
  instants: readonly Date[];
  /** Health inputs per tenant, by instant (Unix ms): each of `instants` and the month before each. */
  healthAt: ReadonlyMap<number, ReadonlyMap<string, TenantHealthInputs>>;
  /** Per instant of `instants`: NPS of (at - 90d, at] per tenant with responses. */
  npsAt: ReadonlyArray<ReadonlyMap<string, number>>;
  /** Per instant of `instants`: the plan in force per tenant. */
  planAt: ReadonlyArray<ReadonlyMap<string, string | null>>;
  createdMs: ReadonlyMap<string, number>;
}

/** The instants whose health inputs signals at `instants` need: each, and the month before each, ascending. */
export function healthInstants(instants: readonly Date[]): Date[] {
  return [...new Map([...instants, ...instants.map(monthBefore)].map((d) => [d.getTime(), d])).values()].sort(
    (a, b) => a.getTime() - b.getTime(),
  );
}

/** Signals at each instant of the inputs (ascending); the activity change is against the month before. */
export function signalsAt(inputs: SignalInputs): Array<Map<string, TenantSignals>> {
  const { instants, healthAt, npsAt, planAt, createdMs } = inputs;
  return instants.map((at, i) => {
    const now = healthAt.get(at.getTime()) ?? new Map<string, TenantHealthInputs>();
    const before = healthAt.get(monthBefore(at).getTime()) ?? new Map<string, TenantHealthInputs>();
    const out = new Map<string, TenantSignals>();
    for (const [tenant, row] of now) {
      const h = row.health;
      const n = npsAt[i]?.get(tenant);
      out.set(tenant, {
        tenant,
        name: h.name,
        plan: planAt[i]?.get(tenant) ?? null,
        score: h.score,
        risk: h.risk,
        values: {
          activity: h.components.activity,
          activity_change: h.components.activity - (before.get(tenant)?.health.components.activity ?? h.components.activity),
          adoption: h.components.adoption,
          seats: Math.log1p(row.users),
          open_urgent_tickets: row.urgentTickets,
          open_other_tickets: row.otherTickets,
          past_due: row.subscriptionStatus === 'past_due' ? 1 : 0,
          nps: n ?? 0,
          nps_missing: n === undefined ? 1 : 0,
          tenure: Math.log1p(Math.max(0, at.getTime() - (createdMs.get(tenant) ?? at.getTime())) / DAY_MS),
        },
      });
    }
    return out;
  });
}

export function monthBefore(d: Date): Date {
  return new Date(
    Date.UTC(
      d.getUTCFullYear(),
      d.getUTCMonth() - 1,
      d.getUTCDate(),
      d.getUTCHours(),
      d.getUTCMinutes(),
      d.getUTCSeconds(),
      d.getUTCMilliseconds(),
    ),
  );
}

/** Feature names: the base signals, then one indicator per plan seen in training. */
export function featureNames(plans: readonly string[]): string[] {
  return [...BASE_SIGNALS, ...plans.map((p) => `plan:${p}`)];
}

export function featureRow(s: TenantSignals, plans: readonly string[]): number[] {
  return [...BASE_SIGNALS.map((k) => s.values[k]), ...plans.map((p) => (s.plan === p ? 1 : 0))];
}

export interface Sample {
  monthMs: number;
  signals: TenantSignals;
  churned: boolean;
}

export interface HorizonEvaluation {
  horizonDays: ChurnHorizon;
  trainSamples: number;
  trainChurned: number;
  evalSamples: number;
  evalChurned: number;
  /** On the evaluation months, of the model trained before them. */
  auc: number | undefined;
  brier: number | undefined;
  /** Mean predicted probability / observed churn rate on the evaluation months. */
  calibrationRatio: number | undefined;
  calibrationBins: CalibrationBin[];
  /** Fitted on every labelled month: the model that scores tenants now. */
  model: LogisticModel | undefined;
  /** Coefficients of `model` by feature name (on standardised features). */
  coefficients: Record<string, number>;
}

export interface TenantRisk {
  tenant: string;
  name: string;
  plan: string | null;
  score: number;
  risk: RiskLevel;
  probability: Partial<Record<ChurnHorizon, number>>;
  /** The signals pushing the 30-day probability up most, largest first (at most 3). */
  drivers: Array<{ signal: string; contribution: number }>;
}

export interface ChurnRiskResult {
  asOf: Date;
  features: string[];
  horizons: HorizonEvaluation[];
  tenants: TenantRisk[];
}

/** Month starts (UTC) from `months` months before now's month up to now's month, ascending. */
export function monthStarts(now: Date, months: number): Date[] {
  return Array.from({ length: months + 1 }, (_, i) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months + i, 1)));
}

/**
 * Trains, evaluates and scores (pure once the signals and MRR are read). Per horizon h: the
 * labelled months are those with t + h <= now; the evaluation months are the last 6 of them,
 * training uses earlier months whose label window ends by the first evaluation month (no look
 * ahead); the final model refits on every labelled month and scores tenants paying now.
 */
export function trainAndScore(
  samplesByHorizon: Record<ChurnHorizon, Sample[]>,
  current: readonly TenantSignals[],
  l2: number,
  asOf: Date,
): ChurnRiskResult {
  const plans = [...new Set(Object.values(samplesByHorizon).flatMap((ss) => ss.map((s) => s.signals.plan ?? '(none)')))].sort();
  const names = featureNames(plans);
  const row = (s: TenantSignals) => featureRow({ ...s, plan: s.plan ?? '(none)' }, plans);
  const horizons = CHURN_HORIZONS_DAYS.map((h): HorizonEvaluation => {
    const samples = samplesByHorizon[h];
    const months = [...new Set(samples.map((s) => s.monthMs))].sort((a, b) => a - b);
    const evalMonths = new Set(months.slice(-EVALUATION_MONTHS));
    const firstEval = Math.min(...evalMonths);
    const train = samples.filter((s) => !evalMonths.has(s.monthMs) && s.monthMs + h * DAY_MS <= firstEval);
    const test = samples.filter((s) => evalMonths.has(s.monthMs));
    const usable = (ss: Sample[]) => ss.length > 0 && ss.some((s) => s.churned) && ss.some((s) => !s.churned);
    let aucValue: number | undefined;
    let brierValue: number | undefined;
    let calibrationRatio: number | undefined;
    let bins: CalibrationBin[] = [];
    if (usable(train) && test.length > 0) {
      const m = fitLogistic(
        train.map((s) => row(s.signals)),
        train.map((s) => s.churned),
        l2,
      );
      const p = test.map((s) => predict(m, row(s.signals)));
      const y = test.map((s) => s.churned);
      aucValue = auc(p, y);
      brierValue = brier(p, y);
      const observed = y.filter(Boolean).length / y.length;
      const predicted = p.reduce((a, b) => a + b, 0) / p.length;
      calibrationRatio = observed > 0 ? predicted / observed : undefined;
      bins = calibration(p, y);
    }
    const model = usable(samples)
      ? fitLogistic(
          samples.map((s) => row(s.signals)),
          samples.map((s) => s.churned),
          l2,
        )
      : undefined;
    return {
      horizonDays: h,
      trainSamples: train.length,
      trainChurned: train.filter((s) => s.churned).length,
      evalSamples: test.length,
      evalChurned: test.filter((s) => s.churned).length,
      auc: aucValue,
      brier: brierValue,
      calibrationRatio,
      calibrationBins: bins,
      model,
      coefficients: model ? Object.fromEntries(names.map((n, j) => [n, model.coefficients[j] as number])) : {},
    };
  });
  const m30 = horizons.find((x) => x.horizonDays === 30)?.model;
  const tenants = current.map((s): TenantRisk => {
    const r = row(s);
    const probability: TenantRisk['probability'] = {};
    for (const h of horizons) if (h.model) probability[h.horizonDays] = predict(h.model, r);
    const drivers = m30
      ? contributions(m30, r)
          .map((c, j) => ({ signal: names[j] as string, contribution: c }))
          .filter((d) => d.contribution > 0)
          .sort((a, b) => b.contribution - a.contribution)
          .slice(0, 3)
      : [];
    return { tenant: s.tenant, name: s.name, plan: s.plan, score: s.score, risk: s.risk, probability, drivers };
  });
  return { asOf, features: names, horizons, tenants };
}

/**
 * The instants training reads: month starts of the last `historyMonths` before now (`starts`),
 * signals at those and now (`instants`), MRR at those and at each labelled start + h (`mrrInstants`).
 */
export function churnRiskInstants(now: Date, historyMonths: number): { starts: Date[]; instants: Date[]; mrrInstants: Date[] } {
  const starts = monthStarts(now, historyMonths).filter((t) => t.getTime() < now.getTime());
  const instants = [...starts, now];
  // MRR at every month start, at month start + h, and now: paying at t and not at t + h is a churn.
  const mrrInstants = [
    ...instants,
    ...CHURN_HORIZONS_DAYS.flatMap((h) => labelledStarts(starts, now, h).map((t) => new Date(t.getTime() + h * DAY_MS))),
  ];
  return { starts, instants, mrrInstants };
}

function labelledStarts(starts: readonly Date[], now: Date, h: number): Date[] {
  return starts.filter((t) => t.getTime() + h * DAY_MS <= now.getTime());
}

/**
 * Labels the history and trains (pure): `signals` per instant of churnRiskInstants' `instants`,
 * `mrr` read at its `mrrInstants`.
 */
export function churnRiskFromHistory(
  now: Date,
  starts: readonly Date[],
  signals: ReadonlyArray<ReadonlyMap<string, TenantSignals>>,
  mrrInstants: readonly Date[],
  mrr: readonly TenantMrrAtInstants[],
  l2: number,
): ChurnRiskResult {
  const index = new Map(mrrInstants.map((d, i) => [d.getTime(), i]));
  const mrrByTenant = new Map(mrr.map((t) => [t.tenantId, t.mrr]));
  const paying = (tenant: string, at: number) => {
    const i = index.get(at);
    return i !== undefined && (mrrByTenant.get(tenant)?.[i] ?? 0n) > 0n;
  };
  const samplesByHorizon = Object.fromEntries(
    CHURN_HORIZONS_DAYS.map((h) => [
      h,
      labelledStarts(starts, now, h).flatMap((t) => {
        const at = t.getTime();
        const sig = signals[starts.indexOf(t)] ?? new Map<string, TenantSignals>();
        return [...sig.values()]
          .filter((s) => paying(s.tenant, at))
          .map((s) => ({ monthMs: at, signals: s, churned: !paying(s.tenant, at + h * DAY_MS) }));
      }),
    ]),
  ) as Record<ChurnHorizon, Sample[]>;
  const current = [...(signals[signals.length - 1] ?? new Map<string, TenantSignals>()).values()].filter((s) =>
    paying(s.tenant, now.getTime()),
  );
  return trainAndScore(samplesByHorizon, current, l2, now);
}
