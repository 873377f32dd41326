import { ChurnRiskResult } from '../domain/churn-risk';
import { LatestResult } from './latest-result';

/**
 * The churn risk collector's last model and scores, shared with the query API: training reads the
 * tenant health inputs at every month start of the history, far too much to repeat per request.
 */
export class LatestChurnRisk extends LatestResult<ChurnRiskResult> {}
