/**
 * Wall-clock arithmetic in an IANA time zone with Intl only (no tz library): a local date and time
 * becomes an instant by the zone's own offset at that instant. Days are local dates, so a day
 * across a daylight-saving change is 23 or 25 hours long and a schedule never drifts an hour.
 */

export interface LocalDateTime {
  year: number;
  /** 1-12. */
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True when `zone` is an IANA zone name this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The local wall clock of instant `ms` in `zone` (seconds dropped). */
export function localOf(ms: number, zone: string): LocalDateTime & { second: number } {
  const parts = Object.fromEntries(
    formatter(zone)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** Offset of `zone` from UTC at instant `ms`, in ms (east positive). */
export function offsetAt(ms: number, zone: string): number {
  const l = localOf(ms, zone);
  const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
  return asUtc - (ms - (((ms % 1000) + 1000) % 1000));
}

const wallMs = (l: LocalDateTime) => Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute);

/**
 * The instant the local clock in `zone` shows `l`. Ambiguous times (the repeated hour when clocks
 * go back) give the first of the two instants, so a run there happens once. Times that do not
 * exist (the skipped hour when clocks go forward) are read with the offset before the change:
 * 02:30 on a 02:00 -> 03:00 night is the instant the clock shows 03:30, so a run there still happens.
 */
export function instantOf(l: LocalDateTime, zone: string): number {
  const wall = wallMs(l);
  // Candidates: the wall time read with the offsets in force a day either side.
  const offsets = [...new Set([offsetAt(wall - 86_400_000, zone), offsetAt(wall, zone), offsetAt(wall + 86_400_000, zone)])];
  const exact = offsets
    .map((o) => wall - o)
    .filter((ms) => wallMs(localOf(ms, zone)) === wall)
    .sort((a, b) => a - b);
  if (exact.length > 0) return exact[0] as number;
  // In a gap: the offset before the change maps the wall time past it.
  return wall - Math.min(...offsets);
}

/** The local calendar date `days` after (y, m, d), as plain date arithmetic. */
export function addDays(date: { year: number; month: number; day: number }, days: number): { year: number; month: number; day: number } {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** ISO weekday of a calendar date: 1 Monday .. 7 Sunday. */
export function isoWeekday(date: { year: number; month: number; day: number }): number {
  const wd = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return wd === 0 ? 7 : wd;
}

/** Local midnight of a date in `zone` as an instant (a day starting in a gap starts when the clock jumps). */
export function startOfLocalDay(date: { year: number; month: number; day: number }, zone: string): number {
  return instantOf({ ...date, hour: 0, minute: 0 }, zone);
}

/** Short offset name for display, e.g. "GMT+1" or "UTC". */
export function zoneLabel(ms: number, zone: string): string {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' })
    .formatToParts(new Date(ms))
    .find((p) => p.type === 'timeZoneName')?.value;
  return `${zone}${name && name !== zone ? ` (${name})` : ''}`;
}
