import { Collector } from './collector';
import { alignmentCollector } from './alignment';
import { dataQualityCollector } from './data-quality';
import { createDrCollector } from './dr';
import { engagementCollector } from './engagement';
import { operationsCollector } from './operations';
import { revenueCollector } from './revenue';
import { LatestTenantHealth } from './latest-tenant-health';
import { createTenantHealthCollector } from './tenant-health';
import { Logger } from '../logger';

/**
 * The one list of collectors; enable/disable and intervals come from config.collectors. The
 * tenant health collector is made per call (it keeps state): `latest` receives its tables.
 */
export function allCollectors(latest?: LatestTenantHealth, log?: Logger): Collector[] {
  return [
    revenueCollector,
    engagementCollector,
    createTenantHealthCollector(latest),
    alignmentCollector,
    createDrCollector(log),
    operationsCollector,
    dataQualityCollector,
  ];
}
