import { AlignmentKpi, Config } from '../config/schema';
import { Queryable } from '../db/pool';
import { Alignment, alignmentScore, kpiActuals } from '../domain/alignment';
import { readEngagementKpis } from '../reads/engagement';
import { readRevenueFigures, revenueKpisOf, RevenueFigures } from '../collectors/revenue';

/**
 * Priority actions: the KPIs that cost the alignment score the most points. A KPI's weighted gap
 * is its effective weight times (100 - its score): the points of the 0-100 alignment score it
 * loses, so the gaps of all KPIs add up to 100 - score. KPIs undefined at T carry no weight and
 * are not ranked; a KPI at its target has no gap and is not an action.
 */

/** What to do about each KPI when it is behind; config priorityActions.actions replaces a text. */
export const DEFAULT_ACTIONS: Record<AlignmentKpi, string> = {
  d7_retention:
    'Improve the first week: review onboarding drop-off, send a day-2 and day-5 nudge to the core action, and talk to five users who left in week one.',
  activation_rate:
    'Shorten the path to the activation moment: remove setup steps, add a guided first run and templates, and follow up sign-ups that stall before activating.',
  d30_retention:
    'Build habits past the first month: ship recurring value (digests, integrations, saved work), and review accounts whose usage dropped in weeks 2-4.',
  ltv_cac:
    'Fix unit economics: cut or pause the channels with the highest CAC, raise ARPA through pricing and expansion, and reduce churn to lengthen lifetime.',
  account_activation_rate:
    'Activate new accounts: assign onboarding to every new tenant, invite teammates during setup, and check each account in its first week.',
  mrr_growth_30d:
    'Grow MRR: double down on the best-converting channel, run an upgrade campaign to accounts near plan limits, and win back recently churned customers.',
  customer_churn_30d:
    'Reduce churn: reach out to at-risk tenants (tenant health), fix the top churn reasons, and recover failed payments before they cancel.',
  viral_coefficient:
    'Make the product spread: add invite prompts at moments of value, reward referrals, and make shared work visible to non-users.',
};

export interface PriorityAction {
  rank: number;
  kpi: AlignmentKpi;
  actual: number;
  target: number;
  direction: 'higher' | 'lower';
  score: number;
  effectiveWeight: number;
  /** effectiveWeight * (100 - score): alignment score points lost to this KPI. */
  weightedGap: number;
  action: string;
}

const snap = (x: number) => Math.round(x * 1e9) / 1e9;

/** The top `limit` KPI gaps, largest weighted gap first (ties: larger weight, then KPI name). */
export function priorityActions(alignment: Alignment, config: Config, limit = config.priorityActions.topN): PriorityAction[] {
  const ranked = alignment.kpis
    .flatMap((k) => {
      if (k.actual === undefined || k.score === undefined || k.effectiveWeight === undefined) return [];
      const weightedGap = snap(k.effectiveWeight * (100 - k.score));
      if (!(weightedGap > 0)) return [];
      return [
        {
          kpi: k.kpi,
          actual: k.actual,
          target: k.target,
          direction: k.direction,
          score: k.score,
          effectiveWeight: k.effectiveWeight,
          weightedGap,
          action: config.priorityActions.actions[k.kpi] ?? DEFAULT_ACTIONS[k.kpi],
        },
      ];
    })
    .sort((a, b) => b.weightedGap - a.weightedGap || b.effectiveWeight - a.effectiveWeight || a.kpi.localeCompare(b.kpi));
  return ranked.slice(0, limit).map((a, i) => ({ rank: i + 1, ...a }));
}

/** The alignment score at T from the revenue figures (read once) and the engagement KPIs. */
export async function readAlignment(db: Queryable, now: Date, config: Config, revenue?: RevenueFigures): Promise<Alignment> {
  const figures = revenue ?? (await readRevenueFigures(db, now, config));
  const engagement = await readEngagementKpis(db, now, config);
  return alignmentScore(kpiActuals(revenueKpisOf(figures), engagement), config.alignment.kpis, config.alignment.bands);
}
