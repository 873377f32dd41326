import {
  barGauge,
  dashboard,
  prom,
  promTable,
  RELEASE_AND_INCIDENT_ANNOTATIONS,
  row,
  stat,
  stateTimeline,
  table,
  thresholds,
  timeseries,
  UID,
} from '../grafana';
import { errorRatio, HTTP, jobVariable, latencyQuantile, yesNo } from './common';

const RATE = '$__rate_interval';

/** Is the platform healthy, and is saasmon itself telling the truth? */
export const operationsDashboard = dashboard({
  uid: UID.operations,
  title: 'saasmon / Operations',
  description: "Incidents, releases, HTTP error ratio and latency of the platform, and the saasmon exporter's own health and data quality.",
  tags: ['operations'],
  time: { from: 'now-24h', to: 'now' },
  refresh: '30s',
  variables: [jobVariable()],
  annotations: RELEASE_AND_INCIDENT_ANNOTATIONS,
  items: [
    row('Incidents and releases'),
    stat('Open incidents', [prom('saasmon_incidents_open', '{{severity}}')], {
      decimals: 0,
      textMode: 'value_and_name',
      graph: false,
      thresholds: thresholds('green', [1, 'red']),
      w: 8,
    }),
    stat('MTTR (30d)', [prom('saasmon_incident_mttr_30d_seconds')], { unit: 'dtdurations', thresholds: thresholds('blue'), graph: false }),
    stat('Since last release', [prom('time() - saasmon_release_last_timestamp_seconds')], {
      unit: 'dtdurations',
      thresholds: thresholds('blue'),
      graph: false,
    }),
    stat('Rollbacks (30d)', [prom('saasmon_rollbacks_30d')], {
      decimals: 0,
      thresholds: thresholds('green', [1, 'yellow'], [3, 'red']),
      graph: false,
    }),
    stat('Error ratio (1h)', [prom(errorRatio('1h'))], {
      unit: 'percentunit',
      decimals: 3,
      thresholds: thresholds('green', [0.001, 'yellow'], [0.01, 'red']),
      noValue: 'no HTTP metrics',
    }),
    timeseries('Open incidents by severity', [prom('saasmon_incidents_open', '{{severity}}')], { stack: true, decimals: 0, w: 24, h: 6 }),
    row('Platform HTTP ($service)'),
    timeseries('Error ratio (5xx)', [prom(errorRatio(RATE), 'error ratio')], {
      unit: 'percentunit',
      decimals: 2,
      min: 0,
      thresholds: thresholds('green', [0.001, 'red']),
      thresholdLine: true,
      description: "Share of requests answered 5xx; the red band starts at the 99.9% SLO's error budget.",
      w: 8,
    }),
    timeseries(
      'Latency',
      [prom(latencyQuantile(0.5, RATE), 'p50'), prom(latencyQuantile(0.9, RATE), 'p90'), prom(latencyQuantile(0.99, RATE), 'p99')],
      { unit: 's', decimals: 3, w: 8 },
    ),
    timeseries('Requests per second by code', [prom(`sum by (code) (rate(http_requests_total{${HTTP}}[${RATE}]))`, '{{code}}')], {
      unit: 'reqps',
      stack: true,
      w: 8,
    }),
    barGauge('Error ratio by service (1h)', [prom(errorRatio('1h', 'job'), '{{job}}', { instant: true })], {
      unit: 'percentunit',
      decimals: 3,
      thresholds: thresholds('green', [0.001, 'yellow'], [0.01, 'red']),
      w: 12,
      h: 6,
    }),
    barGauge(
      'p99 latency by service (1h)',
      [
        prom(`histogram_quantile(0.99, sum by (job, le) (rate(http_request_duration_seconds_bucket{${HTTP}}[1h])))`, '{{job}}', {
          instant: true,
        }),
      ],
      {
        unit: 's',
        decimals: 3,
        thresholds: thresholds('green', [0.5, 'yellow'], [1, 'red']),
        w: 12,
        h: 6,
      },
    ),
    row('saasmon exporter'),
    stat('Exporter scraped', [prom('up{job="saasmon"}')], { mappings: yesNo('Up', 'Down'), graph: false, w: 4 }),
    stat('Database reachable', [prom('saasmon_up')], { mappings: yesNo('Yes', 'No'), graph: false, w: 4 }),
    stat('Collectors failing', [prom('count(saasmon_collector_success == 0) or vector(0)')], {
      decimals: 0,
      thresholds: thresholds('green', [1, 'red']),
      graph: false,
      w: 4,
    }),
    stat('Version', [prom('saasmon_build_info', '{{version}}', { instant: true })], {
      textMode: 'name',
      graph: false,
      thresholds: thresholds('blue'),
      w: 4,
    }),
    stat('Data quality score', [prom('saasmon_data_quality_score')], {
      unit: 'percent',
      decimals: 0,
      thresholds: thresholds('red', [80, 'yellow'], [100, 'green']),
      w: 4,
    }),
    stat('Newest event age', [prom('time() - saasmon_data_newest_event_timestamp_seconds')], {
      unit: 's',
      decimals: 0,
      thresholds: thresholds('green', [3600, 'red']),
      description: 'Freshness of the events table (the data-quality freshness check fails past 1 h).',
      w: 4,
    }),
    stateTimeline('Collector success', [prom('saasmon_collector_success', '{{collector}}')], { mappings: yesNo('ok', 'failed'), w: 12 }),
    timeseries('Collector run time', [prom('saasmon_collector_duration_seconds', '{{collector}}')], { unit: 's', decimals: 2, w: 12 }),
    table(
      'Collectors',
      [
        promTable('saasmon_collector_success'),
        promTable('time() - saasmon_collector_last_success_timestamp_seconds'),
        promTable('saasmon_collector_duration_seconds'),
      ],
      {
        transformations: [
          { id: 'merge', options: {} },
          {
            id: 'organize',
            options: {
              excludeByName: { Time: true, __name__: true, job: true, instance: true },
              renameByName: { 'Value #A': 'last run', 'Value #B': 'since last success', 'Value #C': 'run time' },
            },
          },
        ],
        overrides: [
          {
            matcher: { id: 'byName', options: 'last run' },
            properties: [
              { id: 'mappings', value: yesNo('ok', 'failed') },
              { id: 'custom.cellOptions', value: { type: 'color-background', mode: 'basic' } },
            ],
          },
          {
            matcher: { id: 'byName', options: 'since last success' },
            properties: [
              { id: 'unit', value: 's' },
              { id: 'decimals', value: 0 },
            ],
          },
          {
            matcher: { id: 'byName', options: 'run time' },
            properties: [
              { id: 'unit', value: 's' },
              { id: 'decimals', value: 3 },
            ],
          },
        ],
        w: 12,
      },
    ),
    table('Data quality checks', [promTable('saasmon_data_quality_check_passed'), promTable('saasmon_data_quality_violations')], {
      transformations: [
        { id: 'merge', options: {} },
        {
          id: 'organize',
          options: {
            excludeByName: { Time: true, __name__: true, job: true, instance: true },
            renameByName: { 'Value #A': 'passed', 'Value #B': 'violations' },
          },
        },
      ],
      overrides: [
        {
          matcher: { id: 'byName', options: 'passed' },
          properties: [
            { id: 'mappings', value: yesNo('pass', 'fail') },
            { id: 'custom.cellOptions', value: { type: 'color-background', mode: 'basic' } },
          ],
        },
      ],
      decimals: 0,
      w: 12,
    }),
  ],
});
