import { toUnixSeconds } from '../db/parse';
import { CheckResult, countCheck, eventsFresh, qualityScore } from '../domain/data-quality';
import { family, gauge } from '../metrics/family';
import { Collector } from './collector';
import { readDataQualityFacts } from '../reads/data-quality';

// Data quality (docs/metrics.md, "Data quality"). Every check reads rollups,
// indexes or the (small) tenants/users tables, never a full scan of events: with 10M events a
// run stays in milliseconds. Integrity checks (unknown tenants, duplicate emails, required fields)
// look at the data as stored; the time-based ones (freshness, anomalies) are evaluated at T.

const NAME = 'data_quality' as const;
const INTERVAL_SECONDS = 60;

const metrics = {
  checkPassed: gauge('saasmon_data_quality_check_passed', '1 when the data quality check passes, else 0.', ['check']),
  violations: gauge(
    'saasmon_data_quality_violations',
    'Rows offending the check (events, users or tenants; users for anomalies); absent for freshness.',
    ['check'],
  ),
  score: gauge('saasmon_data_quality_score', '100 * passing checks / checks.'),
  newestEvent: gauge(
    'saasmon_data_newest_event_timestamp_seconds',
    'Unix time of the newest event at or before now; absent when there is none.',
  ),
};

export const dataQualityCollector: Collector = {
  name: NAME,
  defaultIntervalSeconds: INTERVAL_SECONDS,
  metrics: Object.values(metrics),
  async collect({ db, now, config }) {
    const { freshnessSeconds, anomalyEventsPerMinute } = config.dataQuality;
    const f = await readDataQualityFacts(db, now, anomalyEventsPerMinute);
    const newest = f.newestEventAt;

    const results: CheckResult[] = [
      countCheck('events_unknown_tenant', f.eventsUnknownTenant),
      countCheck('users_unknown_tenant', f.usersUnknownTenant),
      countCheck('duplicate_live_emails', f.duplicateEmailUsers),
      countCheck('required_fields', f.tenantsBlankName + f.usersWithoutCreatedAt),
      {
        check: 'events_fresh',
        passed: eventsFresh(newest?.getTime(), now.getTime(), freshnessSeconds),
        violations: undefined,
      },
      countCheck('event_rate_anomaly', f.anomalousUsers),
    ];
    return [
      family(
        metrics.checkPassed,
        results.map((r) => ({ labels: { check: r.check }, value: r.passed ? 1 : 0 })),
      ),
      family(
        metrics.violations,
        results.map((r) => ({ labels: { check: r.check }, value: r.violations })),
      ),
      family(metrics.score, qualityScore(results)),
      family(metrics.newestEvent, toUnixSeconds(newest)),
    ];
  },
};
