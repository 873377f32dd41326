/**
 * Funnel counting (metric-definitions.md "Funnel"), as plain functions over one user's events.
 * An attempt starts at any step-1 event; each later step is the first matching event after the
 * previous step's event and no later than the attempt start plus the conversion window. Taking
 * the first match is optimal: an earlier match leaves every later choice open. A user counts at
 * the furthest step of their best attempt; ties go to the earliest attempt.
 */

export interface FunnelEvent {
  /** Index of the step this event's name matches, for every step it matches (a name may repeat). */
  steps: readonly number[];
  timeMs: number;
}

export interface Attempt {
  /** Times of the steps reached, step 1 first; length = furthest step reached. */
  stepTimesMs: number[];
}

/** First index in sorted `positions` greater than `after`, or -1. */
function firstAfter(positions: readonly number[], after: number): number {
  let lo = 0;
  let hi = positions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((positions[mid] as number) <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo < positions.length ? (positions[lo] as number) : -1;
}

/**
 * The best attempt of one user. `events` must be sorted by time (ties in a stable order);
 * `canStart(timeMs)` says whether a step-1 event may start an attempt (the query's time range).
 */
export function bestAttempt(
  events: readonly FunnelEvent[],
  stepCount: number,
  windowMs: number,
  canStart: (timeMs: number) => boolean,
): Attempt | undefined {
  const positions: number[][] = Array.from({ length: stepCount }, () => []);
  events.forEach((e, i) => e.steps.forEach((s) => positions[s]?.push(i)));
  let best: Attempt | undefined;
  for (const start of positions[0] as number[]) {
    const t0 = (events[start] as FunnelEvent).timeMs;
    if (!canStart(t0)) continue;
    const times = [t0];
    let pos = start;
    for (let k = 1; k < stepCount; k++) {
      const next = firstAfter(positions[k] as number[], pos);
      if (next < 0) break;
      const t = (events[next] as FunnelEvent).timeMs;
      if (t > t0 + windowMs) break;
      times.push(t);
      pos = next;
    }
    if (!best || times.length > best.stepTimesMs.length) best = { stepTimesMs: times };
    if (times.length === stepCount) break;
  }
  return best;
}

export interface FunnelStepResult {
  step: number;
  users: number;
  conversionFromStart: number | undefined;
  conversionFromPrevious: number | undefined;
  /** Median seconds from the previous step over users who made both; undefined for step 1 or none. */
  medianSecondsFromPrevious: number | undefined;
}

export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Step counts, conversions and median times from the best attempts of a group of users. */
export function summarizeFunnel(attempts: readonly Attempt[], stepCount: number): FunnelStepResult[] {
  const results: FunnelStepResult[] = [];
  for (let k = 0; k < stepCount; k++) {
    const reached = attempts.filter((a) => a.stepTimesMs.length > k);
    const users = reached.length;
    const first = results[0]?.users ?? users;
    const previous = results[k - 1]?.users;
    results.push({
      step: k + 1,
      users,
      conversionFromStart: first > 0 ? users / first : undefined,
      conversionFromPrevious: k === 0 ? undefined : previous ? users / previous : undefined,
      medianSecondsFromPrevious:
        k === 0
          ? undefined
          : median(reached.map((a) => ((a.stepTimesMs[k] as number) - (a.stepTimesMs[k - 1] as number)) / 1000)),
    });
  }
  return results;
}
