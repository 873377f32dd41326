/**
 * How long a collector's refresh cycle really is: the time between its last two results, on a
 * monotonic clock. A collector's last result stands for "now" while the collector keeps up, for
 * two cycles: its interval, or, when a run takes longer than the interval (large data, a busy
 * database), the time runs actually take. Without the second, every reader of a result that
 * takes longer than twice its interval to compute would compute it again, adding the same load
 * that made it slow.
 */
export class RefreshCycle {
  private lastMs: number | undefined;
  private cycleMs = 0;

  constructor(private readonly clockMs: () => number = () => performance.now()) {}

  /** Called with each new result. */
  recorded(): void {
    const t = this.clockMs();
    if (this.lastMs !== undefined) this.cycleMs = t - this.lastMs;
    this.lastMs = t;
  }

  /** Whether a result computed for `asOf` still stands at `now`, for a collector of this interval. */
  fresh(asOf: Date, now: Date, intervalMs: number): boolean {
    const age = now.getTime() - asOf.getTime();
    return age >= 0 && age <= 2 * Math.max(intervalMs, this.cycleMs);
  }
}
