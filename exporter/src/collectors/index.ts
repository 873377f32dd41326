import { Collector } from './collector';
import { alignmentCollector } from './alignment';
import { dataQualityCollector } from './data-quality';
import { drCollector } from './dr';
import { engagementCollector } from './engagement';
import { operationsCollector } from './operations';
import { revenueCollector } from './revenue';
import { tenantHealthCollector } from './tenant-health';

/** The one list of collectors; enable/disable and intervals come from config.collectors. */
export function allCollectors(): Collector[] {
  return [
    revenueCollector,
    engagementCollector,
    tenantHealthCollector,
    alignmentCollector,
    drCollector,
    operationsCollector,
    dataQualityCollector,
  ];
}
