import { Config } from '../config/schema';
import { Queryable } from '../db/pool';
import { ALIGNMENT_STATUSES, alignmentScore, kpiActuals } from '../domain/alignment';
import { EngagementKpis, RevenueKpis } from '../domain/kpi-inputs';
import { family, gauge, MetricFamily } from '../metrics/family';
import { Collector } from './collector';
import { readEngagementKpis } from './engagement';
import { readRevenueKpis } from './revenue';

// Operational alignment (docs/metrics.md, "Operational alignment"). No SQL
// of its own: the KPI values come from the revenue and engagement readers, so the KPIs here are
// exactly the numbers those collectors export.

const NAME = 'alignment' as const;
const INTERVAL_SECONDS = 60;

const metrics = {
  score: gauge(
    'saasmon_alignment_score',
    'Operational alignment score 0-100: weighted mean of KPI scores over the KPIs defined now; absent when none is.',
  ),
  status: gauge(
    'saasmon_alignment_status',
    'Alignment status: 1 for the current one of on_track, at_risk, off_track, 0 for the others; absent without a score.',
    ['status'],
  ),
  kpiScore: gauge('saasmon_alignment_kpi_score', 'KPI score 0-100 against its target; absent when the KPI is undefined.', ['kpi']),
  kpiValue: gauge('saasmon_alignment_kpi_value', 'KPI value the score was computed from; absent when undefined.', ['kpi']),
  kpiTarget: gauge('saasmon_alignment_kpi_target', 'KPI target (config alignment.kpis.<kpi>.target).', ['kpi']),
  kpiWeight: gauge('saasmon_alignment_kpi_weight', 'KPI weight as configured (alignment.kpis.<kpi>.weight).', ['kpi']),
  kpiEffectiveWeight: gauge(
    'saasmon_alignment_kpi_effective_weight',
    'Share of the alignment score the KPI carries now: its weight over the weights of defined KPIs; absent when undefined.',
    ['kpi'],
  ),
};

/** Where the KPI values come from; injected so that tests can give exact numbers. */
export interface KpiReaders {
  revenue(db: Queryable, now: Date, config: Config): Promise<RevenueKpis>;
  engagement(db: Queryable, now: Date, config: Config): Promise<EngagementKpis>;
}

export function alignmentFamilies(revenue: RevenueKpis, engagement: EngagementKpis, config: Config): MetricFamily[] {
  const a = alignmentScore(kpiActuals(revenue, engagement), config.alignment.kpis, config.alignment.bands);
  const perKpi = (value: (k: (typeof a.kpis)[number]) => number | undefined) =>
    a.kpis.map((k) => ({ labels: { kpi: k.kpi }, value: value(k) }));
  return [
    family(metrics.score, a.score),
    family(
      metrics.status,
      ALIGNMENT_STATUSES.map((status) => ({
        labels: { status },
        value: a.status === undefined ? undefined : a.status === status ? 1 : 0,
      })),
    ),
    family(metrics.kpiScore, perKpi((k) => k.score)),
    family(metrics.kpiValue, perKpi((k) => k.actual)),
    family(metrics.kpiTarget, perKpi((k) => k.target)),
    family(metrics.kpiWeight, perKpi((k) => k.weight)),
    family(metrics.kpiEffectiveWeight, perKpi((k) => k.effectiveWeight)),
  ];
}

export function createAlignmentCollector(readers: KpiReaders): Collector {
  return {
    name: NAME,
    defaultIntervalSeconds: INTERVAL_SECONDS,
    metrics: Object.values(metrics),
    async collect({ db, now, config }) {
      // One client, one transaction: the readers run one after another.
      const revenue = await readers.revenue(db, now, config);
      const engagement = await readers.engagement(db, now, config);
      return alignmentFamilies(revenue, engagement, config);
    },
  };
}

export const alignmentCollector = createAlignmentCollector({ revenue: readRevenueKpis, engagement: readEngagementKpis });
