/** The fixed vocabulary of the demo SaaS: plans and prices, segments, channels, features. */

export const PAID_PLANS = ['starter', 'business', 'enterprise'] as const;
export type PaidPlan = (typeof PAID_PLANS)[number];
export type Plan = 'free' | PaidPlan;

/** List price per month, in cents, for one "unit" (a seat pack); enterprise is negotiated around it. */
export const MONTHLY_LIST_CENTS: Record<PaidPlan, number> = { starter: 4_900, business: 19_900, enterprise: 99_000 };

/** Price per billing period relative to 12 or 3 monthly payments. */
export const INTERVAL_DISCOUNT: Record<number, number> = { 1: 1, 3: 0.95, 12: 0.83 };
export const INTERVAL_WEIGHTS = { '1': 70, '12': 22, '3': 8 } as const;

export type Segment = 'smb' | 'mid' | 'enterprise';
export const SEGMENT_WEIGHTS: Record<Segment, number> = { smb: 70, mid: 22, enterprise: 8 };
/** Relative headcount of a tenant by segment (before a log-normal spread). */
export const SEGMENT_USER_WEIGHT: Record<Segment, number> = { smb: 1, mid: 4, enterprise: 14 };
export const SEGMENT_PLAN_WEIGHTS: Record<Segment, Record<PaidPlan, number>> = {
  smb: { starter: 70, business: 26, enterprise: 4 },
  mid: { starter: 25, business: 60, enterprise: 15 },
  enterprise: { starter: 0, business: 30, enterprise: 70 },
};
/** Seat packs bought by segment: [min, max]. */
export const SEGMENT_UNITS: Record<Segment, [number, number]> = { smb: [1, 2], mid: [2, 5], enterprise: [3, 9] };
/** Monthly cancellation hazard of a paying tenant. */
/** About 2% a month blended (plus failed payments): a healthy SaaS, clear of the 7% customer-churn alert. */
export const SEGMENT_MONTHLY_CHURN: Record<Segment, number> = { smb: 0.026, mid: 0.015, enterprise: 0.006 };

export type Channel = 'organic' | 'paid' | 'referral' | 'partner';
export const CHANNEL_WEIGHTS: Record<Channel, number> = { organic: 40, paid: 30, referral: 15, partner: 15 };
/** Marketing cost of one new paying tenant, by channel, in cents (spend is derived from it). */
export const CHANNEL_CAC_CENTS: Record<Channel, number> = { organic: 40_000, paid: 260_000, referral: 60_000, partner: 140_000 };

export const REGION_WEIGHTS = { 'us-east': 38, 'us-west': 17, 'eu-west': 25, 'eu-central': 10, 'ap-southeast': 10 } as const;

export const CHURN_REASON_WEIGHTS = {
  price: 30,
  missing_feature: 22,
  switched_competitor: 18,
  business_closed: 12,
  poor_support: 8,
  no_longer_needed: 10,
} as const;

export const USER_ROLE_WEIGHTS = { admin: 12, member: 78, viewer: 10 } as const;

/** The event that marks activation (the first workflow), also the lift experiment's success event. */
export const ACTIVATION_EVENT = 'workflow.created';
/** The first event of every session. */
export const SESSION_EVENT = 'login';
/** Tenant-level event with no user (background sync). */
export const SYSTEM_EVENT = 'integration.synced';

/** Feature events inside a session, with relative frequency and the lowest plan that has the feature. */
export const FEATURES: ReadonlyArray<{ name: string; weight: number; minPlan?: PaidPlan }> = [
  { name: 'dashboard.viewed', weight: 30 },
  { name: 'search.performed', weight: 14 },
  { name: 'report.created', weight: 9 },
  { name: 'report.exported', weight: 6 },
  { name: 'workflow.created', weight: 4 },
  { name: 'workflow.run', weight: 12 },
  { name: 'comment.added', weight: 8 },
  { name: 'file.uploaded', weight: 6 },
  { name: 'notification.clicked', weight: 7 },
  { name: 'template.used', weight: 4 },
  { name: 'invite.sent', weight: 1.5 },
  { name: 'integration.connected', weight: 0.8 },
  { name: 'alert.configured', weight: 1.5 },
  { name: 'settings.updated', weight: 2 },
  { name: 'billing.viewed', weight: 0.8 },
  { name: 'api.called', weight: 6, minPlan: 'business' },
  { name: 'export.scheduled', weight: 1.5, minPlan: 'business' },
  { name: 'audit_log.viewed', weight: 1, minPlan: 'business' },
  { name: 'sso.configured', weight: 0.3, minPlan: 'enterprise' },
];

export const PLAN_RANK: Record<Plan, number> = { free: 0, starter: 1, business: 2, enterprise: 3 };
/** Daily activity multiplier of a tenant's users by plan. */
export const PLAN_ENGAGEMENT: Record<Plan, number> = { free: 0.75, starter: 0.92, business: 1, enterprise: 1.12 };

export const NPS_COMMENTS = [
  'Love the workflows',
  'Reports are slow to export',
  'Great support team',
  'Missing an integration we need',
  'Too expensive for a small team',
  'Dashboards are very clear',
  'Search could be better',
];

export const INCIDENT_TITLES = [
  'Elevated API latency',
  'Report exports failing',
  'Login errors for some tenants',
  'Delayed notifications',
  'Workflow runs stuck in queue',
  'Search index lagging',
  'Dashboard timeouts',
];
export const SERVICES = ['api', 'web', 'workers', 'search', 'db', 'auth', 'notifications'];
export const BACKUP_LOCATIONS = ['us-east-1', 'eu-west-1'];
