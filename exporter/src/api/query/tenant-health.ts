import { TENANT_HEALTH_INTERVAL_SECONDS } from '../../collectors/tenant-health';
import { byScoreThenTenant, matchesFilters, TenantHealth } from '../../domain/tenant-health';
import { readTenantHealth } from '../../reads/tenant-health';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';
import { tenantHealth as contract } from '@saasmon/contract';

// Tenant health table (docs/metrics.md, "Tenant health"): one row per live tenant, worst
// first, with the four components behind each score. Scores come from the same SQL and functions
// as the saasmon_tenant_health_score gauges, uncapped; filters only choose which tenants are
// listed, never change a score. The table is the tenant_health collector's last one when that is
// at most two collector intervals old (meta.custom.asOf says when it was computed), else it is
// computed at the query instant.

const component = { min: 0, max: 100, decimals: 1 };

export const tenantHealthQuery = defineQuery({
  ...contract,
  readsCollectorSnapshots: true,
  async run(q, { db, now, config, tenantHealth }) {
    const intervalSeconds = config.collectors.tenant_health?.intervalSeconds ?? TENANT_HEALTH_INTERVAL_SECONDS;
    const latest = tenantHealth?.freshEntryAt(now, intervalSeconds * 1000);
    const asOf = latest?.asOf ?? now;
    const all = latest ? latest.value.filter((t) => matchesFilters(t, q.filters)) : await readTenantHealth(db, now, config, q.filters);
    const wanted = q.risk ? new Set(q.risk) : undefined;
    const matching = all.filter((t) => !wanted || wanted.has(t.risk)).sort(byScoreThenTenant);
    const page = matching.slice(q.offset, q.offset + q.limit);
    const frame = frameFromRows<TenantHealth>('tenant_health', page, [
      { name: 'tenant', type: 'string', value: (t) => t.tenant },
      { name: 'name', type: 'string', value: (t) => t.name },
      { name: 'plan', type: 'string', value: (t) => t.plan },
      { name: 'score', type: 'number', value: (t) => t.score, config: { min: 0, max: 100, decimals: 0 } },
      { name: 'activity', type: 'number', value: (t) => t.components.activity, config: component },
      { name: 'adoption', type: 'number', value: (t) => t.components.adoption, config: component },
      { name: 'payment', type: 'number', value: (t) => t.components.payment, config: component },
      { name: 'support', type: 'number', value: (t) => t.components.support, config: component },
      { name: 'risk', type: 'string', value: (t) => t.risk },
      { name: 'last_activity', type: 'time', value: (t) => t.lastActivity?.getTime() },
    ]);
    // total: tenants matching the filters and risk, before paging (for "page x of y").
    frame.meta = { custom: { total: matching.length, limit: q.limit, offset: q.offset, asOf: asOf.toISOString() } };
    return { frames: [frame] };
  },
});
