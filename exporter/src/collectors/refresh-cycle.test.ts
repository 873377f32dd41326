import { RefreshCycle } from './refresh-cycle';

const T = new Date('2026-06-15T12:00:00Z');
const at = (ms: number) => new Date(T.getTime() + ms);

it('keeps a result for two intervals while runs are quicker than the interval', () => {
  let clock = 0;
  const cycle = new RefreshCycle(() => clock);
  cycle.recorded();
  clock = 500;
  cycle.recorded(); // runs 0.5 s apart: the interval (60 s) rules
  expect(cycle.fresh(T, at(120_000), 60_000)).toBe(true);
  expect(cycle.fresh(T, at(120_001), 60_000)).toBe(false);
  expect(cycle.fresh(T, at(-1), 60_000)).toBe(false); // a result for a later instant
});

it('keeps a result for two of its real cycles when runs take longer than the interval', () => {
  let clock = 0;
  const cycle = new RefreshCycle(() => clock);
  cycle.recorded();
  expect(cycle.fresh(T, at(2_001), 1_000)).toBe(false); // one result only: the interval rules
  clock = 9_000;
  cycle.recorded(); // a 1 s interval, but runs finish 9 s apart
  expect(cycle.fresh(T, at(18_000), 1_000)).toBe(true);
  expect(cycle.fresh(T, at(18_001), 1_000)).toBe(false);
});
