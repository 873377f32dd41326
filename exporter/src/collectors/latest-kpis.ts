import { EngagementKpis, RevenueKpis } from '../domain/kpi-inputs';

/** One collector's last result and the instant it is for. */
export class LatestResult<T> {
  private latest?: { asOf: Date; value: T };

  record(asOf: Date, value: T): void {
    this.latest = { asOf, value };
  }

  /** The last value if it was computed at most `maxAgeMs` before `now` (and not after it). */
  freshAt(now: Date, maxAgeMs: number): T | undefined {
    const l = this.latest;
    if (!l) return undefined;
    const age = now.getTime() - l.asOf.getTime();
    return age >= 0 && age <= maxAgeMs ? l.value : undefined;
  }
}

/**
 * The KPI values the revenue and engagement collectors computed in their last runs: the
 * alignment collector scores these instead of running the same queries again every minute. One
 * per set of collectors (allCollectors()).
 */
export class LatestKpis {
  readonly revenue = new LatestResult<RevenueKpis>();
  readonly engagement = new LatestResult<EngagementKpis>();
}
