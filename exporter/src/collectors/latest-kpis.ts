import { EngagementKpis, RevenueKpis } from '../domain/kpi-inputs';
import { RefreshCycle } from './refresh-cycle';

/** One collector's last result and the instant it is for. */
export class LatestResult<T> {
  private latest?: { asOf: Date; value: T };
  private readonly cycle = new RefreshCycle();

  record(asOf: Date, value: T): void {
    this.latest = { asOf, value };
    this.cycle.recorded();
  }

  /** The last value while it stands for `now` (RefreshCycle), for a collector run every `intervalMs`. */
  freshAt(now: Date, intervalMs: number): T | undefined {
    const l = this.latest;
    return l && this.cycle.fresh(l.asOf, now, intervalMs) ? l.value : undefined;
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
