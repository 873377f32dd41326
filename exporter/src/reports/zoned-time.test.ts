import { instantOf, localOf, offsetAt } from './zoned-time';
import { lastClosedPeriod, periodsEndingWith } from './periods';

const iso = (ms: number) => new Date(ms).toISOString();

it('maps local times to instants across daylight-saving changes', () => {
  // Berlin: 2026-03-29 02:00 -> 03:00 (gap), 2026-10-25 03:00 -> 02:00 (02:xx twice).
  expect(iso(instantOf({ year: 2026, month: 3, day: 28, hour: 9, minute: 0 }, 'Europe/Berlin'))).toBe('2026-03-28T08:00:00.000Z');
  expect(iso(instantOf({ year: 2026, month: 3, day: 29, hour: 9, minute: 0 }, 'Europe/Berlin'))).toBe('2026-03-29T07:00:00.000Z');
  // 02:30 does not exist on 03-29: the clock shows 03:30 then
  expect(iso(instantOf({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, 'Europe/Berlin'))).toBe('2026-03-29T01:30:00.000Z');
  expect(localOf(Date.parse('2026-03-29T01:30:00Z'), 'Europe/Berlin')).toMatchObject({ hour: 3, minute: 30 });
  // 02:30 happens twice on 10-25: the first one (still summer time, UTC+2)
  expect(iso(instantOf({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, 'Europe/Berlin'))).toBe('2026-10-25T00:30:00.000Z');
  expect(iso(instantOf({ year: 2026, month: 6, day: 1, hour: 0, minute: 0 }, 'America/New_York'))).toBe('2026-06-01T04:00:00.000Z');
  expect(offsetAt(Date.parse('2026-01-01T00:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * 3_600_000);
  expect(iso(instantOf({ year: 2026, month: 1, day: 1, hour: 0, minute: 0 }, 'UTC'))).toBe('2026-01-01T00:00:00.000Z');
});

it('cuts closed local periods, 23 and 25 hour days included', () => {
  const day = lastClosedPeriod('daily', Date.parse('2026-03-30T07:00:00Z'), 'Europe/Berlin');
  expect([day.firstDay, iso(day.startMs), iso(day.endMs)]).toEqual(['2026-03-29', '2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
  expect(day.endMs - day.startMs).toBe(23 * 3_600_000);
  const fall = lastClosedPeriod('daily', Date.parse('2026-10-26T08:00:00Z'), 'Europe/Berlin');
  expect(fall.endMs - fall.startMs).toBe(25 * 3_600_000);
  // 2026-12-04 is a Friday: the last closed ISO week is Mon 11-23 .. Sun 11-29
  const week = lastClosedPeriod('weekly', Date.parse('2026-12-04T09:00:00Z'), 'UTC');
  expect([week.firstDay, week.lastDay]).toEqual(['2026-11-23', '2026-11-29']);
  const month = lastClosedPeriod('monthly', Date.parse('2026-01-01T08:00:00Z'), 'America/New_York');
  expect([month.firstDay, month.lastDay, iso(month.endMs)]).toEqual(['2025-12-01', '2025-12-31', '2026-01-01T05:00:00.000Z']);
  // 2026-01-01 03:00 UTC is still Dec 31 in New York: November is the last closed month there
  expect(lastClosedPeriod('monthly', Date.parse('2026-01-01T03:00:00Z'), 'America/New_York').firstDay).toBe('2025-11-01');
  expect(periodsEndingWith(week, 3).map((p) => p.firstDay)).toEqual(['2026-11-09', '2026-11-16', '2026-11-23']);
});
