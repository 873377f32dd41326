import { bestAttempt, FunnelEvent, median, summarizeFunnel } from './funnel';

const H = 3_600_000;
const ev = (steps: number[], hours: number): FunnelEvent => ({ steps, timeMs: hours * H });
const always = () => true;

it('follows the first matching event of each step after the previous one', () => {
  const a = bestAttempt([ev([0], 0), ev([1], 1), ev([2], 2)], 3, 24 * H, always);
  expect(a?.stepTimesMs).toEqual([0, 1 * H, 2 * H]);
});

it('ignores a later step that happened before the earlier one (out of order)', () => {
  // step 2 at hour 0, step 1 at hour 1: the user only reaches step 1
  const a = bestAttempt([ev([1], 0), ev([0], 1)], 2, 24 * H, always);
  expect(a?.stepTimesMs).toEqual([1 * H]);
});

it('takes the best attempt among repeated step-1 events', () => {
  // the first attempt (hour 0) times out before step 2 at hour 30 (window 24 h);
  // the second attempt starting at hour 10 reaches it
  const a = bestAttempt([ev([0], 0), ev([0], 10), ev([1], 30)], 2, 24 * H, always);
  expect(a?.stepTimesMs).toEqual([10 * H, 30 * H]);
});

it('stops at a step outside the window', () => {
  const a = bestAttempt([ev([0], 0), ev([1], 25)], 2, 24 * H, always);
  expect(a?.stepTimesMs).toEqual([0]);
});

it('counts a step exactly at the window edge', () => {
  expect(bestAttempt([ev([0], 0), ev([1], 24)], 2, 24 * H, always)?.stepTimesMs).toHaveLength(2);
});

it('needs distinct events when a name repeats in the steps', () => {
  // steps [a, a]: one event of a reaches step 1 only, two reach step 2
  expect(bestAttempt([ev([0, 1], 0)], 2, 24 * H, always)?.stepTimesMs).toEqual([0]);
  expect(bestAttempt([ev([0, 1], 0), ev([0, 1], 1)], 2, 24 * H, always)?.stepTimesMs).toEqual([0, H]);
});

it('starts attempts only where allowed (the query range)', () => {
  expect(bestAttempt([ev([0], 0), ev([1], 1)], 2, 24 * H, (t) => t >= H)).toBeUndefined();
});

it('summarizes counts, conversions and median times', () => {
  const attempts = [
    { stepTimesMs: [0, 1 * H, 3 * H] },
    { stepTimesMs: [0, 3 * H] },
    { stepTimesMs: [0] },
    { stepTimesMs: [0] },
  ];
  expect(summarizeFunnel(attempts, 3)).toEqual([
    { step: 1, users: 4, conversionFromStart: 1, conversionFromPrevious: undefined, medianSecondsFromPrevious: undefined },
    // median of 1 h and 3 h = 2 h
    { step: 2, users: 2, conversionFromStart: 0.5, conversionFromPrevious: 0.5, medianSecondsFromPrevious: 7200 },
    { step: 3, users: 1, conversionFromStart: 0.25, conversionFromPrevious: 0.5, medianSecondsFromPrevious: 7200 },
  ]);
  expect(median([])).toBeUndefined();
});
