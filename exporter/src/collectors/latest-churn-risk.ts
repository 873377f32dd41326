import { ChurnRiskResult } from '../domain/churn-risk';

/**
 * The churn risk collector's last model and scores, shared with the query API: training reads the
 * tenant health inputs at every month start of the history, far too much to repeat per request.
 */
export class LatestChurnRisk {
  private latest?: ChurnRiskResult;

  record(result: ChurnRiskResult): void {
    this.latest = result;
  }

  /** The last result if it was computed at most `maxAgeMs` before `now` (and not after it). */
  freshAt(now: Date, maxAgeMs: number): ChurnRiskResult | undefined {
    const l = this.latest;
    if (!l) return undefined;
    const age = now.getTime() - l.asOf.getTime();
    return age >= 0 && age <= maxAgeMs ? l : undefined;
  }
}
