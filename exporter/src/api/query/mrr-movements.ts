import { moneyToNumber } from '../../domain/money';
import { changesBetween, classifyMovements, revenuePeriods } from '../../domain/mrr';
import { readTenantMrr } from '../../reads/revenue';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';
import { mrrMovements as contract } from '@saasmon/contract';

// MRR movements per calendar period (docs/metrics.md, "MRR movements"): the
// same classification as the exporter's saasmon_mrr_movement_30d, one period [start, end) per
// row, so ending_mrr = starting_mrr + new + reactivation + expansion - contraction - churn holds
// in every row, and each row's ending_mrr is the next row's starting_mrr.

export const mrrMovementsQuery = defineQuery({
  ...contract,
  async run(q, { db, now, config }) {
    const periods = revenuePeriods(Date.parse(q.from), Date.parse(q.to), q.interval, now.getTime());
    // Boundaries: every period start, then the last end (period k runs from instant k to k + 1).
    const instants = periods.length ? [...periods.map((p) => p.startMs), (periods.at(-1) as { endMs: number }).endMs] : [];
    const tenants = await readTenantMrr(
      db,
      instants.map((ms) => new Date(ms)),
    );
    const rows = periods.map((p, k) => ({ ...p, m: classifyMovements(changesBetween(tenants, k, k + 1, p.startMs)) }));
    const money = { unit: `currency${config.currency}` };
    return {
      frames: [
        frameFromRows('mrr_movements', rows, [
          { name: 'time', type: 'time', value: (r) => r.startMs },
          { name: 'end', type: 'time', value: (r) => r.endMs },
          { name: 'starting_mrr', type: 'number', value: (r) => moneyToNumber(r.m.startingMrr), config: money },
          { name: 'new', type: 'number', value: (r) => moneyToNumber(r.m.totals.new), config: money },
          { name: 'expansion', type: 'number', value: (r) => moneyToNumber(r.m.totals.expansion), config: money },
          { name: 'contraction', type: 'number', value: (r) => moneyToNumber(r.m.totals.contraction), config: money },
          { name: 'churn', type: 'number', value: (r) => moneyToNumber(r.m.totals.churn), config: money },
          { name: 'reactivation', type: 'number', value: (r) => moneyToNumber(r.m.totals.reactivation), config: money },
          { name: 'ending_mrr', type: 'number', value: (r) => moneyToNumber(r.m.endingMrr), config: money },
        ]),
      ],
    };
  },
});
