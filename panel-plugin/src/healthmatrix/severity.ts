/**
 * How bad a state word is, for sorting rows by their worst cell when cells are states rather
 * than numbers: the DR checks' ok / warn / fail and the tenant risk levels
 * (healthy / watch / at_risk / critical). Unknown words have no rank and do not count.
 */
const SEVERITY: Record<string, number> = {
  ok: 0,
  pass: 0,
  passed: 0,
  healthy: 0,
  up: 0,
  watch: 1,
  warn: 1,
  warning: 1,
  degraded: 1,
  at_risk: 2,
  fail: 3,
  failed: 3,
  error: 3,
  critical: 3,
  down: 3,
};

export function severityOf(word: string): number | undefined {
  return SEVERITY[word.toLowerCase()];
}

/** Default value mappings of the panel: state words to palette colors (field config, editable). */
export const STATE_MAPPINGS = {
  ok: { text: 'ok', color: 'green', index: 0 },
  warn: { text: 'warn', color: 'orange', index: 1 },
  fail: { text: 'fail', color: 'red', index: 2 },
  healthy: { text: 'healthy', color: 'green', index: 3 },
  watch: { text: 'watch', color: 'yellow', index: 4 },
  at_risk: { text: 'at risk', color: 'orange', index: 5 },
  critical: { text: 'critical', color: 'red', index: 6 },
};
