import { planChanges as contract } from '@saasmon/contract';
import { moneyToNumber } from '../../domain/money';
import { readPlanChanges } from '../../reads/mrr-events';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';

// Plan changes over [from, min(to, now)] (docs/metrics.md "Drill-downs"), newest first: what
// reads/mrr-events.ts counts as a plan change. The MRR delta is the MRR of the rows starting at t
// minus that of the rows ending at t: the expansion (> 0) or contraction (< 0) the change caused.

export const planChangesQuery = defineQuery({
  ...contract,
  async run(q, { db, now, config }) {
    const changes = await readPlanChanges(db, { from: q.from, to: q.to, now, limit: q.limit, filters: q.filters });
    const money = { unit: `currency${config.currency}` };
    return {
      frames: [
        frameFromRows('plan_changes', changes, [
          { name: 'time', type: 'time', value: (c) => c.at.getTime() },
          { name: 'tenant', type: 'string', value: (c) => c.tenantId },
          { name: 'name', type: 'string', value: (c) => c.name },
          { name: 'segment', type: 'string', value: (c) => c.segment },
          { name: 'old_plan', type: 'string', value: (c) => c.oldPlan },
          { name: 'new_plan', type: 'string', value: (c) => c.newPlan },
          { name: 'old_mrr', type: 'number', value: (c) => moneyToNumber(c.oldMrr), config: money },
          { name: 'new_mrr', type: 'number', value: (c) => moneyToNumber(c.newMrr), config: money },
          { name: 'mrr_delta', type: 'number', value: (c) => moneyToNumber(c.newMrr - c.oldMrr), config: money },
        ]),
      ],
    };
  },
});
