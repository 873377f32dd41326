import { Config, StatusBand } from '../config/schema';
import { Queryable } from '../db/pool';
import { Alignment } from '../domain/alignment';
import { moneyToNumber } from '../domain/money';
import { customerChurnRate, mrrGrowth } from '../domain/mrr';
import { readActiveUsers, readRecentActivity, readSignups } from '../reads/engagement';
import { readRevenueFigures } from '../collectors/revenue';
import { fetchFiringAlerts, FiringAlert } from '../alertmanager/client';
import { PriorityAction, priorityActions, readAlignment } from './priority-actions';
import { platformSliQueries, promInstant } from './prometheus';
import { bandStatus, SummaryStatus, worstStatus } from './status';

/**
 * The founder's morning check at instant T: MRR and its growth, active users, churn, platform
 * uptime, error ratio and p99 latency, each with a healthy / warning / critical status from
 * config summary.thresholds, the overall status (the worst), the alignment score, the priority
 * actions and the alerts firing in Alertmanager. Every database figure comes from the collectors'
 * own readers at T, so it equals /metrics and the query API at the same T.
 */

export type FigureUnit = 'currency' | 'ratio' | 'count' | 'seconds' | 'score';

/** Where a figure belongs: the morning check's business and platform rows, or the real-time ones. */
export type FigureGroup = 'business' | 'platform' | 'realtime';

export interface Figure {
  key: string;
  group: FigureGroup;
  label: string;
  unit: FigureUnit;
  /** undefined: not defined at T (see `note`) or its source failed (see `error`). */
  value: number | undefined;
  /** The metric on /metrics carrying the same number (with its labels), when there is one. */
  metric?: string;
  status?: SummaryStatus;
  note?: string;
  error?: string;
}

export type AlertsSection = { state: 'ok'; alerts: FiringAlert[] } | { state: 'error'; error: string } | { state: 'not_configured' };

export interface ExecutiveSummary {
  at: Date;
  currency: string;
  /** The worst status of the figures that have one; undefined when none has. */
  status: SummaryStatus | undefined;
  figures: Figure[];
  alignment: Alignment;
  priorityActions: PriorityAction[];
  alerts: AlertsSection;
}

type Thresholds = Config['summary']['thresholds'];

function withStatus(f: Figure, band: StatusBand | undefined): Figure {
  return band && f.value !== undefined ? { ...f, status: bandStatus(f.value, band) } : f;
}

/** The platform SLIs from Prometheus at T; without prometheus.url each figure says so. */
async function readPlatformFigures(config: Config, now: Date): Promise<Figure[]> {
  const q = platformSliQueries(config.prometheus.job);
  const t: Thresholds = config.summary.thresholds;
  const specs: Array<{ key: string; label: string; unit: FigureUnit; expr: string; band: StatusBand; none: string }> = [
    { key: 'uptime_30d', label: 'Uptime (30d)', unit: 'ratio', expr: q.uptime30d, band: t.uptime, none: 'no HTTP requests in 30 days' },
    {
      key: 'error_ratio_30d',
      label: 'Error rate (30d)',
      unit: 'ratio',
      expr: q.errorRatio30d,
      band: t.errorRatio,
      none: 'no HTTP requests in 30 days',
    },
    {
      key: 'p99_latency_30d',
      label: 'p99 latency (30d)',
      unit: 'seconds',
      expr: q.p99Latency30d,
      band: t.p99LatencySeconds,
      none: 'no request-duration histogram in 30 days',
    },
  ];
  const url = config.prometheus.url;
  return Promise.all(
    specs.map(async (s): Promise<Figure> => {
      const base: Figure = { key: s.key, group: 'platform', label: s.label, unit: s.unit, value: undefined };
      if (!url) return { ...base, note: 'prometheus.url is not configured' };
      try {
        const value = await promInstant(url, s.expr, now, config.prometheus.timeoutMs);
        return value === undefined ? { ...base, note: s.none } : withStatus({ ...base, value }, s.band);
      } catch (err) {
        return { ...base, error: (err as Error).message };
      }
    }),
  );
}

export async function readFiringAlerts(config: Config): Promise<AlertsSection> {
  if (!config.alertmanager.url) return { state: 'not_configured' };
  try {
    return { state: 'ok', alerts: await fetchFiringAlerts(config.alertmanager.url, config.alertmanager.timeoutMs) };
  } catch (err) {
    return { state: 'error', error: (err as Error).message };
  }
}

/** Reads the summary at T: database figures on `db` (one transaction), Prometheus and Alertmanager alongside. */
export async function readExecutiveSummary(db: Queryable, now: Date, config: Config): Promise<ExecutiveSummary> {
  const platform = readPlatformFigures(config, now);
  const alerts = readFiringAlerts(config);
  // One client: the database reads run one after another.
  const revenue = await readRevenueFigures(db, now, config);
  const active = await readActiveUsers(db, now);
  const recent = await readRecentActivity(db, now);
  const signups = await readSignups(db, now);
  const alignment = await readAlignment(db, now, config, revenue);
  const m = revenue.movements30d;
  const t = config.summary.thresholds;
  const currency = config.currency;
  const growth = mrrGrowth(m);
  const churn = customerChurnRate(m);
  const business = (f: Omit<Figure, 'group'>): Figure => ({ group: 'business', ...f });
  const realtime = (f: Omit<Figure, 'group'>): Figure => ({ group: 'realtime', ...f });
  const figures: Figure[] = [
    business({
      key: 'mrr',
      label: 'MRR',
      unit: 'currency',
      value: moneyToNumber(m.endingMrr),
      metric: `saasmon_mrr{currency="${currency}"}`,
    }),
    withStatus(
      business({
        key: 'mrr_growth_30d',
        label: 'MRR growth (30d)',
        unit: 'ratio',
        value: growth,
        metric: 'saasmon_mrr_growth_30d_ratio',
        ...(growth === undefined ? { note: 'no MRR 30 days ago' } : {}),
      }),
      t.mrrGrowth,
    ),
    business({
      key: 'paying_customers',
      label: 'Paying customers',
      unit: 'count',
      value: m.payingAtEnd,
      metric: 'saasmon_paying_customers',
    }),
    business({
      key: 'active_users_1d',
      label: 'Daily active users',
      unit: 'count',
      value: active.get(1) ?? 0,
      metric: 'saasmon_active_users{window="1d"}',
    }),
    business({
      key: 'active_users_7d',
      label: 'Weekly active users',
      unit: 'count',
      value: active.get(7) ?? 0,
      metric: 'saasmon_active_users{window="7d"}',
    }),
    business({
      key: 'active_users_30d',
      label: 'Monthly active users',
      unit: 'count',
      value: active.get(30) ?? 0,
      metric: 'saasmon_active_users{window="30d"}',
    }),
    withStatus(
      business({
        key: 'customer_churn_30d',
        label: 'Customer churn (30d)',
        unit: 'ratio',
        value: churn,
        metric: 'saasmon_customer_churn_30d_ratio',
        ...(churn === undefined ? { note: 'no paying customers 30 days ago' } : {}),
      }),
      t.customerChurn,
    ),
    business({
      key: 'alignment_score',
      label: 'Alignment score',
      unit: 'score',
      value: alignment.score,
      metric: 'saasmon_alignment_score',
      ...(alignment.score === undefined ? { note: 'no KPI defined' } : {}),
    }),
    ...(await platform),
    realtime({
      key: 'active_users_1h',
      label: 'Active users (last hour)',
      unit: 'count',
      value: recent.activeUsers1h,
      metric: 'saasmon_active_users_1h',
    }),
    realtime({
      key: 'active_users_24h',
      label: 'Active users (24h)',
      unit: 'count',
      value: active.get(1) ?? 0,
      metric: 'saasmon_active_users{window="1d"}',
    }),
    realtime({
      key: 'events_per_minute',
      label: 'Events per minute (5m)',
      unit: 'count',
      value: recent.eventsPerMinute,
      metric: 'saasmon_events_per_minute',
    }),
    realtime({
      key: 'signups_24h',
      label: 'Signups (24h)',
      unit: 'count',
      value: signups.get(1) ?? 0,
      metric: 'saasmon_signups{window="1d"}',
    }),
    realtime({
      key: 'new_paying_tenants_24h',
      label: 'New paying customers (24h)',
      unit: 'count',
      value: revenue.newPayingTenants24h,
      metric: 'saasmon_new_paying_tenants_24h',
    }),
    realtime({
      key: 'new_mrr_24h',
      label: 'New MRR (24h)',
      unit: 'currency',
      value: moneyToNumber(revenue.movements24h.totals.new),
      metric: `saasmon_mrr_movement_24h{currency="${currency}",type="new"}`,
    }),
  ];
  return {
    at: now,
    currency,
    status: worstStatus(figures.map((f) => f.status)),
    figures,
    alignment,
    priorityActions: priorityActions(alignment, config),
    alerts: await alerts,
  };
}
