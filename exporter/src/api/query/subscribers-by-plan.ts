import { subscribersByPlan as contract } from '@saasmon/contract';
import { moneyToNumber } from '../../domain/money';
import { arpa } from '../../domain/mrr';
import { readSubscribersByPlan } from '../../reads/revenue';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';

// Paying tenants and MRR per plan now (the plan of the subscription row in force, as
// saasmon_mrr_by_plan), with ARPA; a plan whose customers all left shows 0, not nothing.

export const subscribersByPlanQuery = defineQuery({
  ...contract,
  async run(_q, { db, now, config }) {
    const plans = await readSubscribersByPlan(db, now);
    const money = { unit: `currency${config.currency}` };
    return {
      frames: [
        frameFromRows('subscribers_by_plan', plans, [
          { name: 'plan', type: 'string', value: (p) => p.plan },
          { name: 'subscribers', type: 'number', value: (p) => p.subscribers },
          { name: 'mrr', type: 'number', value: (p) => moneyToNumber(p.mrr), config: money },
          { name: 'arpa', type: 'number', value: (p) => arpa(p.mrr, p.subscribers), config: money },
        ]),
      ],
    };
  },
});
