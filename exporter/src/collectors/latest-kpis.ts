import { EngagementKpis, RevenueKpis } from '../domain/kpi-inputs';
import { LatestResult } from './latest-result';

/**
 * The KPI values the revenue and engagement collectors computed in their last runs: the
 * alignment collector scores these instead of running the same queries again every minute. One
 * per set of collectors (allCollectors()).
 */
export class LatestKpis {
  readonly revenue = new LatestResult<RevenueKpis>();
  readonly engagement = new LatestResult<EngagementKpis>();
}
