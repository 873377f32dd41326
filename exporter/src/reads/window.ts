/**
 * The one way SQL writes a window of days: whole 24-hour spans, `instant - n * interval '24 hours'`.
 * `interval '30 days'` means calendar days in the session's time zone (23 or 25 hours across a DST
 * change), so a window would depend on the connection's settings; docs/metrics.md promises 720
 * hours for 30d whatever the zone.
 *
 * `instant` and `days` are SQL expressions written by our code (a parameter like `$1::timestamptz`,
 * a column, or a whole number), never client text.
 */
export function sqlDaysBefore(instant: string, days: number | string): string {
  return `(${instant} - ${sqlDays(days)})`;
}

export function sqlDaysAfter(instant: string, days: number | string): string {
  return `(${instant} + ${sqlDays(days)})`;
}

function sqlDays(days: number | string): string {
  if (typeof days === 'number' && !Number.isSafeInteger(days)) throw new Error(`not a whole number of days: ${days}`);
  return `${days} * interval '24 hours'`;
}
