import { ROW_MRR } from '../reads/revenue';

/**
 * The plan a tenant is on at an instant, for breakdowns that count each tenant once: the plan of
 * its largest subscription row in force there (by row MRR, then plan name), trials and free rows
 * included; null when no row is in force. Rows of zero length are never in force. `tenantId` and
 * `at` are SQL expressions (a column, a parameter), never client text.
 */
export function planInForceSql(tenantId: string, at: string): string {
  return `(SELECT s.plan FROM subscriptions s
   WHERE s.tenant_id = ${tenantId} AND s.valid_from <= ${at} AND coalesce(s.valid_to, 'infinity') > ${at}
   ORDER BY ${ROW_MRR} DESC, s.plan LIMIT 1)`;
}
