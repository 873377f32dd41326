import { tenantUsage as contract } from '@saasmon/contract';
import { readTenantUsage } from '../../reads/tenant-usage';
import { frameFromRows, timeMs } from './frames';
import { defineQuery } from './registry';

// Usage against plan limits per tenant and resource at an instant T (default now, never later),
// as reads/tenant-usage.ts reads it: fullest first, so the tenants about to hit a limit lead.

export const tenantUsageQuery = defineQuery({
  ...contract,
  async run(q, { db, now }) {
    const at = q.at ? new Date(Math.min(Date.parse(q.at), now.getTime())) : now;
    const rows = await readTenantUsage(db, at, q.resources ?? [], q.limit, q.filters);
    return {
      frames: [
        frameFromRows('tenant_usage', rows, [
          { name: 'tenant_id', type: 'string', value: (r) => r.tenantId },
          { name: 'tenant', type: 'string', value: (r) => r.name ?? r.tenantId },
          { name: 'plan', type: 'string', value: (r) => r.plan },
          { name: 'resource', type: 'string', value: (r) => r.resource },
          { name: 'usage', type: 'number', value: (r) => r.usage },
          { name: 'limit', type: 'number', value: (r) => r.limit },
          { name: 'usage_ratio', type: 'number', value: (r) => r.ratio, config: { unit: 'percentunit' } },
          { name: 'measured_at', type: 'time', value: (r) => timeMs(r.measuredAt) },
        ]),
      ],
    };
  },
});
