import { aiCostByTenant as contract } from '@saasmon/contract';
import { moneyToNumber } from '../../domain/money';
import { readAiCostByTenant } from '../../reads/ai';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';

// Top tenants by AI spend over [from, min(to, now)): the cost of their AI calls (started_at in the
// range) plus the compute cost of their training jobs (finished_at in the range), largest first.
// Per-tenant cost is a query rather than a series: tenant ids never become metric labels. The SQL
// is reads/ai.ts.

export const aiCostByTenantQuery = defineQuery({
  ...contract,
  async run(q, { db, now, config }) {
    const to = new Date(Math.min(Date.parse(q.to), now.getTime()));
    const rows = await readAiCostByTenant(db, q.from, to, q.limit);
    const money = { unit: `currency${config.currency}` };
    const m = moneyToNumber;
    return {
      frames: [
        frameFromRows('ai_cost_by_tenant', rows, [
          { name: 'tenant_id', type: 'string', value: (r) => r.tenantId },
          { name: 'tenant', type: 'string', value: (r) => r.name ?? r.tenantId },
          { name: 'total_cost', type: 'number', value: (r) => m(r.totalCost), config: money },
          { name: 'ai_cost', type: 'number', value: (r) => m(r.aiCost), config: money },
          { name: 'compute_cost', type: 'number', value: (r) => m(r.computeCost), config: money },
          { name: 'ai_requests', type: 'number', value: (r) => r.requests },
          { name: 'training_jobs', type: 'number', value: (r) => r.jobs },
          { name: 'gpu_hours', type: 'number', value: (r) => r.gpuHours },
        ]),
      ],
    };
  },
});
