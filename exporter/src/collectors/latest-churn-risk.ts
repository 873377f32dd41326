import { ChurnRiskResult } from '../domain/churn-risk';
import { RefreshCycle } from './refresh-cycle';

/**
 * The churn risk collector's last model and scores, shared with the query API: training reads the
 * tenant health inputs at every month start of the history, far too much to repeat per request.
 */
export class LatestChurnRisk {
  private latest?: ChurnRiskResult;
  private readonly cycle = new RefreshCycle();

  record(result: ChurnRiskResult): void {
    this.latest = result;
    this.cycle.recorded();
  }

  /** The last result while it stands for `now` (RefreshCycle), for a collector run every `intervalMs`. */
  freshAt(now: Date, intervalMs: number): ChurnRiskResult | undefined {
    const l = this.latest;
    return l && this.cycle.fresh(l.asOf, now, intervalMs) ? l : undefined;
  }
}
