import { aiDashboard } from './dashboards/ai';
import { drDashboard } from './dashboards/dr';
import { engagementDashboard } from './dashboards/engagement';
import { executiveDashboard } from './dashboards/executive';
import { operationsDashboard } from './dashboards/operations';
import { platformDashboard } from './dashboards/platform';
import { revenueDashboard } from './dashboards/revenue';
import { tenantDashboard } from './dashboards/tenant';
import { tenantsDashboard } from './dashboards/tenants';
import { Json } from './grafana';

/** Every provisioned dashboard, by the file name it is written to under provisioning/dashboards/json. */
export const DASHBOARDS: ReadonlyArray<{ file: string; json: Json }> = [
  { file: 'executive.json', json: executiveDashboard },
  { file: 'revenue.json', json: revenueDashboard },
  { file: 'engagement.json', json: engagementDashboard },
  { file: 'tenants.json', json: tenantsDashboard },
  { file: 'tenant.json', json: tenantDashboard },
  { file: 'dr.json', json: drDashboard },
  { file: 'operations.json', json: operationsDashboard },
  { file: 'platform.json', json: platformDashboard },
  { file: 'ai.json', json: aiDashboard },
];

/** The exact text written to disk: stable key order, two-space indent, trailing newline. */
export function dashboardText(json: Json): string {
  return `${JSON.stringify(json, null, 2)}\n`;
}
