import { spawnSync } from 'node:child_process';
import { SCALE_PROFILES } from '../demo/scales';
import { writeFileSync } from 'node:fs';
import { loadDemoData } from '../demo';
import { RunningService } from '../service';
import { metricCatalog } from './catalog';
import { createTestSchema, TestSchema } from '../testing/db';
import { startTestService } from '../testing/service';

// The public metric names (alert rules and dashboards depend on them) over S demo data, every
// collector on, and `promtool check metrics` clean on the saasmon_ families.

const T = new Date('2026-06-15T12:00:00Z');

/** Families that demo data must always produce (issue 2's catalog and the additions since). */
const PUBLIC_FAMILIES = [
  'saasmon_mrr',
  'saasmon_arr',
  'saasmon_mrr_by_plan',
  'saasmon_paying_customers',
  'saasmon_arpa',
  'saasmon_mrr_movement_30d',
  'saasmon_mrr_growth_30d_ratio',
  'saasmon_customer_churn_30d_ratio',
  'saasmon_gross_mrr_churn_30d_ratio',
  'saasmon_net_mrr_churn_30d_ratio',
  'saasmon_net_revenue_retention_12m_ratio',
  'saasmon_gross_revenue_retention_12m_ratio',
  'saasmon_quick_ratio_30d',
  'saasmon_ltv',
  'saasmon_cac',
  'saasmon_cac_blended',
  'saasmon_ltv_cac',
  'saasmon_active_users',
  'saasmon_stickiness_ratio',
  'saasmon_signups',
  'saasmon_activation_ratio',
  'saasmon_account_activation_ratio',
  'saasmon_retention_ratio',
  'saasmon_viral_coefficient',
  'saasmon_feature_adoption_ratio',
  'saasmon_nps_90d',
  'saasmon_support_tickets_open',
  'saasmon_tenant_health_score',
  'saasmon_tenants_by_risk',
  'saasmon_alignment_score',
  'saasmon_alignment_status',
  'saasmon_alignment_kpi_score',
  'saasmon_alignment_kpi_value',
  'saasmon_alignment_kpi_target',
  'saasmon_alignment_kpi_weight',
  'saasmon_backup_last_success_timestamp_seconds',
  'saasmon_backup_last_verified_timestamp_seconds',
  'saasmon_backup_failed_24h',
  'saasmon_dr_rpo_exposure_seconds',
  'saasmon_dr_rpo_target_seconds',
  'saasmon_dr_rto_target_seconds',
  'saasmon_dr_test_cadence_seconds',
  'saasmon_dr_rpo_compliant',
  'saasmon_dr_rto_ready',
  'saasmon_dr_last_test_timestamp_seconds',
  'saasmon_dr_last_test_passed',
  'saasmon_dr_last_test_recovery_seconds',
  'saasmon_incidents_open',
  'saasmon_incident_mttr_30d_seconds',
  'saasmon_release_last_timestamp_seconds',
  'saasmon_rollbacks_30d',
  'saasmon_data_quality_check_passed',
  'saasmon_data_quality_violations',
  'saasmon_data_quality_score',
  'saasmon_data_newest_event_timestamp_seconds',
  'saasmon_up',
  'saasmon_collector_success',
  'saasmon_collector_duration_seconds',
  'saasmon_collector_last_success_timestamp_seconds',
  'saasmon_build_info',
  'saasmon_rollup_compaction_success',
  'saasmon_rollup_deltas_folded_total',
];

let db: TestSchema;
let svc: RunningService;
let text: string;
let openMetrics: string;

beforeAll(async () => {
  db = await createTestSchema('lint');
  await loadDemoData(db.url, db.schema, { scale: 'S', now: T });
  svc = await startTestService(db, { collectors: {} }, () => T);
  await svc.scheduler.runAll();
  // OpenMetrics first: a render that renamed anything in place would show in the text scrape after it.
  openMetrics = await (await fetch(`${svc.url}/metrics`, { headers: { accept: 'application/openmetrics-text; version=1.0.0' } })).text();
  text = await (await fetch(`${svc.url}/metrics`)).text();
}, 120_000);
afterAll(async () => {
  await svc?.close();
  await db?.close();
});

// SAASMON_DUMP_METRICS=file keeps the exposition for a look by eye.
afterAll(() => {
  if (process.env.SAASMON_DUMP_METRICS) writeFileSync(process.env.SAASMON_DUMP_METRICS, text);
});

it('exports every public family, each collector succeeding on demo data', () => {
  const families = new Set(
    text
      .split('\n')
      .filter((l) => l.startsWith('# TYPE '))
      .map((l) => l.split(' ')[2]),
  );
  expect(PUBLIC_FAMILIES.filter((f) => !families.has(f))).toEqual([]);
  expect(text).not.toMatch(/saasmon_collector_success\{collector="[a-z_]+"\} 0/);
  // No NaN anywhere: undefined values are absent.
  expect(text).not.toMatch(/ NaN$/m);
});

it('exports only families of the metric catalog, with its type and help', () => {
  const catalog = new Map(metricCatalog().map((e) => [e.name, e]));
  const typeLines = text.split('\n').filter((l) => /^# TYPE saasmon_/.test(l));
  expect(typeLines.length).toBeGreaterThan(50);
  expect(
    typeLines.filter((l) => {
      const [, , name, type] = l.split(' ');
      return catalog.get(name as string)?.type !== type;
    }),
  ).toEqual([]);
  const helpLines = text.split('\n').filter((l) => /^# HELP saasmon_/.test(l));
  expect(
    helpLines.filter((l) => {
      const name = l.split(' ')[2] as string;
      return l !== `# HELP ${name} ${catalog.get(name)?.help}`;
    }),
  ).toEqual([]);
});

it('passes `promtool check metrics` on the whole output, scraped after an OpenMetrics scrape', () => {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (r.error) throw new Error(`promtool not found (apt-get install prometheus): ${r.error.message}`);
  expect(`${r.stdout}${r.stderr}`.trim()).toBe('');
  expect(r.status).toBe(0);
});

it('keeps the counters _total in the text format after an OpenMetrics scrape', () => {
  expect(text).toContain('# TYPE saasmon_rollup_deltas_folded_total counter');
  expect(text).toContain('# TYPE saasmon_tenant_health_series_dropped_total counter');
  expect(text).not.toMatch(/^# TYPE \S+(?<!_total) counter$/m);
});

it('gives every OpenMetrics family one name (a gauge X and a counter X_total would be one family)', () => {
  const names = openMetrics
    .split('\n')
    .filter((l) => l.startsWith('# TYPE '))
    .map((l) => l.split(' ')[2]);
  expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
});

it('serves OpenMetrics when asked, ending in # EOF once', () => {
  expect(openMetrics.trimEnd().endsWith('# EOF')).toBe(true);
  expect(openMetrics.match(/# EOF/g)).toHaveLength(1);
  expect(openMetrics).toContain('# TYPE saasmon_rollup_deltas_folded counter');
});

it('keeps cardinality bounded on demo data', () => {
  const samples = text.split('\n').filter((l) => l.startsWith('saasmon_'));
  expect(samples.length).toBeLessThan(1_000);
  const perFamily = new Map<string, number>();
  for (const l of samples) {
    const name = l.split(/[{ ]/)[0] as string;
    perFamily.set(name, (perFamily.get(name) ?? 0) + 1);
  }
  // The only per-tenant family is the health score (capped by tenantHealth.maxSeries): at most one
  // series per demo tenant.
  expect(perFamily.get('saasmon_tenant_health_score')).toBeLessThanOrEqual(SCALE_PROFILES.S.tenants);
});
