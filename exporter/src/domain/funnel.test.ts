import { Attempt, bestAttempt, median, StepEvents, summarizeFunnel } from './funnel';

const H = 3_600_000;
const always = (_t: number) => true;
/** One user's events, each as [steps its name matches, hour]. */
const best = (events: Array<[number[], number]>, stepCount: number, windowMs: number, canStart = always) =>
  bestAttempt(
    { timesMs: events.map(([, h]) => h * H), stepBits: events.map(([steps]) => steps.reduce((b, k) => b | (1 << k), 0)) },
    0,
    events.length,
    stepCount,
    windowMs,
    canStart,
  );

it('follows the first matching event of each step after the previous one', () => {
  expect(
    best(
      [
        [[0], 0],
        [[1], 1],
        [[2], 2],
      ],
      3,
      24 * H,
    )?.stepTimesMs,
  ).toEqual([0, 1 * H, 2 * H]);
});

it('ignores a later step that happened before the earlier one (out of order)', () => {
  // step 2 at hour 0, step 1 at hour 1: the user only reaches step 1
  expect(
    best(
      [
        [[1], 0],
        [[0], 1],
      ],
      2,
      24 * H,
    )?.stepTimesMs,
  ).toEqual([1 * H]);
});

it('takes the best attempt among repeated step-1 events', () => {
  // the first attempt (hour 0) times out before step 2 at hour 30 (window 24 h);
  // the second attempt starting at hour 10 reaches it
  expect(
    best(
      [
        [[0], 0],
        [[0], 10],
        [[1], 30],
      ],
      2,
      24 * H,
    )?.stepTimesMs,
  ).toEqual([10 * H, 30 * H]);
});

it('keeps the earliest of equally good attempts', () => {
  expect(
    best(
      [
        [[0], 0],
        [[0], 1],
        [[1], 2],
        [[2], 100],
      ],
      3,
      24 * H,
    )?.stepTimesMs,
  ).toEqual([0, 2 * H]);
});

it('stops at a step outside the window', () => {
  expect(
    best(
      [
        [[0], 0],
        [[1], 25],
      ],
      2,
      24 * H,
    )?.stepTimesMs,
  ).toEqual([0]);
});

it('counts a step exactly at the window edge', () => {
  expect(
    best(
      [
        [[0], 0],
        [[1], 24],
      ],
      2,
      24 * H,
    )?.stepTimesMs,
  ).toHaveLength(2);
});

it('needs distinct events when a name repeats in the steps', () => {
  // steps [a, a]: one event of a reaches step 1 only, two reach step 2
  expect(best([[[0, 1], 0]], 2, 24 * H)?.stepTimesMs).toEqual([0]);
  expect(
    best(
      [
        [[0, 1], 0],
        [[0, 1], 1],
      ],
      2,
      24 * H,
    )?.stepTimesMs,
  ).toEqual([0, H]);
});

it('starts attempts only where allowed (the query range)', () => {
  expect(
    best(
      [
        [[0], 0],
        [[1], 1],
      ],
      2,
      24 * H,
      (t) => t >= H,
    ),
  ).toBeUndefined();
});

it("reads only the user's own slice of the arrays", () => {
  const events: StepEvents = { timesMs: [0, H, 2 * H, 3 * H], stepBits: [1, 2, 1, 2] };
  expect(bestAttempt(events, 1, 3, 2, 24 * H, always)?.stepTimesMs).toEqual([2 * H]);
});

/** Every allowed start followed greedily, the longest kept (the earliest of equals): the definition, without shortcuts. */
function bestByEveryStart(e: StepEvents, n: number, stepCount: number, windowMs: number): Attempt | undefined {
  let found: number[] | undefined;
  for (let s = 0; s < n; s++) {
    if (((e.stepBits[s] as number) & 1) === 0) continue;
    const times = [e.timesMs[s] as number];
    for (let j = s + 1; j < n && times.length < stepCount; j++) {
      if ((e.timesMs[j] as number) > (e.timesMs[s] as number) + windowMs) break;
      if (((e.stepBits[j] as number) >> times.length) & 1) times.push(e.timesMs[j] as number);
    }
    if (!found || times.length > found.length) found = times;
  }
  return found && { stepTimesMs: found };
}

it('gives the same attempt as trying every start, on random users (repeated names, ties)', () => {
  let seed = 7;
  const rand = (n: number) => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) % n;
  for (let run = 0; run < 2_000; run++) {
    const n = 1 + rand(14);
    const stepCount = 2 + rand(4);
    let t = 0;
    const timesMs: number[] = [];
    const stepBits: number[] = [];
    for (let i = 0; i < n; i++) {
      t += rand(3) * H; // zero gaps make ties
      timesMs.push(t);
      stepBits.push(rand(1 << stepCount));
    }
    const e = { timesMs, stepBits };
    const windowMs = (1 + rand(6)) * H;
    expect(bestAttempt(e, 0, n, stepCount, windowMs, always)).toEqual(bestByEveryStart(e, n, stepCount, windowMs));
  }
});

it('summarizes counts, conversions and median times', () => {
  const attempts = [{ stepTimesMs: [0, 1 * H, 3 * H] }, { stepTimesMs: [0, 3 * H] }, { stepTimesMs: [0] }, { stepTimesMs: [0] }];
  expect(summarizeFunnel(attempts, 3)).toEqual([
    { step: 1, users: 4, conversionFromStart: 1, conversionFromPrevious: undefined, medianSecondsFromPrevious: undefined },
    // median of 1 h and 3 h = 2 h
    { step: 2, users: 2, conversionFromStart: 0.5, conversionFromPrevious: 0.5, medianSecondsFromPrevious: 7200 },
    { step: 3, users: 1, conversionFromStart: 0.25, conversionFromPrevious: 0.5, medianSecondsFromPrevious: 7200 },
  ]);
  expect(median([])).toBeUndefined();
});
