import {
  barGauge,
  dashboard,
  healthMatrix,
  prom,
  promTable,
  row,
  saasmon,
  saasmonAnnotation,
  stat,
  table,
  thresholds,
  timeseries,
  UID,
} from '../grafana';
import { yesNo } from './common';

const seconds = { unit: 's', decimals: 0 };

/** Age columns: green while younger than the RPO target (1 h default), red past a day. */
const AGE = thresholds('green', [3600, 'yellow'], [86_400, 'red']);

/** Can we recover, how much would we lose, and have we proven it? */
export const drDashboard = dashboard({
  uid: UID.dr,
  title: 'saasmon / DR readiness',
  description: 'RPO exposure against target, RTO readiness, backups per kind and location, DR tests, replication lag and WAL archiving.',
  tags: ['dr'],
  time: { from: 'now-7d', to: 'now' },
  annotations: [saasmonAnnotation('DR tests', ['dr_test'], 'purple')],
  items: [
    row('Objectives'),
    stat('RPO exposure', [prom('saasmon_dr_rpo_exposure_seconds')], {
      ...seconds,
      thresholds: thresholds('green', [3600, 'red']),
      description: 'Time since the newest succeeded full, incremental or WAL-archive backup (any location), or the WAL archiver.',
    }),
    stat('RPO target', [prom('saasmon_dr_rpo_target_seconds')], { ...seconds, thresholds: thresholds('blue'), graph: false }),
    stat('RPO compliant', [prom('saasmon_dr_rpo_compliant')], { mappings: yesNo('Compliant', 'Breached'), graph: false }),
    stat('RTO ready', [prom('saasmon_dr_rto_ready')], {
      mappings: yesNo('Ready', 'Not ready'),
      graph: false,
      description: 'The newest DR test passed, recovered within the RTO target, and is not older than the DR test cadence.',
    }),
    stat('RTO target', [prom('saasmon_dr_rto_target_seconds')], { ...seconds, thresholds: thresholds('blue'), graph: false }),
    stat('DR test cadence', [prom('saasmon_dr_test_cadence_seconds')], {
      unit: 'dtdurations',
      thresholds: thresholds('blue'),
      graph: false,
    }),
    timeseries(
      'RPO exposure vs target',
      [prom('saasmon_dr_rpo_exposure_seconds', 'exposure'), prom('saasmon_dr_rpo_target_seconds', 'target')],
      {
        ...seconds,
        w: 24,
        overrides: [
          {
            matcher: { id: 'byName', options: 'target' },
            properties: [
              { id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } },
              { id: 'color', value: { mode: 'fixed', fixedColor: 'red' } },
            ],
          },
        ],
      },
    ),
    row('Backups'),
    healthMatrix('DR checks by location', [saasmon({ queryType: 'dr_status' })], {
      matrix: { layout: 'long', rowField: 'check', columnField: 'location', valueField: 'state' },
      mappings: [
        {
          type: 'value',
          options: { ok: { color: 'green', index: 0 }, warn: { color: 'yellow', index: 1 }, fail: { color: 'red', index: 2 } },
        },
      ],
      sortRows: 'worst',
      description: 'Every backup and DR check per location: ok, warn or fail (the query API dr_status).',
      w: 12,
      h: 10,
    }),
    table(
      'Backups per kind and location',
      [
        promTable('time() - saasmon_backup_last_success_timestamp_seconds'),
        promTable('time() - saasmon_backup_last_verified_timestamp_seconds'),
        promTable('saasmon_backup_failed_24h'),
      ],
      {
        transformations: [
          { id: 'merge', options: {} },
          {
            id: 'organize',
            options: {
              excludeByName: { Time: true, __name__: true, job: true, instance: true },
              renameByName: { 'Value #A': 'since last success', 'Value #B': 'since last verified', 'Value #C': 'failed (24h)' },
            },
          },
        ],
        overrides: [
          {
            matcher: { id: 'byRegexp', options: '^since' },
            properties: [
              { id: 'unit', value: 's' },
              { id: 'thresholds', value: AGE },
              { id: 'custom.cellOptions', value: { type: 'color-text' } },
            ],
          },
          {
            matcher: { id: 'byName', options: 'failed (24h)' },
            properties: [
              { id: 'thresholds', value: thresholds('green', [1, 'red']) },
              { id: 'custom.cellOptions', value: { type: 'color-background', mode: 'basic' } },
            ],
          },
        ],
        decimals: 0,
        w: 12,
        h: 10,
      },
    ),
    barGauge('Backup failures (24h)', [prom('saasmon_backup_failed_24h', '{{kind}} @ {{location}}', { instant: true })], {
      decimals: 0,
      thresholds: thresholds('green', [1, 'red']),
      w: 12,
    }),
    timeseries(
      'Time since last successful backup',
      [prom('time() - saasmon_backup_last_success_timestamp_seconds', '{{kind}} @ {{location}}')],
      {
        ...seconds,
        w: 12,
      },
    ),
    row('DR tests'),
    table(
      'Newest DR test per kind',
      [
        promTable('saasmon_dr_last_test_passed'),
        promTable('time() - saasmon_dr_last_test_timestamp_seconds'),
        promTable('saasmon_dr_last_test_recovery_seconds'),
      ],
      {
        transformations: [
          { id: 'merge', options: {} },
          {
            id: 'organize',
            options: {
              excludeByName: { Time: true, __name__: true, job: true, instance: true },
              renameByName: { 'Value #A': 'passed', 'Value #B': 'age', 'Value #C': 'recovery time' },
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
          { matcher: { id: 'byName', options: 'age' }, properties: [{ id: 'unit', value: 'dtdurations' }] },
          { matcher: { id: 'byName', options: 'recovery time' }, properties: [{ id: 'unit', value: 's' }] },
        ],
        w: 12,
      },
    ),
    timeseries(
      'DR test recovery time vs RTO target',
      [prom('saasmon_dr_last_test_recovery_seconds', '{{kind}}'), prom('saasmon_dr_rto_target_seconds', 'RTO target')],
      { ...seconds, w: 12 },
    ),
    row('Replication and WAL'),
    timeseries(
      'Replication lag per standby',
      [prom('saasmon_pg_replication_lag_seconds', '{{standby}}'), prom('saasmon_dr_rpo_target_seconds', 'RPO target')],
      { unit: 's', decimals: 1, noValue: 'no standby (or the monitored database is not readable)', w: 16 },
    ),
    stat('Since last WAL archive', [prom('time() - saasmon_pg_wal_archive_last_timestamp_seconds')], {
      ...seconds,
      thresholds: AGE,
      noValue: 'no WAL archiving',
      w: 8,
      h: 8,
    }),
  ],
});
