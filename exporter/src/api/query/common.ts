// The schema building blocks live in the query contract (@saasmon/contract); re-exported for the
// query modules that build their own schema.
export { breakdown, checkRange, eventName, MAX_RANGE_MS, tenantFilters, timeRange } from '@saasmon/contract';
export type { Breakdown, TenantFilters } from '@saasmon/contract';

// The SQL of tenant filters and breakdowns lives with the reads; re-exported for the query modules.
export { breakdownColumn, tenantFilterSettings, tenantFilterSettingsSql, tenantFilterSql } from '../../reads/tenant-filter';
