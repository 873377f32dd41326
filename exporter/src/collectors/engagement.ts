import { netPromoterScore, shareOf } from '../domain/engagement';
import { family, gauge, MetricFamily } from '../metrics/family';
import { CollectContext, Collector } from './collector';
import { LatestKpis } from './latest-kpis';
import {
  ACTIVITY_WINDOWS_DAYS,
  readActiveUsers,
  readCohortShare,
  readFeatureAdoption,
  readNps,
  readRecentActivity,
  readRetention,
  readSignups,
  readSupportTicketsOpen,
  readViralCoefficient,
  RETENTION_DAYS,
  SQL_ACCOUNT_ACTIVATION,
  SQL_USER_ACTIVATION,
} from '../reads/engagement';

// Engagement: active users, signups, activation, retention, virality, feature adoption, NPS and
// open support tickets (docs/metrics.md, "Users and engagement"). The SQL and its rows are in
// reads/engagement.ts; here, what becomes which series.

const NAME = 'engagement' as const;
export const ENGAGEMENT_INTERVAL_SECONDS = 60;

const metrics = {
  activeUsers: gauge(
    'saasmon_active_users',
    'Distinct live users with at least one event in the rolling window (T-w, T] (DAU, WAU, MAU).',
    ['window'],
  ),
  activeUsersRecent: gauge(
    'saasmon_active_users_1h',
    'Distinct live users with at least one event in (T-1h, T], from raw events (the real-time figure).',
  ),
  eventsPerMinute: gauge(
    'saasmon_events_per_minute',
    'Events with occurred_at in (T-5m, T] divided by 5 (events of deleted users left out).',
  ),
  stickiness: gauge('saasmon_stickiness_ratio', 'DAU / MAU (1d over 30d active users); absent when MAU is 0.'),
  signups: gauge('saasmon_signups', 'Live users created in the rolling window (T-w, T].', ['window']),
  activation: gauge(
    'saasmon_activation_ratio',
    'Share of users created in [T-30d-N, T-N) activated within N days of sign-up (N = engagement.activationWindowDays); absent when none.',
  ),
  accountActivation: gauge(
    'saasmon_account_activation_ratio',
    'Share of tenants created in [T-30d-N, T-N) with a live user activated within N days of the tenant sign-up; absent when none.',
  ),
  retention: gauge(
    'saasmon_retention_ratio',
    'D_N retention: share of users who signed up on UTC days D-N-30..D-N-1 (D = day of T) with an event on their sign-up day + N; absent when the cohort is empty.',
    ['day'],
  ),
  viral: gauge(
    'saasmon_viral_coefficient',
    'Users created in (T-30d, T] with referred_by set, over users created at or before T-30d; absent when there are none.',
  ),
  featureAdoption: gauge(
    'saasmon_feature_adoption_ratio',
    'Share of tenants active in (T-30d, T] that had an event of this name in the window; features from engagement.adoptionFeatures or the top names.',
    ['feature'],
  ),
  nps: gauge('saasmon_nps_90d', 'Net promoter score (-100..100) of responses in (T-90d, T]; absent when none.'),
  supportTicketsOpen: gauge('saasmon_support_tickets_open', 'Support tickets not resolved (resolved_at is null), by priority.', [
    'priority',
  ]),
};

const windowLabel = (days: number) => `${days}d`;

/** With `latest`, each run's KPIs are kept there for the alignment collector. */
export function createEngagementCollector(latest?: LatestKpis): Collector {
  return {
    name: NAME,
    defaultIntervalSeconds: ENGAGEMENT_INTERVAL_SECONDS,
    metrics: Object.values(metrics),
    collect: (ctx) => collectEngagement(ctx, latest),
  };
}

export const engagementCollector = createEngagementCollector();

async function collectEngagement({ db, now, config }: CollectContext, latest?: LatestKpis): Promise<MetricFamily[]> {
  // One client, one transaction: queries run one after another.
  const active = await readActiveUsers(db, now);
  const signups = await readSignups(db, now);
  const recent = await readRecentActivity(db, now);
  const activation = await readCohortShare(db, SQL_USER_ACTIVATION, now, config);
  const accountActivation = await readCohortShare(db, SQL_ACCOUNT_ACTIVATION, now, config);
  const retention = await readRetention(db, now, RETENTION_DAYS);
  const viral = await readViralCoefficient(db, now);
  const adoption = await readFeatureAdoption(db, now, config);
  const nps = await readNps(db, now);
  const tickets = await readSupportTicketsOpen(db);
  latest?.engagement.record(now, {
    activationRate: activation,
    accountActivationRate: accountActivation,
    retentionD7: retention.get(7),
    retentionD30: retention.get(30),
    viralCoefficient: viral,
  });
  return [
    family(
      metrics.activeUsers,
      ACTIVITY_WINDOWS_DAYS.map((d) => ({ labels: { window: windowLabel(d) }, value: active.get(d) ?? 0 })),
    ),
    family(metrics.activeUsersRecent, recent.activeUsers1h),
    family(metrics.eventsPerMinute, recent.eventsPerMinute),
    family(metrics.stickiness, shareOf(active.get(1) ?? 0, active.get(30) ?? 0)),
    family(
      metrics.signups,
      ACTIVITY_WINDOWS_DAYS.map((d) => ({ labels: { window: windowLabel(d) }, value: signups.get(d) ?? 0 })),
    ),
    family(metrics.activation, activation),
    family(metrics.accountActivation, accountActivation),
    family(
      metrics.retention,
      [...retention].map(([n, value]) => ({ labels: { day: String(n) }, value })),
    ),
    family(metrics.viral, viral),
    family(
      metrics.featureAdoption,
      [...adoption].map(([feature, value]) => ({ labels: { feature }, value })),
    ),
    family(metrics.nps, netPromoterScore(nps)),
    family(
      metrics.supportTicketsOpen,
      tickets.map((t) => ({ labels: { priority: t.priority }, value: t.open })),
    ),
  ];
}
