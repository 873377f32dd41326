import { ALIGNMENT_KPIS, AlignmentKpi, Config } from '../config/schema';
import { EngagementKpis, RevenueKpis } from './kpi-inputs';

// Operational alignment score (docs/metrics.md, "Operational alignment"): a weighted
// mean of KPI scores against config targets, over the KPIs defined at T.

export type KpiSetting = Config['alignment']['kpis'][AlignmentKpi];
export type KpiSettings = Config['alignment']['kpis'];
export type AlignmentBands = Config['alignment']['bands'];
export type KpiActuals = Record<AlignmentKpi, number | undefined>;

/** From best to worst; the status gauge always lists all three. */
export const ALIGNMENT_STATUSES = ['on_track', 'at_risk', 'off_track'] as const;
export type AlignmentStatus = (typeof ALIGNMENT_STATUSES)[number];

export interface KpiResult {
  kpi: AlignmentKpi;
  actual: number | undefined;
  target: number;
  direction: KpiSetting['direction'];
  /** The configured weight. */
  weight: number;
  /** The weight's share among defined KPIs (what it really counts for); undefined when left out. */
  effectiveWeight: number | undefined;
  /** 0-100; undefined when the KPI's value is undefined. */
  score: number | undefined;
}

export interface Alignment {
  /** 0-100, not rounded; undefined when no KPI with a weight above 0 is defined. */
  score: number | undefined;
  status: AlignmentStatus | undefined;
  kpis: KpiResult[];
}

/** Which revenue or engagement figure each config KPI key means. */
export function kpiActuals(revenue: RevenueKpis, engagement: EngagementKpis): KpiActuals {
  return {
    d7_retention: engagement.retentionD7,
    activation_rate: engagement.activationRate,
    d30_retention: engagement.retentionD30,
    ltv_cac: revenue.ltvCac,
    account_activation_rate: engagement.accountActivationRate,
    mrr_growth_30d: revenue.mrrGrowth30d,
    customer_churn_30d: revenue.customerChurn30d,
    viral_coefficient: engagement.viralCoefficient,
  };
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
/** Float noise off (0.2 / 0.25 * 100 = 80.00000000000001): a hand-computed 80 stays 80, and on track. */
const snap = (x: number) => (Number.isFinite(x) ? Math.round(x * 1e9) / 1e9 : x);

/**
 * 100 * clamp(actual / target) when higher is better, 100 * clamp(target / actual) when lower is
 * better. Lower is better with actual <= 0 scores 100 (nothing can beat it; 0 is the definition's
 * case, a negative value is better still). An infinite actual scores 100 (higher) or 0 (lower).
 */
export function kpiScore(actual: number, target: number, direction: KpiSetting['direction']): number {
  if (direction === 'higher') return snap(100 * clamp01(actual / target));
  if (actual <= 0) return 100;
  return snap(100 * clamp01(target / actual));
}

export function alignmentStatus(score: number, bands: AlignmentBands): AlignmentStatus {
  if (score >= bands.onTrack) return 'on_track';
  if (score >= bands.atRisk) return 'at_risk';
  return 'off_track';
}

/** Undefined (or NaN) KPIs are left out and the weights of the others renormalised to sum 1. */
export function alignmentScore(actuals: KpiActuals, settings: KpiSettings, bands: AlignmentBands): Alignment {
  const defined = (v: number | undefined): v is number => v !== undefined && !Number.isNaN(v);
  const weightDefined = ALIGNMENT_KPIS.reduce((sum, k) => sum + (defined(actuals[k]) ? settings[k].weight : 0), 0);
  const kpis: KpiResult[] = ALIGNMENT_KPIS.map((kpi) => {
    const { target, direction, weight } = settings[kpi];
    const actual = defined(actuals[kpi]) ? actuals[kpi] : undefined;
    return {
      kpi,
      actual,
      target,
      direction,
      weight,
      effectiveWeight: actual !== undefined && weightDefined > 0 ? snap(weight / weightDefined) : undefined,
      score: actual !== undefined ? kpiScore(actual, target, direction) : undefined,
    };
  });
  if (!(weightDefined > 0)) return { score: undefined, status: undefined, kpis };
  const score = snap(kpis.reduce((sum, k) => sum + (k.score !== undefined ? k.weight * k.score : 0), 0) / weightDefined);
  return { score, status: alignmentStatus(score, bands), kpis };
}
