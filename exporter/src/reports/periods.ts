import { addDays, isoWeekday, localOf, startOfLocalDay } from './zoned-time';

/** The report kinds and the period each covers: a local day, an ISO week from Monday, a month. */
export const REPORT_KINDS = ['daily', 'weekly', 'monthly'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export interface ReportPeriod {
  kind: ReportKind;
  timeZone: string;
  /** [startMs, endMs): local midnights in the zone. The report's numbers are read at endMs. */
  startMs: number;
  endMs: number;
  /** Local first day, YYYY-MM-DD. */
  firstDay: string;
  /** Local last day (inclusive), YYYY-MM-DD. */
  lastDay: string;
}

type Ymd = { year: number; month: number; day: number };
const ymd = (d: Ymd) => `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

/** The start date of the period of `kind` holding local date `d`. */
function periodStart(kind: ReportKind, d: Ymd): Ymd {
  if (kind === 'daily') return d;
  if (kind === 'weekly') return addDays(d, 1 - isoWeekday(d));
  return { year: d.year, month: d.month, day: 1 };
}

function nextPeriodStart(kind: ReportKind, start: Ymd): Ymd {
  if (kind === 'daily') return addDays(start, 1);
  if (kind === 'weekly') return addDays(start, 7);
  return start.month === 12 ? { year: start.year + 1, month: 1, day: 1 } : { year: start.year, month: start.month + 1, day: 1 };
}

function previousPeriodStart(kind: ReportKind, start: Ymd): Ymd {
  if (kind === 'daily') return addDays(start, -1);
  if (kind === 'weekly') return addDays(start, -7);
  return start.month === 1 ? { year: start.year - 1, month: 12, day: 1 } : { year: start.year, month: start.month - 1, day: 1 };
}

function periodFrom(kind: ReportKind, start: Ymd, zone: string): ReportPeriod {
  const next = nextPeriodStart(kind, start);
  return {
    kind,
    timeZone: zone,
    startMs: startOfLocalDay(start, zone),
    endMs: startOfLocalDay(next, zone),
    firstDay: ymd(start),
    lastDay: ymd(addDays(next, -1)),
  };
}

/** The last period of `kind` closed at instant `atMs` in `zone` (a report never covers an open one). */
export function lastClosedPeriod(kind: ReportKind, atMs: number, zone: string): ReportPeriod {
  const local = localOf(atMs, zone);
  const current = periodStart(kind, local);
  return periodFrom(kind, previousPeriodStart(kind, current), zone);
}

/** The `count` closed periods of `kind` ending with `last`, oldest first (for trends). */
export function periodsEndingWith(last: ReportPeriod, count: number): ReportPeriod[] {
  const out: ReportPeriod[] = [last];
  let start = parseYmd(last.firstDay);
  while (out.length < count) {
    start = previousPeriodStart(last.kind, start);
    out.unshift(periodFrom(last.kind, start, last.timeZone));
  }
  return out;
}

export function parseYmd(s: string): Ymd {
  const [year, month, day] = s.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}
