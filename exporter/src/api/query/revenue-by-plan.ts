import { moneyToNumber } from '../../domain/money';
import { revenuePeriods } from '../../domain/mrr';
import { readMrrByPlan } from '../../reads/revenue';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';
import { revenueByPlan as contract } from '@saasmon/contract';

// MRR per plan at the end of each calendar period (the plan of the subscription row in force
// there, as saasmon_mrr_by_plan), one column per plan. A plan with no row started yet by a
// period's end is null there (not yet a plan), a plan whose customers all left is 0.

export const revenueByPlanQuery = defineQuery({
  ...contract,
  async run(q, { db, now, config }) {
    const periods = revenuePeriods(Date.parse(q.from), Date.parse(q.to), q.interval, now.getTime());
    const byPeriod = await readMrrByPlan(
      db,
      periods.map((p) => new Date(p.endMs)),
    );
    const plans = [...new Set(byPeriod.flatMap((ps) => ps.map((p) => p.plan)))].sort();
    const rows = periods.map((p, k) => ({ ...p, mrr: new Map((byPeriod[k] ?? []).map((x) => [x.plan, x.mrr])) }));
    const money = { unit: `currency${config.currency}` };
    return {
      frames: [
        frameFromRows('revenue_by_plan', rows, [
          { name: 'time', type: 'time', value: (r) => r.startMs },
          { name: 'at', type: 'time', value: (r) => r.endMs },
          ...plans.map((plan) => ({
            name: plan,
            type: 'number' as const,
            value: (r: (typeof rows)[number]) => {
              const v = r.mrr.get(plan);
              return v === undefined ? undefined : moneyToNumber(v);
            },
            config: money,
          })),
        ]),
      ],
    };
  },
});
