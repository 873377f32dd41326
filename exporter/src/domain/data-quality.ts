/**
 * Data quality (docs/metrics.md, "Data quality") as plain functions: each check passes or
 * fails and may count the rows that offend it; the score is the share of checks that pass.
 */

export const DATA_QUALITY_CHECKS = [
  'events_unknown_tenant',
  'users_unknown_tenant',
  'duplicate_live_emails',
  'required_fields',
  'events_fresh',
  'event_rate_anomaly',
] as const;
export type DataQualityCheck = (typeof DATA_QUALITY_CHECKS)[number];

export interface CheckResult {
  check: DataQualityCheck;
  passed: boolean;
  /** Offending rows (for triage); undefined where rows are not what fails (freshness). */
  violations: number | undefined;
}

/** A check that fails as soon as one row offends it. */
export function countCheck(check: DataQualityCheck, violations: number): CheckResult {
  return { check, passed: violations === 0, violations };
}

/** Fresh when the newest event is at most `freshnessSeconds` old at T; no event at all is not fresh. */
export function eventsFresh(newestEventMs: number | undefined, nowMs: number, freshnessSeconds: number): boolean {
  return newestEventMs !== undefined && (nowMs - newestEventMs) / 1000 <= freshnessSeconds;
}

/** `100 * passed / checks`; undefined with no checks. */
export function qualityScore(results: readonly CheckResult[]): number | undefined {
  if (results.length === 0) return undefined;
  return (100 * results.filter((r) => r.passed).length) / results.length;
}
