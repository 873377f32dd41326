import { Collector } from './collector';
import { aiCollector } from './ai';
import { createAlignmentCollector, KPI_READERS } from './alignment';
import { dataQualityCollector } from './data-quality';
import { createDrCollector } from './dr';
import { createEngagementCollector } from './engagement';
import { operationsCollector } from './operations';
import { createRevenueCollector } from './revenue';
import { LatestKpis } from './latest-kpis';
import { LatestTenantHealth } from './latest-tenant-health';
import { createTenantHealthCollector } from './tenant-health';
import { Logger } from '../logger';

/**
 * The one list of collectors; enable/disable and intervals come from config.collectors. Made per
 * call (they keep state): `latest` receives the tenant health tables.
 */
export function allCollectors(latest?: LatestTenantHealth, log?: Logger): Collector[] {
  // The alignment collector scores the KPIs the revenue and engagement collectors last computed.
  const kpis = new LatestKpis();
  return [
    createRevenueCollector(kpis),
    createEngagementCollector(kpis),
    createTenantHealthCollector(latest),
    createAlignmentCollector(KPI_READERS, kpis),
    createDrCollector(log),
    operationsCollector,
    dataQualityCollector,
    aiCollector,
  ];
}
