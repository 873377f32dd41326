import { activationCohort, addDays, dayNRetentionCohort, netPromoterScore, shareOf, utcDay } from './engagement';

it('takes the UTC day of an instant, midnight belonging to the day it starts', () => {
  expect(utcDay(new Date('2026-06-15T00:00:00Z'))).toBe('2026-06-15');
  expect(utcDay(new Date('2026-06-14T23:59:59.999Z'))).toBe('2026-06-14');
  expect(utcDay(new Date('2026-06-15T01:00:00+02:00'))).toBe('2026-06-14');
});

it('adds days across months and years', () => {
  expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
});

it('places the D_N cohort on signup days D-N-30 .. D-N-1, whatever the time of T', () => {
  for (const at of ['2026-06-15T00:00:00Z', '2026-06-15T23:59:59Z']) {
    expect(dayNRetentionCohort(new Date(at), 1)).toEqual({ n: 1, firstSignupDay: '2026-05-15', lastSignupDay: '2026-06-13' });
    expect(dayNRetentionCohort(new Date(at), 7)).toEqual({ n: 7, firstSignupDay: '2026-05-09', lastSignupDay: '2026-06-07' });
    expect(dayNRetentionCohort(new Date(at), 30)).toEqual({ n: 30, firstSignupDay: '2026-04-16', lastSignupDay: '2026-05-15' });
  }
});

it('places the activation cohort at [T-30d-N, T-N) in whole 24 h days', () => {
  // 2026-03-29 is a DST change in Europe: the window is still exactly 37 x 24 h long
  expect(activationCohort(new Date('2026-04-20T12:00:00Z'), 7)).toEqual({
    from: new Date('2026-03-14T12:00:00Z'),
    to: new Date('2026-04-13T12:00:00Z'),
  });
});

it('scores NPS from promoters and detractors over all responses', () => {
  expect(netPromoterScore({ promoters: 3, detractors: 2, responses: 7 })).toBe(100 / 7);
  expect(netPromoterScore({ promoters: 0, detractors: 4, responses: 4 })).toBe(-100);
  expect(netPromoterScore({ promoters: 0, detractors: 0, responses: 0 })).toBeUndefined();
});

it('leaves a share of nothing undefined', () => {
  expect(shareOf(1, 4)).toBe(0.25);
  expect(shareOf(0, 0)).toBeUndefined();
});
