import { RefreshCycle } from './refresh-cycle';

/** One collector's last result and the instant it is for, shared with its readers. */
export class LatestResult<T> {
  private latest?: { asOf: Date; value: T };
  private readonly cycle = new RefreshCycle();

  record(asOf: Date, value: T): void {
    this.latest = { asOf, value };
    this.cycle.recorded();
  }

  /** The last result while it stands for `now` (RefreshCycle), for a collector run every `intervalMs`. */
  freshEntryAt(now: Date, intervalMs: number): { asOf: Date; value: T } | undefined {
    const l = this.latest;
    return l && this.cycle.fresh(l.asOf, now, intervalMs) ? l : undefined;
  }

  /** The last value while it stands for `now`. */
  freshAt(now: Date, intervalMs: number): T | undefined {
    return this.freshEntryAt(now, intervalMs)?.value;
  }
}
