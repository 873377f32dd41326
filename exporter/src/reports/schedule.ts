import { ReportSchedule } from '../config/schema';
import { addDays, instantOf, isoWeekday, localOf } from './zoned-time';

/**
 * When a schedule runs: its local time on the local dates its recurrence picks, in its zone.
 * Each local date gives at most one instant (instantOf takes the first of a repeated hour and
 * carries a skipped one forward), so a daylight-saving change neither doubles nor drops a run.
 */

const WEEKDAY_NUMBER = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 } as const;

type Ymd = { year: number; month: number; day: number };

function runsOn(s: ReportSchedule, d: Ymd): boolean {
  switch (s.report) {
    case 'daily':
      return !s.days || s.days.some((w) => WEEKDAY_NUMBER[w] === isoWeekday(d));
    case 'weekly':
      return isoWeekday(d) === WEEKDAY_NUMBER[s.days?.[0] ?? 'mon'];
    case 'monthly':
      return d.day === s.dayOfMonth;
  }
}

function instantOn(s: ReportSchedule, d: Ymd, zone: string): number {
  const [hour, minute] = s.at.split(':').map(Number) as [number, number];
  return instantOf({ ...d, hour, minute }, zone);
}

/** The latest scheduled instant at or before `nowMs`; undefined if none in the last 40 days. */
export function latestDue(s: ReportSchedule, zone: string, nowMs: number): number | undefined {
  const today = localOf(nowMs, zone);
  for (let back = 0; back <= 40; back++) {
    const d = addDays(today, -back);
    if (!runsOn(s, d)) continue;
    const at = instantOn(s, d, zone);
    if (at <= nowMs) return at;
  }
  return undefined;
}

/** The next scheduled instant after `nowMs` (for display and tests). */
export function nextDue(s: ReportSchedule, zone: string, nowMs: number): number {
  const today = localOf(nowMs, zone);
  for (let ahead = 0; ; ahead++) {
    const d = addDays(today, ahead);
    if (!runsOn(s, d)) continue;
    const at = instantOn(s, d, zone);
    if (at > nowMs) return at;
  }
}
