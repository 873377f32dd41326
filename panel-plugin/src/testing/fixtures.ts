import { createDataFrame, DataFrame, FieldType, ThresholdsMode } from '@grafana/data';

/**
 * Frames shaped like what the panels receive in saasmon's dashboards: Prometheus series for the
 * alignment metrics, and the datasource's tables (tenant_health, feature_adoption, dr_status).
 * Numbers follow docs/metrics.md so that the expected figures can be worked out by hand.
 */

const HOUR = 3600_000;
export const T_END = Date.UTC(2025, 5, 30, 12);

/** KPI value, target, weight and score (score = 100 * clamp(value/target), churn inverted). */
export const KPIS = [
  { kpi: 'd7_retention', value: 0.19, target: 0.25, weight: 0.2, score: 76 },
  { kpi: 'activation_rate', value: 0.36, target: 0.4, weight: 0.15, score: 90 },
  { kpi: 'd30_retention', value: 0.16, target: 0.15, weight: 0.15, score: 100 },
  { kpi: 'ltv_cac', value: 2.6, target: 4, weight: 0.15, score: 65 },
  { kpi: 'account_activation_rate', value: 0.48, target: 0.6, weight: 0.1, score: 80 },
  { kpi: 'mrr_growth_30d', value: 0.06, target: 0.15, weight: 0.1, score: 40 },
  { kpi: 'customer_churn_30d', value: 0.04, target: 0.05, weight: 0.1, score: 100 },
  { kpi: 'viral_coefficient', value: 0.2, target: 0.5, weight: 0.05, score: 40 },
] as const;

/** Sum of weight * score over KPIS (weights sum to 1). */
export const KPI_SCORE = 77.45;

function promSeries(metric: string, labels: Record<string, string>, times: number[], values: number[], refId = 'A'): DataFrame {
  return createDataFrame({
    refId,
    fields: [
      { name: 'Time', type: FieldType.time, values: times, config: {} },
      {
        name: 'Value',
        type: FieldType.number,
        values,
        config: {},
        labels: { __name__: metric, instance: 'exporter:9471', job: 'saasmon', ...labels },
      },
    ],
  });
}

/** A range query of the score (7 days hourly, rising to KPI_SCORE) and instant queries of the KPI parts. */
export function alignmentSeriesFrames(opts: { scorePoints?: number } = {}): DataFrame[] {
  const n = opts.scorePoints ?? 7 * 24;
  const times = Array.from({ length: n }, (_, i) => T_END - (n - 1 - i) * HOUR);
  const scores = times.map((_, i) => (n === 1 ? KPI_SCORE : 70 + ((KPI_SCORE - 70) * i) / (n - 1) + 0.8 * Math.sin(i / 9)));
  scores[n - 1] = KPI_SCORE;
  const frames = [promSeries('saasmon_alignment_score', {}, times, scores)];
  for (const k of KPIS) {
    for (const part of ['value', 'target', 'weight', 'score'] as const) {
      frames.push(promSeries(`saasmon_alignment_kpi_${part}`, { kpi: k.kpi }, [T_END], [k[part]], 'B'));
    }
  }
  return frames;
}

/** The KPI parts as Prometheus instant queries in table format (Time, labels..., Value #refId). */
export function alignmentPromTableFrames(): DataFrame[] {
  return (['value', 'target', 'weight', 'score'] as const).map((part, i) => {
    const refId = String.fromCharCode(66 + i);
    return createDataFrame({
      refId,
      fields: [
        { name: 'Time', type: FieldType.time, values: KPIS.map(() => T_END) },
        { name: '__name__', type: FieldType.string, values: KPIS.map(() => `saasmon_alignment_kpi_${part}`) },
        { name: 'job', type: FieldType.string, values: KPIS.map(() => 'saasmon') },
        { name: 'kpi', type: FieldType.string, values: KPIS.map((k) => k.kpi) },
        { name: `Value #${refId}`, type: FieldType.number, values: KPIS.map((k) => k[part]) },
      ],
    });
  });
}

/** One row per KPI, as a table query would return it. */
export function alignmentTableFrame(
  rows: ReadonlyArray<{ kpi: string; value: number | null; target: number; weight: number; score: number | null }> = KPIS,
): DataFrame {
  return createDataFrame({
    name: 'alignment',
    fields: [
      { name: 'kpi', type: FieldType.string, values: rows.map((r) => r.kpi) },
      { name: 'value', type: FieldType.number, values: rows.map((r) => r.value) },
      { name: 'target', type: FieldType.number, values: rows.map((r) => r.target) },
      { name: 'weight', type: FieldType.number, values: rows.map((r) => r.weight) },
      { name: 'score', type: FieldType.number, values: rows.map((r) => r.score) },
    ],
  });
}

export interface TenantRow {
  tenant: string;
  name: string;
  plan: string;
  activity: number;
  adoption: number;
  payment: number;
  support: number | null;
}

const TENANTS: TenantRow[] = [
  { tenant: 't-acme', name: 'Acme Corp', plan: 'enterprise', activity: 92, adoption: 81, payment: 100, support: 75 },
  { tenant: 't-globex', name: 'Globex', plan: 'pro', activity: 35, adoption: 40, payment: 0, support: 50 },
  { tenant: 't-initech', name: 'Initech', plan: 'pro', activity: 64, adoption: 55, payment: 100, support: 100 },
  { tenant: 't-umbrella', name: 'Umbrella', plan: 'enterprise', activity: 12, adoption: 20, payment: 100, support: 25 },
  { tenant: 't-hooli', name: 'Hooli', plan: 'free', activity: 78, adoption: 66, payment: 100, support: null },
  { tenant: 't-stark', name: 'Stark Industries', plan: 'enterprise', activity: 88, adoption: 92, payment: 100, support: 90 },
  { tenant: 't-wayne', name: 'Wayne Enterprises', plan: 'pro', activity: 51, adoption: 47, payment: 100, support: 65 },
  { tenant: 't-wonka', name: 'Wonka', plan: 'free', activity: 22, adoption: 30, payment: 100, support: 100 },
  { tenant: 't-cyberdyne', name: 'Cyberdyne', plan: 'pro', activity: 70, adoption: 35, payment: 0, support: 40 },
  { tenant: 't-soylent', name: 'Soylent', plan: 'free', activity: 45, adoption: 58, payment: 100, support: 85 },
];

/** Weighted health score of docs/metrics.md (0.40 / 0.20 / 0.25 / 0.15), a missing component renormalised. */
export function healthScore(t: TenantRow): number {
  const parts: Array<[number | null, number]> = [
    [t.activity, 0.4],
    [t.adoption, 0.2],
    [t.payment, 0.25],
    [t.support, 0.15],
  ];
  const present = parts.filter((p): p is [number, number] => p[0] !== null);
  const total = present.reduce((s, [, w]) => s + w, 0);
  return Math.round(present.reduce((s, [v, w]) => s + v * w, 0) / total);
}

function riskOf(score: number): string {
  return score >= 75 ? 'healthy' : score >= 50 ? 'watch' : score >= 25 ? 'at_risk' : 'critical';
}

/** The datasource's tenant_health answer: one row per tenant (wide form), lowest score first. */
export function tenantHealthFrame(tenants: TenantRow[] = TENANTS): DataFrame {
  const rows = [...tenants].sort((a, b) => healthScore(a) - healthScore(b));
  return createDataFrame({
    name: 'tenant_health',
    refId: 'A',
    fields: [
      { name: 'tenant', type: FieldType.string, values: rows.map((t) => t.tenant) },
      { name: 'name', type: FieldType.string, values: rows.map((t) => t.name) },
      { name: 'plan', type: FieldType.string, values: rows.map((t) => t.plan) },
      { name: 'score', type: FieldType.number, values: rows.map(healthScore) },
      { name: 'activity', type: FieldType.number, values: rows.map((t) => t.activity) },
      { name: 'adoption', type: FieldType.number, values: rows.map((t) => t.adoption) },
      { name: 'payment', type: FieldType.number, values: rows.map((t) => t.payment) },
      { name: 'support', type: FieldType.number, values: rows.map((t) => t.support) },
      { name: 'risk', type: FieldType.string, values: rows.map((t) => riskOf(healthScore(t))) },
      { name: 'last_activity', type: FieldType.time, values: rows.map((_, i) => T_END - i * 26 * HOUR) },
    ],
  });
}

/** Many tenants for the paging and 2,000-cell cases: deterministic pseudo-random components. */
export function manyTenants(count: number): TenantRow[] {
  let seed = 7;
  const next = () => {
    seed = (seed * 48271) % 2147483647;
    return seed / 2147483647;
  };
  return Array.from({ length: count }, (_, i) => ({
    tenant: `t-${String(i + 1).padStart(4, '0')}`,
    name: `Tenant ${String(i + 1).padStart(4, '0')}`,
    plan: ['free', 'pro', 'enterprise'][i % 3],
    activity: Math.round(next() * 100),
    adoption: Math.round(next() * 100),
    payment: next() < 0.1 ? 0 : 100,
    support: next() < 0.05 ? null : Math.round(40 + next() * 60),
  }));
}

/** A wide frame of rows x columns numbers 0-100 (the 2,000-cell case is 100 x 20). */
export function wideNumbersFrame(rows: number, columns: number): DataFrame {
  let seed = 11;
  const next = () => {
    seed = (seed * 48271) % 2147483647;
    return seed / 2147483647;
  };
  return createDataFrame({
    name: 'services',
    fields: [
      { name: 'service', type: FieldType.string, values: Array.from({ length: rows }, (_, i) => `svc-${String(i + 1).padStart(3, '0')}`) },
      ...Array.from({ length: columns }, (_, c) => ({
        name: `check-${String(c + 1).padStart(2, '0')}`,
        type: FieldType.number,
        values: Array.from({ length: rows }, () => Math.round(next() * 100)),
      })),
    ],
  });
}

/** The datasource's feature_adoption answer: features x plans, long form, adoption as a 0..1 ratio. */
export function featureAdoptionFrame(): DataFrame {
  const features = ['alerts', 'api', 'dashboards', 'exports', 'reports', 'sso'];
  const plans = ['all', 'enterprise', 'free', 'pro'];
  const active: Record<string, number> = { all: 120, enterprise: 20, free: 60, pro: 40 };
  const rows: Array<{ feature: string; plan: string; using: number }> = [];
  features.forEach((feature, fi) => {
    const byPlan = { enterprise: 18 - fi * 2, free: Math.max(0, 45 - fi * 9), pro: 34 - fi * 4 };
    for (const plan of plans) {
      const using = plan === 'all' ? byPlan.enterprise + byPlan.free + byPlan.pro : byPlan[plan as keyof typeof byPlan];
      rows.push({ feature, plan, using });
    }
  });
  return createDataFrame({
    name: 'feature_adoption',
    refId: 'A',
    fields: [
      { name: 'feature', type: FieldType.string, values: rows.map((r) => r.feature) },
      { name: 'plan', type: FieldType.string, values: rows.map((r) => r.plan) },
      {
        name: 'adoption',
        type: FieldType.number,
        values: rows.map((r) => r.using / active[r.plan]),
        config: { unit: 'percentunit', min: 0, max: 1 },
      },
      { name: 'tenants_using', type: FieldType.number, values: rows.map((r) => r.using) },
      { name: 'active_tenants', type: FieldType.number, values: rows.map((r) => active[r.plan]) },
    ],
  });
}

/** Field config for adoption ratios: thresholds in percent of 0..1. */
export const ADOPTION_FIELD_CONFIG = {
  defaults: {
    decimals: 0,
    thresholds: {
      mode: ThresholdsMode.Percentage,
      steps: [
        { value: -Infinity, color: 'red' },
        { value: 25, color: 'orange' },
        { value: 50, color: 'yellow' },
        { value: 75, color: 'green' },
      ],
    },
  },
};

/** The datasource's dr_status answer: check x location, state ok / warn / fail, value in seconds. */
export function drStatusFrame(): DataFrame {
  const rows: Array<[string, string, string, number | null]> = [
    ['last full backup age', 'us-east-1', 'ok', 3 * 3600],
    ['last full backup age', 'eu-west-1', 'ok', 5 * 3600],
    ['last full backup age', 's3://dr-bucket', 'warn', 30 * 3600],
    ['wal archive lag', 'us-east-1', 'ok', 40],
    ['wal archive lag', 'eu-west-1', 'fail', 5400],
    ['wal archive lag', 's3://dr-bucket', 'ok', 65],
    ['last verified restore', 'us-east-1', 'warn', 9 * 86400],
    ['last verified restore', 'eu-west-1', 'ok', 2 * 86400],
    ['replication lag', 'us-east-1', 'ok', 2],
    ['replication lag', 'eu-west-1', 'ok', 4],
    ['rto drill', 'us-east-1', 'fail', null],
  ];
  return createDataFrame({
    name: 'dr_status',
    refId: 'A',
    fields: [
      { name: 'check', type: FieldType.string, values: rows.map((r) => r[0]) },
      { name: 'location', type: FieldType.string, values: rows.map((r) => r[1]) },
      { name: 'state', type: FieldType.string, values: rows.map((r) => r[2]) },
      { name: 'value', type: FieldType.number, values: rows.map((r) => r[3]), config: { unit: 's' } },
    ],
  });
}

/** Prometheus series of an error ratio per service and region (services x regions). */
export function serviceRegionSeries(): DataFrame[] {
  const services = ['api', 'auth', 'billing', 'ingest', 'web'];
  const regions = ['eu-west-1', 'us-east-1', 'ap-south-1'];
  const frames: DataFrame[] = [];
  services.forEach((service, si) =>
    regions.forEach((region, ri) => {
      const ratio = ((si * 3 + ri * 7) % 11) / 1000;
      frames.push(promSeries('service:http_errors:ratio_rate5m', { service, region }, [T_END - HOUR, T_END], [ratio * 0.9, ratio]));
    }),
  );
  return frames;
}

/** Data links per cell: drill down to the tenant dashboard with the tenant as a variable. */
export const TENANT_LINK = {
  title: 'Tenant ${__data.fields.name}',
  url: '/d/saasmon-tenant?var-tenant=${__data.fields.tenant}',
};

/**
 * Platform health as the Platform dashboard's recording rules give it: utilisation (0..1, lower is
 * better) per host of CPU, memory, disk, GPU and database connections; null where a host has no GPU.
 */
export function platformHealthFrame(): DataFrame {
  const rows: Array<[string, number, number, number, number | null, number | null]> = [
    ['api-1', 0.42, 0.61, 0.55, null, null],
    ['api-2', 0.86, 0.64, 0.57, null, null],
    ['worker-1', 0.71, 0.93, 0.66, null, null],
    ['db-1', 0.38, 0.72, 0.88, null, 0.83],
    ['gpu-1', 0.55, 0.58, 0.41, 0.94, null],
    ['gpu-2', 0.47, 0.52, 0.39, 0.62, null],
  ];
  return createDataFrame({
    name: 'platform_health',
    refId: 'A',
    fields: [
      { name: 'host', type: FieldType.string, values: rows.map((r) => r[0]) },
      { name: 'CPU', type: FieldType.number, values: rows.map((r) => r[1]) },
      { name: 'memory', type: FieldType.number, values: rows.map((r) => r[2]) },
      { name: 'disk', type: FieldType.number, values: rows.map((r) => r[3]) },
      { name: 'GPU', type: FieldType.number, values: rows.map((r) => r[4]) },
      { name: 'DB connections', type: FieldType.number, values: rows.map((r) => r[5]) },
    ],
  });
}

const AI_COLUMNS = ['success (24h)', 'p95 latency (1h)', 'cost / request (24h)', 'acceptance (30d)'] as const;

/**
 * The AI Performance dashboard's "Models at a glance" matrix: the four instant Prometheus tables
 * (saasmon_ai_success_24h_ratio, saasmon_ai_latency_1h_seconds{percentile="p95"},
 * saasmon_ai_cost_per_request_24h, saasmon_ai_acceptance_30d_ratio) after the panel's merge and
 * organize transformations, for the demo's four models. Latency and cost: lower is better.
 */
export function aiModelsFrame(): DataFrame {
  const rows: Array<[string, number, number, number, number]> = [
    ['gpt-4o', 0.991, 3.1, 0.0142, 0.64],
    ['gpt-4o-mini', 0.997, 1.2, 0.0009, 0.52],
    ['claude-sonnet', 0.962, 6.8, 0.0315, 0.71],
    ['local-7b', 0.874, 0.9, 0, 0.27],
  ];
  return createDataFrame({
    name: 'ai_models',
    refId: 'A',
    fields: [
      { name: 'model', type: FieldType.string, values: rows.map((r) => r[0]) },
      { name: AI_COLUMNS[0], type: FieldType.number, values: rows.map((r) => r[1]) },
      { name: AI_COLUMNS[1], type: FieldType.number, values: rows.map((r) => r[2]) },
      { name: AI_COLUMNS[2], type: FieldType.number, values: rows.map((r) => r[3]) },
      { name: AI_COLUMNS[3], type: FieldType.number, values: rows.map((r) => r[4]) },
    ],
  });
}

/** Each column its unit and thresholds, as the dashboard's overrides set them. */
const aiColumn = (name: string, unit: string, decimals: number, colors: [string, string, string], at: [number, number]) => ({
  matcher: { id: 'byName', options: name },
  properties: [
    { id: 'unit', value: unit },
    { id: 'decimals', value: decimals },
    {
      id: 'thresholds',
      value: {
        mode: ThresholdsMode.Absolute,
        steps: [
          { value: -Infinity, color: colors[0] },
          { value: at[0], color: colors[1] },
          { value: at[1], color: colors[2] },
        ],
      },
    },
  ],
});

export const AI_MODELS_FIELD_CONFIG = {
  defaults: {},
  overrides: [
    aiColumn(AI_COLUMNS[0], 'percentunit', 1, ['red', 'yellow', 'green'], [0.8, 0.95]),
    aiColumn(AI_COLUMNS[1], 's', 2, ['green', 'yellow', 'red'], [2, 5]),
    aiColumn(AI_COLUMNS[2], 'none', 4, ['green', 'yellow', 'red'], [0.02, 0.05]),
    aiColumn(AI_COLUMNS[3], 'percentunit', 0, ['red', 'yellow', 'green'], [0.3, 0.6]),
  ],
};
