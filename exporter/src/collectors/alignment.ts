import { Config } from '../config/schema';
import { Queryable } from '../db/pool';
import { ALIGNMENT_STATUSES, alignmentScore, kpiActuals } from '../domain/alignment';
import { EngagementKpis, RevenueKpis } from '../domain/kpi-inputs';
import { family, gauge, MetricFamily } from '../metrics/family';
import { Collector } from './collector';
import { readEngagementKpis } from '../reads/engagement';
import { ENGAGEMENT_INTERVAL_SECONDS } from './engagement';
import { LatestKpis } from './latest-kpis';
import { readRevenueKpis, REVENUE_INTERVAL_SECONDS } from './revenue';

// Operational alignment (docs/metrics.md, "Operational alignment"). No SQL
// of its own: the KPI values are the revenue and engagement collectors' last results (or, when
// those are missing or stale, their readers' numbers at T), exactly the numbers they export.

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
    family(
      metrics.kpiScore,
      perKpi((k) => k.score),
    ),
    family(
      metrics.kpiValue,
      perKpi((k) => k.actual),
    ),
    family(
      metrics.kpiTarget,
      perKpi((k) => k.target),
    ),
    family(
      metrics.kpiWeight,
      perKpi((k) => k.weight),
    ),
    family(
      metrics.kpiEffectiveWeight,
      perKpi((k) => k.effectiveWeight),
    ),
  ];
}

/**
 * With `latest`, the KPIs come from the revenue and engagement collectors' last runs while those
 * are at most two of their intervals old; otherwise (collector off, not run yet, failing) the
 * readers compute them at T, from the same queries.
 */
export function createAlignmentCollector(readers: KpiReaders, latest?: LatestKpis): Collector {
  return {
    name: NAME,
    defaultIntervalSeconds: INTERVAL_SECONDS,
    metrics: Object.values(metrics),
    async collect({ db, now, config }) {
      const intervalMs = (collector: 'revenue' | 'engagement', defaultSeconds: number) =>
        1000 * (config.collectors[collector].intervalSeconds ?? defaultSeconds);
      // One client, one transaction: the readers run one after another.
      const revenue =
        latest?.revenue.freshAt(now, intervalMs('revenue', REVENUE_INTERVAL_SECONDS)) ?? (await readers.revenue(db, now, config));
      const engagement =
        latest?.engagement.freshAt(now, intervalMs('engagement', ENGAGEMENT_INTERVAL_SECONDS)) ??
        (await readers.engagement(db, now, config));
      return alignmentFamilies(revenue, engagement, config);
    },
  };
}

export const KPI_READERS: KpiReaders = { revenue: readRevenueKpis, engagement: readEngagementKpis };

export const alignmentCollector = createAlignmentCollector(KPI_READERS);
