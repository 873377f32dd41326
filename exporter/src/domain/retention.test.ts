import { addPeriods, countRetained, retentionCells } from './retention';

const cohort = { cohortStartMs: 0, size: 4, returns: [[1, 3], [2], [1, 1]] };

it('counts users who returned on each period (bounded)', () => {
  // period 1: users 1 and 3; period 2: user 2; period 3: user 1
  expect(countRetained(cohort, 3, 'return_on')).toEqual([4, 2, 1, 1]);
});

it('counts users in every period up to their last return (unbounded)', () => {
  // user 1 last returned in 3 -> counts 1..3; user 2 in 2 -> 1..2; user 3 in 1 -> 1
  expect(countRetained(cohort, 3, 'on_or_after')).toEqual([4, 3, 2, 1]);
});

it('leaves returns past the last period out', () => {
  expect(countRetained({ cohortStartMs: 0, size: 1, returns: [[5]] }, 3, 'return_on')).toEqual([1, 0, 0, 0]);
  expect(countRetained({ cohortStartMs: 0, size: 1, returns: [[5]] }, 3, 'on_or_after')).toEqual([1, 1, 1, 1]);
});

it('marks cells of periods that have not ended incomplete, with no value', () => {
  const day = 86_400_000;
  const end = (start: number, k: number) => addPeriods(start, k + 1, 'day');
  // now is inside period 2 (day 2): periods 0 and 1 complete, 2 and 3 not
  const cells = retentionCells([cohort], 3, 'return_on', end, 2.5 * day);
  expect(cells.map((c) => [c.period, c.retained, c.rate, c.incomplete])).toEqual([
    [0, 4, 1, false],
    [1, 2, 0.5, false],
    [2, undefined, undefined, true],
    [3, undefined, undefined, true],
  ]);
});

it('gives period 0 of a cohort whose first period still runs: the cohort itself, 100%, with its size', () => {
  const day = 86_400_000;
  const end = (start: number, k: number) => addPeriods(start, k + 1, 'day');
  // now is inside period 0 (half a day in): the cohort of 4 so far is known; nothing else is
  const cells = retentionCells([cohort], 2, 'return_on', end, 0.5 * day);
  expect(cells.map((c) => [c.period, c.cohortSize, c.retained, c.rate, c.incomplete])).toEqual([
    [0, 4, 4, 1, true],
    [1, 4, undefined, undefined, true],
    [2, 4, undefined, undefined, true],
  ]);
  // an empty cohort has no rate, even in period 0
  expect(retentionCells([{ cohortStartMs: 0, size: 0, returns: [] }], 1, 'return_on', end, 0.5 * day)[0]?.rate).toBeUndefined();
});

it('adds calendar months and ISO weeks in UTC', () => {
  expect(new Date(addPeriods(Date.UTC(2026, 0, 1), 1, 'month')).toISOString()).toBe('2026-02-01T00:00:00.000Z');
  expect(new Date(addPeriods(Date.UTC(2026, 11, 1), 2, 'month')).toISOString()).toBe('2027-02-01T00:00:00.000Z');
  expect(new Date(addPeriods(Date.UTC(2026, 5, 1), 1, 'week')).toISOString()).toBe('2026-06-08T00:00:00.000Z');
});
