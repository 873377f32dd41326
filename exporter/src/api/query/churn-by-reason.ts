import { moneyToNumber } from '../../domain/money';
import { readChurnByReason } from '../../reads/revenue';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';
import { churnByReason as contract } from '@saasmon/contract';

// Tenants churned (tenants.churned_at) in [from, min(to, now)), per churn_reason, with the MRR
// they took with them: the tenant's MRR just before its paying rows ended (at churned_at, or
// earlier when the subscription ended before the account was marked churned).

export const churnByReasonQuery = defineQuery({
  ...contract,
  async run(q, { db, now, config }) {
    const to = new Date(Math.min(Date.parse(q.to), now.getTime()));
    const rows = await readChurnByReason(db, new Date(q.from), to);
    return {
      frames: [
        frameFromRows('churn_by_reason', rows, [
          { name: 'reason', type: 'string', value: (r) => r.reason },
          { name: 'churned_tenants', type: 'number', value: (r) => r.tenants },
          {
            name: 'lost_mrr',
            type: 'number',
            value: (r) => moneyToNumber(r.lostMrr),
            config: { unit: `currency${config.currency}` },
          },
        ]),
      ],
    };
  },
});
