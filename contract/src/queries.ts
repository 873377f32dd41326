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
] as const;

export type AnyQueryContract = (typeof QUERY_CONTRACTS)[number];
export type QueryTypeName = AnyQueryContract['type'];

export function contractOf(type: string): AnyQueryContract | undefined {
  return QUERY_CONTRACTS.find((c) => c.type === type);
}
