import { dashboard, prom, promVariable, RELEASE_AND_INCIDENT_ANNOTATIONS, row, stat, thresholds, timeseries, UID } from '../grafana';
import { errorRatio, HTTP, jobVariable, latencyQuantile } from './common';

const RATE = '$__rate_interval';

/**
 * Platform health from the exporters people already run: the application's standard HTTP metrics,
 * node_exporter, postgres_exporter, redis_exporter and the NVIDIA DCGM exporter, each selected by a
 * job variable (so the dashboard works whatever the scrape jobs are called). Thresholds are the
 * founder playbook's (error rate 1%, p99 500 ms, CPU 80%, GPU 90%), as in alert-rules/config.yml.
 * Availability and error budget come from the SLO recording rules of alert-rules/platform.rules.yml.
 */
const exporterJob = (name: string, label: string, metric: string) =>
  promVariable(name, label, `label_values(${metric}, job)`, { multi: true, includeAll: true, allValue: '.+' });

const NODE = 'job=~"$node_job"';
const PG = 'job=~"$postgres_job"';
const REDIS = 'job=~"$redis_job"';
const DCGM = 'job=~"$dcgm_job"';
const ERROR_BANDS = thresholds('green', [0.005, 'yellow'], [0.01, 'red']);
const LATENCY_BANDS = thresholds('green', [0.2, 'yellow'], [0.5, 'red']);
const UTILISATION = (red: number) => thresholds('green', [red - 0.1, 'yellow'], [red, 'red']);

export const platformDashboard = dashboard({
  uid: UID.platform,
  title: 'saasmon / Platform',
  description:
    'API health (requests, errors, latency, availability, error budget) and the infrastructure under it: CPU, memory, disk, database connections, cache hit ratio, GPU.',
  tags: ['platform', 'operations'],
  time: { from: 'now-6h', to: 'now' },
  refresh: '30s',
  annotations: RELEASE_AND_INCIDENT_ANNOTATIONS,
  variables: [
    jobVariable(),
    exporterJob('node_job', 'node_exporter job', 'node_cpu_seconds_total'),
    exporterJob('postgres_job', 'postgres_exporter job', 'pg_settings_max_connections'),
    exporterJob('redis_job', 'redis_exporter job', 'redis_keyspace_hits_total'),
    exporterJob('dcgm_job', 'DCGM exporter job', 'DCGM_FI_DEV_GPU_UTIL'),
  ],
  items: [
    row('API health ($job)'),
    stat('Requests per minute', [prom(`sum(rate(http_requests_total{${HTTP}}[5m])) * 60`)], {
      unit: 'short',
      decimals: 0,
      thresholds: thresholds('blue'),
      w: 4,
    }),
    stat('Error rate (1h)', [prom(errorRatio('1h'))], {
      unit: 'percentunit',
      decimals: 2,
      thresholds: ERROR_BANDS,
      noValue: 'no HTTP metrics',
      w: 4,
    }),
    stat('p99 latency (1h)', [prom(latencyQuantile(0.99, '1h'))], { unit: 's', decimals: 3, thresholds: LATENCY_BANDS, w: 4 }),
    stat('Availability (30d)', [prom('min(job:slo_availability:ratio_rate30d{job=~"$job"})')], {
      unit: 'percentunit',
      decimals: 3,
      thresholds: thresholds('red', [0.995, 'yellow'], [0.999, 'green']),
      description: 'Requests not answered with an error over 30 days (recording rule of alert-rules/platform.rules.yml).',
      w: 4,
    }),
    stat('Error budget remaining (30d)', [prom('min(job:slo_error_budget_remaining:ratio_rate30d{job=~"$job"})')], {
      unit: 'percentunit',
      decimals: 1,
      thresholds: thresholds('red', [0, 'yellow'], [0.5, 'green']),
      description: 'Share of the 30-day error budget (1 - SLO objective) not yet spent; negative when overspent.',
      w: 4,
    }),
    stat('Uptime (30d)', [prom('min(job:up:avg_over_time30d{job=~"$job"})')], {
      unit: 'percentunit',
      decimals: 3,
      thresholds: thresholds('red', [0.995, 'yellow'], [0.999, 'green']),
      description: 'Share of scrapes that found the application up over 30 days.',
      w: 4,
    }),
    timeseries('Requests per minute by code', [prom(`sum by (code) (rate(http_requests_total{${HTTP}}[${RATE}])) * 60`, '{{code}}')], {
      unit: 'short',
      stack: true,
      w: 8,
    }),
    timeseries('Error rate', [prom(errorRatio(RATE), 'error rate')], {
      unit: 'percentunit',
      decimals: 2,
      min: 0,
      thresholds: ERROR_BANDS,
      thresholdLine: true,
      w: 8,
    }),
    timeseries(
      'Latency p50 / p95 / p99',
      [prom(latencyQuantile(0.5, RATE), 'p50'), prom(latencyQuantile(0.95, RATE), 'p95'), prom(latencyQuantile(0.99, RATE), 'p99')],
      { unit: 's', decimals: 3, thresholds: LATENCY_BANDS, thresholdLine: true, w: 8 },
    ),
    row('Hosts (node_exporter)'),
    timeseries(
      'CPU utilisation',
      [prom(`1 - avg by (instance) (rate(node_cpu_seconds_total{${NODE}, mode="idle"}[${RATE}]))`, '{{instance}}')],
      {
        unit: 'percentunit',
        min: 0,
        max: 1,
        thresholds: UTILISATION(0.8),
        thresholdLine: true,
        w: 8,
      },
    ),
    timeseries(
      'Memory utilisation',
      [prom(`1 - node_memory_MemAvailable_bytes{${NODE}} / node_memory_MemTotal_bytes{${NODE}}`, '{{instance}}')],
      {
        unit: 'percentunit',
        min: 0,
        max: 1,
        thresholds: UTILISATION(0.9),
        thresholdLine: true,
        w: 8,
      },
    ),
    timeseries(
      'Disk usage',
      [
        prom(
          `1 - node_filesystem_avail_bytes{${NODE}, fstype!~"tmpfs|overlay|squashfs|ramfs|devtmpfs|nsfs"} / node_filesystem_size_bytes{${NODE}, fstype!~"tmpfs|overlay|squashfs|ramfs|devtmpfs|nsfs"}`,
          '{{instance}} {{mountpoint}}',
        ),
      ],
      { unit: 'percentunit', min: 0, max: 1, thresholds: UTILISATION(0.85), thresholdLine: true, w: 8 },
    ),
    row('Database and cache'),
    timeseries(
      'DB connections in use (of max_connections)',
      [
        prom(
          `sum by (instance) (pg_stat_activity_count{${PG}}) / on(instance) max by (instance) (pg_settings_max_connections{${PG}})`,
          '{{instance}}',
        ),
      ],
      { unit: 'percentunit', min: 0, max: 1, thresholds: UTILISATION(0.8), thresholdLine: true, w: 8 },
    ),
    timeseries('DB connections by state', [prom(`sum by (state) (pg_stat_activity_count{${PG}})`, '{{state}}')], {
      unit: 'short',
      decimals: 0,
      stack: true,
      w: 8,
    }),
    timeseries(
      'Cache hit ratio',
      [
        prom(
          `sum by (instance) (rate(redis_keyspace_hits_total{${REDIS}}[${RATE}])) / (sum by (instance) (rate(redis_keyspace_hits_total{${REDIS}}[${RATE}])) + sum by (instance) (rate(redis_keyspace_misses_total{${REDIS}}[${RATE}])))`,
          '{{instance}}',
        ),
      ],
      { unit: 'percentunit', min: 0, max: 1, thresholds: thresholds('red', [0.8, 'green']), thresholdLine: true, w: 8 },
    ),
    row('GPU (DCGM)'),
    timeseries('GPU utilisation', [prom(`DCGM_FI_DEV_GPU_UTIL{${DCGM}} / 100`, '{{instance}} GPU {{gpu}}')], {
      unit: 'percentunit',
      min: 0,
      max: 1,
      thresholds: UTILISATION(0.9),
      thresholdLine: true,
      w: 12,
    }),
    timeseries(
      'GPU memory used',
      [prom(`DCGM_FI_DEV_FB_USED{${DCGM}} / (DCGM_FI_DEV_FB_USED{${DCGM}} + DCGM_FI_DEV_FB_FREE{${DCGM}})`, '{{instance}} GPU {{gpu}}')],
      {
        unit: 'percentunit',
        min: 0,
        max: 1,
        w: 12,
      },
    ),
  ],
});
