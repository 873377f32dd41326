/**
 * Funnel counting (docs/metrics.md, "Funnel"), as plain functions over one user's events.
 * An attempt starts at any step-1 event; each later step is the first matching event after the
 * previous step's event and no later than the attempt start plus the conversion window. Taking
 * the first match is optimal: an earlier match leaves every later choice open. A user counts at
 * the furthest step of their best attempt; ties go to the earliest attempt.
 */

/**
 * One or more users' events as parallel arrays (a funnel reads hundreds of thousands: no object per
 * event). Within one user's slice, events are in time order, ties in a stable order.
 */
export interface StepEvents {
  timesMs: ArrayLike<number>;
  /** Bit k set when the event's name is step k's (a name may be several steps). */
  stepBits: ArrayLike<number>;
}

export interface Attempt {
  /** Times of the steps reached, step 1 first; length = furthest step reached. */
  stepTimesMs: number[];
}

/**
 * The best attempt of the user whose events are `events[begin..end)`. `canStart(timeMs)` says
 * whether a step-1 event may start an attempt (the query's time range).
 */
export function bestAttempt(
  events: StepEvents,
  begin: number,
  end: number,
  stepCount: number,
  windowMs: number,
  canStart: (timeMs: number) => boolean,
): Attempt | undefined {
  const { timesMs, stepBits } = events;
  let best: number[] | undefined;
  for (let start = begin; start < end; start++) {
    if (((stepBits[start] as number) & 1) === 0) continue;
    const t0 = timesMs[start] as number;
    if (!canStart(t0)) continue;
    const times = [t0];
    const deadline = t0 + windowMs;
    let j = start + 1;
    for (; j < end && times.length < stepCount; j++) {
      const t = timesMs[j] as number;
      if (t > deadline) break;
      if (((stepBits[j] as number) >> times.length) & 1) times.push(t);
    }
    if (!best || times.length > best.length) best = times;
    if (times.length === stepCount) break;
    // Out of events before the window closed: a later start matches each step no earlier than
    // this one did, so it cannot get further either.
    if (j === end) break;
  }
  return best && { stepTimesMs: best };
}

export interface FunnelStepResult {
  step: number;
  users: number;
  conversionFromStart: number | undefined;
  conversionFromPrevious: number | undefined;
  /** Median seconds from the previous step over users who made both; undefined for step 1 or none. */
  medianSecondsFromPrevious: number | undefined;
}

export function median(values: ArrayLike<number>): number | undefined {
  if (values.length === 0) return undefined;
  const s = Float64Array.from(values).sort(); // numeric order, without a comparator call per pair
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Step counts, conversions and median times from the best attempts of a group of users. */
export function summarizeFunnel(attempts: readonly Attempt[], stepCount: number): FunnelStepResult[] {
  // users[k]: attempts that reached step k + 1; gaps[k]: their seconds from step k to step k + 1.
  const users = new Array<number>(stepCount).fill(0);
  for (const a of attempts) for (let k = 0; k < Math.min(stepCount, a.stepTimesMs.length); k++) users[k] = (users[k] as number) + 1;
  const gaps = users.map((n) => new Float64Array(n));
  const filled = new Array<number>(stepCount).fill(0);
  for (const a of attempts) {
    for (let k = 1; k < Math.min(stepCount, a.stepTimesMs.length); k++) {
      (gaps[k] as Float64Array)[filled[k] as number] = ((a.stepTimesMs[k] as number) - (a.stepTimesMs[k - 1] as number)) / 1000;
      filled[k] = (filled[k] as number) + 1;
    }
  }
  const first = users[0] as number;
  return users.map((n, k) => {
    const previous = users[k - 1];
    return {
      step: k + 1,
      users: n,
      conversionFromStart: first > 0 ? n / first : undefined,
      conversionFromPrevious: k === 0 ? undefined : previous ? n / previous : undefined,
      medianSecondsFromPrevious: k === 0 ? undefined : median(gaps[k] as Float64Array),
    };
  });
}
