// Infrastructure under the application (infrastructure.rules.yml), from the exporters people already
// run: node_exporter (CPU, memory, disk), postgres_exporter (connections), redis_exporter (cache hit
// ratio) and NVIDIA DCGM exporter (GPU utilisation). Selectors: config selectors.node/postgres/redis/dcgm.
import { counterValues, gaugeValues, pct, select, selectorLabels, seriesText } from './lib.mjs';

const HOST = { instance: 'host-1:9100' };
const FS = { device: '/dev/sda1', fstype: 'ext4', mountpoint: '/' };
const GPU = { gpu: '0', UUID: 'GPU-0000', modelName: 'NVIDIA A100' };

const total = (phases) => phases.reduce((s, [, n]) => s + n, 0);

export const infrastructure = {
  file: 'infrastructure.rules.yml',
  header: `Infrastructure under the application, from the standard series of node_exporter, postgres_exporter,
redis_exporter and the NVIDIA DCGM exporter (selectors: config selectors.node, .postgres, .redis,
.dcgm; thresholds: alerts.SaasPlatform*; defaults from the founder playbook: CPU 80%, GPU 90%).
Utilisation is recorded as a 0-1 ratio per instance (per mountpoint, per GPU) for the dashboards;
only a filling disk and an exhausted connection pool page (critical), the rest is a warning.`,
  groupName: 'saasmon-infrastructure',
  ruleFiles: ['infrastructure.rules.yml'],
  groups(cfg) {
    const s = cfg.selectors;
    const fs = `fstype!~"${cfg.node.excluded_fstypes}"`;
    return [
      {
        name: 'saasmon-infrastructure',
        rules: [
          {
            record: 'instance:node_cpu_utilisation:ratio_rate5m',
            expr: `1 - avg without (cpu, mode) (rate(${select('node_cpu_seconds_total', s.node, 'mode="idle"')}[5m]))`,
          },
          {
            record: 'instance:node_memory_utilisation:ratio',
            expr: `1 - ${select('node_memory_MemAvailable_bytes', s.node)} / ${select('node_memory_MemTotal_bytes', s.node)}`,
          },
          {
            record: 'instance:node_filesystem_utilisation:ratio',
            expr: `1 - ${select('node_filesystem_avail_bytes', s.node, fs)} / ${select('node_filesystem_size_bytes', s.node, fs)}`,
          },
          {
            record: 'instance:pg_connections_utilisation:ratio',
            expr: `sum by (job, instance) (${select('pg_stat_activity_count', s.postgres)})\n/ on(job, instance) max by (job, instance) (${select('pg_settings_max_connections', s.postgres)})\n`,
          },
          {
            // Hits over lookups; no lookups at all gives no sample (0/0), never a false 0%.
            record: 'instance:redis_keyspace_hits:ratio_rate5m',
            expr: `sum by (job, instance) (rate(${select('redis_keyspace_hits_total', s.redis)}[5m]))\n/ (sum by (job, instance) (rate(${select('redis_keyspace_hits_total', s.redis)}[5m])) + sum by (job, instance) (rate(${select('redis_keyspace_misses_total', s.redis)}[5m])))\n`,
          },
          // DCGM reports percent; one series per GPU.
          { record: 'gpu:dcgm_gpu_utilisation:ratio', expr: `${select('DCGM_FI_DEV_GPU_UTIL', s.dcgm)} / 100` },
        ],
      },
    ];
  },
  specs(cfg) {
    const node = { ...selectorLabels(cfg, 'node'), ...HOST };
    const pg = { ...selectorLabels(cfg, 'postgres'), instance: 'db-1:9187' };
    const redis = { ...selectorLabels(cfg, 'redis'), instance: 'cache-1:9121' };
    const dcgm = { ...selectorLabels(cfg, 'dcgm'), instance: 'gpu-1:9400', ...GPU };
    const above = (what) => (sev, t) => `${what} above ${pct(t)}`;
    return [
      {
        name: 'SaasPlatformCpuHigh',
        domain: 'platform',
        dashboard: 'platform',
        expr: 'instance:node_cpu_utilisation:ratio_rate5m',
        op: '>',
        summary: above('CPU utilisation'),
        description: (sev, t) =>
          `CPU of {{ $labels.instance }} is {{ $value | humanizePercentage }} busy over 5 minutes; ${sev} above ${pct(t)}.`,
        // One CPU whose idle counter grows by (1 - utilisation) seconds a second.
        test: {
          labels: node,
          series: (p) => [
            {
              series: seriesText('node_cpu_seconds_total', { ...node, cpu: '0', mode: 'idle' }),
              values: counterValues(p, (v) => (1 - v) * 60),
            },
          ],
        },
      },
      {
        name: 'SaasPlatformMemoryHigh',
        domain: 'platform',
        dashboard: 'platform',
        expr: 'instance:node_memory_utilisation:ratio',
        op: '>',
        summary: above('Memory utilisation'),
        description: (sev, t) => `{{ $labels.instance }} uses {{ $value | humanizePercentage }} of its memory; ${sev} above ${pct(t)}.`,
        test: {
          labels: node,
          series: (p) => [
            { series: seriesText('node_memory_MemAvailable_bytes', node), values: gaugeValues(p.map(([v, n]) => [1024 * (1 - v), n])) },
            { series: seriesText('node_memory_MemTotal_bytes', node), values: gaugeValues([[1024, total(p)]]) },
          ],
        },
      },
      {
        name: 'SaasPlatformDiskSpaceHigh',
        domain: 'platform',
        dashboard: 'platform',
        expr: 'instance:node_filesystem_utilisation:ratio',
        op: '>',
        summary: above('Disk usage'),
        description: (sev, t) =>
          `{{ $labels.mountpoint }} on {{ $labels.instance }} is {{ $value | humanizePercentage }} full; ${sev} above ${pct(t)}.`,
        test: {
          labels: { ...node, ...FS },
          series: (p) => [
            {
              series: seriesText('node_filesystem_avail_bytes', { ...node, ...FS }),
              values: gaugeValues(p.map(([v, n]) => [1024 * (1 - v), n])),
            },
            { series: seriesText('node_filesystem_size_bytes', { ...node, ...FS }), values: gaugeValues([[1024, total(p)]]) },
          ],
        },
      },
      {
        name: 'SaasPlatformDbConnectionsHigh',
        domain: 'platform',
        dashboard: 'platform',
        expr: 'instance:pg_connections_utilisation:ratio',
        op: '>',
        summary: above('Database connections in use'),
        description: (sev, t) =>
          `{{ $labels.instance }} has {{ $value | humanizePercentage }} of max_connections in use; ${sev} above ${pct(t)}.`,
        test: {
          labels: pg,
          series: (p) => [
            {
              series: seriesText('pg_stat_activity_count', { ...pg, datname: 'app', state: 'active' }),
              values: gaugeValues(p.map(([v, n]) => [80 * v, n])),
            },
            {
              series: seriesText('pg_stat_activity_count', { ...pg, datname: 'app', state: 'idle' }),
              values: gaugeValues(p.map(([v, n]) => [20 * v, n])),
            },
            { series: seriesText('pg_settings_max_connections', pg), values: gaugeValues([[100, total(p)]]) },
          ],
        },
      },
      {
        name: 'SaasPlatformCacheHitRatioLow',
        domain: 'platform',
        dashboard: 'platform',
        expr: 'instance:redis_keyspace_hits:ratio_rate5m',
        op: '<',
        summary: (sev, t) => `Cache hit ratio below ${pct(t)}`,
        description: (sev, t) =>
          `Redis {{ $labels.instance }} answered {{ $value | humanizePercentage }} of key lookups from the cache over 5 minutes; ${sev} below ${pct(t)}.`,
        test: {
          labels: redis,
          series: (p) => [
            { series: seriesText('redis_keyspace_hits_total', redis), values: counterValues(p, (v) => 1000 * v) },
            { series: seriesText('redis_keyspace_misses_total', redis), values: counterValues(p, (v) => 1000 * (1 - v)) },
          ],
        },
      },
      {
        name: 'SaasPlatformGpuUtilisationHigh',
        domain: 'platform',
        dashboard: 'platform',
        expr: 'gpu:dcgm_gpu_utilisation:ratio',
        op: '>',
        summary: above('GPU utilisation'),
        description: (sev, t) =>
          `GPU {{ $labels.gpu }} of {{ $labels.instance }} is {{ $value | humanizePercentage }} busy; ${sev} above ${pct(t)}: inference and training queue behind it.`,
        test: {
          labels: dcgm,
          series: (p) => [{ series: seriesText('DCGM_FI_DEV_GPU_UTIL', dcgm), values: gaugeValues(p.map(([v, n]) => [100 * v, n])) }],
        },
      },
    ];
  },
};
