import { activeUsers } from './queries/active-users';
import { cacByChannel } from './queries/cac-by-channel';
import { churnByReason } from './queries/churn-by-reason';
import { drStatus } from './queries/dr-status';
import { executiveSummary } from './queries/executive-summary';
import { experiment } from './queries/experiment';
import { featureAdoption } from './queries/feature-adoption';
import { funnel } from './queries/funnel';
import { mrrMovements } from './queries/mrr-movements';
import { nps } from './queries/nps';
import { priorityActions } from './queries/priority-actions';
import { retention } from './queries/retention';
import { revenueByPlan } from './queries/revenue-by-plan';
import { subscribersByPlan } from './queries/subscribers-by-plan';
import { tenantHealth } from './queries/tenant-health';
import { variables } from './queries/variables';
import { aiCostByTenant } from './queries/ai-cost-by-tenant';
import { aiSavingsValidation } from './queries/ai-savings-validation';
import { tenantUsage } from './queries/tenant-usage';
import { newTenants } from './queries/new-tenants';
import { highValueTenants } from './queries/high-value-tenants';
import { churnedTenants } from './queries/churned-tenants';
import { planChanges } from './queries/plan-changes';
import { lifecycleFunnel } from './queries/lifecycle-funnel';
import { revenueBreakdown } from './queries/revenue-breakdown';
import { retentionDays } from './queries/retention-days';
export { DEFAULT_DAY_OFFSETS, RETURN_WINDOW_DAYS } from './queries/retention-days';
import { powerUsers } from './queries/power-users';
import { featureImpact } from './queries/feature-impact';
import { mrrForecast } from './queries/mrr-forecast';
import { churnRisk } from './queries/churn-risk';
import { annotations } from './queries/annotations';
export { ANNOTATION_KINDS, AnnotationKind } from './queries/annotations';

export {
  activeUsers,
  cacByChannel,
  churnByReason,
  drStatus,
  executiveSummary,
  experiment,
  featureAdoption,
  funnel,
  mrrMovements,
  nps,
  priorityActions,
  retention,
  revenueByPlan,
  subscribersByPlan,
  tenantHealth,
  variables,
  aiCostByTenant,
  aiSavingsValidation,
  tenantUsage,
  newTenants,
  highValueTenants,
  churnedTenants,
  planChanges,
  lifecycleFunnel,
  revenueBreakdown,
  retentionDays,
  powerUsers,
  featureImpact,
  mrrForecast,
  churnRisk,
  annotations,
};

/** Every query type, in the order the editor offers them. Append a new one here. */
export const QUERY_CONTRACTS = [
  executiveSummary,
  priorityActions,
  retention,
  funnel,
  mrrMovements,
  revenueByPlan,
  subscribersByPlan,
  churnByReason,
  cacByChannel,
  featureAdoption,
  tenantHealth,
  activeUsers,
  nps,
  experiment,
  drStatus,
  variables,
  aiCostByTenant,
  aiSavingsValidation,
  tenantUsage,
  newTenants,
  highValueTenants,
  churnedTenants,
  planChanges,
  lifecycleFunnel,
  revenueBreakdown,
  retentionDays,
  powerUsers,
  featureImpact,
  mrrForecast,
  churnRisk,
  annotations,
] as const;

export type AnyQueryContract = (typeof QUERY_CONTRACTS)[number];
export type QueryTypeName = AnyQueryContract['type'];

export function contractOf(type: string): AnyQueryContract | undefined {
  return QUERY_CONTRACTS.find((c) => c.type === type);
}
