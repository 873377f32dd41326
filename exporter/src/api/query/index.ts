import { aiCostByTenantQuery } from './ai-cost-by-tenant';
import { aiSavingsValidationQuery } from './ai-savings-validation';
import { cacByChannelQuery } from './cac-by-channel';
import { churnByReasonQuery } from './churn-by-reason';
import { mrrMovementsQuery } from './mrr-movements';
import { revenueByPlanQuery } from './revenue-by-plan';
import { activeUsersQuery } from './active-users';
import { drStatusQuery } from './dr-status';
import { experimentQuery } from './experiment';
import { featureAdoptionQuery } from './feature-adoption';
import { funnelQuery } from './funnel';
import { npsQuery } from './nps';
import { retentionQuery } from './retention';
import { tenantHealthQuery } from './tenant-health';
import { tenantUsageQuery } from './tenant-usage';
import { AnyQueryType } from './registry';
import { variablesQuery } from './variables';
import { subscribersByPlanQuery } from './subscribers-by-plan';
import { churnedTenantsQuery } from './churned-tenants';
import { highValueTenantsQuery } from './high-value-tenants';
import { newTenantsQuery } from './new-tenants';
import { planChangesQuery } from './plan-changes';
import { lifecycleFunnelQuery } from './lifecycle-funnel';
import { revenueBreakdownQuery } from './revenue-breakdown';
import { retentionDaysQuery } from './retention-days';
import { powerUsersQuery } from './power-users';
import { featureImpactQuery } from './feature-impact';
import { mrrForecastQuery } from './mrr-forecast';
import { churnRiskQuery } from './churn-risk';

import { executiveSummaryQuery } from './executive-summary';
import { priorityActionsQuery } from './priority-actions';
import { annotationsQuery } from './annotations';

/** Every query type of POST /api/v1/query, by its `type`. */
export const QUERY_TYPES: readonly AnyQueryType[] = [
  activeUsersQuery,
  drStatusQuery,
  experimentQuery,
  featureAdoptionQuery,
  funnelQuery,
  npsQuery,
  retentionQuery,
  tenantHealthQuery,
  variablesQuery,
  mrrMovementsQuery,
  revenueByPlanQuery,
  churnByReasonQuery,
  cacByChannelQuery,
  executiveSummaryQuery,
  priorityActionsQuery,
  subscribersByPlanQuery,
  aiCostByTenantQuery,
  aiSavingsValidationQuery,
  tenantUsageQuery,
  newTenantsQuery,
  highValueTenantsQuery,
  churnedTenantsQuery,
  planChangesQuery,
  lifecycleFunnelQuery,
  revenueBreakdownQuery,
  retentionDaysQuery,
  powerUsersQuery,
  featureImpactQuery,
  mrrForecastQuery,
  churnRiskQuery,
  annotationsQuery,
];
