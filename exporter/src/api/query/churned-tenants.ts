import { churnedTenants as contract } from '@saasmon/contract';
import { moneyToNumber } from '../../domain/money';
import { readChurnedTenants } from '../../reads/mrr-events';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';

// Churn events over [from, min(to, now)] (docs/metrics.md "Drill-downs"), newest first: what
// reads/mrr-events.ts counts as a churn, with the MRR lost and the tenant's churn reason.

export const churnedTenantsQuery = defineQuery({
  ...contract,
  async run(q, { db, now, config }) {
    const churns = await readChurnedTenants(db, { from: q.from, to: q.to, now, limit: q.limit, filters: q.filters });
    return {
      frames: [
        frameFromRows('churned_tenants', churns, [
          { name: 'time', type: 'time', value: (c) => c.at.getTime() },
          { name: 'tenant', type: 'string', value: (c) => c.tenantId },
          { name: 'name', type: 'string', value: (c) => c.name },
          { name: 'plan', type: 'string', value: (c) => c.plan },
          { name: 'segment', type: 'string', value: (c) => c.segment },
          { name: 'lost_mrr', type: 'number', value: (c) => moneyToNumber(c.lostMrr), config: { unit: `currency${config.currency}` } },
          { name: 'reason', type: 'string', value: (c) => c.reason },
        ]),
      ],
    };
  },
});
