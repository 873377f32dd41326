import { revenueBreakdown as contract } from '@saasmon/contract';
import { arpa, changesBetween, classifyMovements, customerChurnRate, grossMrrChurnRate, lifetimeValue } from '../../domain/mrr';
import { Micros, moneyToNumber } from '../../domain/money';
import { readTenantMrr } from '../../reads/revenue';

import { readTenantPlans, TenantPlans } from '../../reads/tenants';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';

// Customer churn (30d), gross MRR churn (30d), ARPA and LTV per plan or segment at T
// (docs/metrics.md "Breakdowns"), with the same functions as the revenue collector's gauges over
// the tenants of each group: churn over the tenants by their plan at T-30d, ARPA and LTV by their
// plan at T (a tenant that changed plan counts in its old plan's churn and its new plan's ARPA).

const DAY_MS = 86_400_000;
const NONE = '(none)';

export interface GroupFigures {
  group: string;
  payingAtStart: number;
  churned: number;
  customerChurn: number | undefined;
  grossMrrChurn: number | undefined;
  paying: number;
  mrr: Micros;
  arpa: number | undefined;
  ltv: number | undefined;
}

export const revenueBreakdownQuery = defineQuery({
  ...contract,
  async run(q, { db, now, config }) {
    const at = new Date(Math.min(q.at ? Date.parse(q.at) : now.getTime(), now.getTime()));
    const start = new Date(at.getTime() - 30 * DAY_MS);
    const tenants = await readTenantMrr(db, [at, start]);
    const attrs = await readTenantPlans(
      db,
      tenants.map((t) => t.tenantId),
      at,
      start,
      q.filters,
    );
    const keyAtStart = (r: TenantPlans) => (q.by === 'plan' ? r.planStart : r.segment) ?? NONE;
    const keyNow = (r: TenantPlans) => (q.by === 'plan' ? r.planNow : r.segment) ?? NONE;
    const groups = new Set<string>();
    for (const t of tenants) {
      const r = attrs.get(t.tenantId);
      if (!r) continue;
      if ((t.mrr[1] ?? 0n) > 0n) groups.add(keyAtStart(r));
      if ((t.mrr[0] ?? 0n) > 0n) groups.add(keyNow(r));
    }
    const figures: GroupFigures[] = [...groups].sort().map((group) => {
      const churnGroup = tenants.filter((t) => {
        const r = attrs.get(t.tenantId);
        return r !== undefined && (t.mrr[1] ?? 0n) > 0n && keyAtStart(r) === group;
      });
      // Index 1 is T-30d, index 0 is T: the movements of [T-30d, T) of the group's tenants.
      const m = classifyMovements(changesBetween(churnGroup, 1, 0, start.getTime()));
      let mrr = 0n;
      let paying = 0;
      for (const t of tenants) {
        const r = attrs.get(t.tenantId);
        const v = t.mrr[0] ?? 0n;
        if (r === undefined || v === 0n || keyNow(r) !== group) continue;
        mrr += v;
        paying++;
      }
      const arpaValue = arpa(mrr, paying);
      const churn = customerChurnRate(m);
      return {
        group,
        payingAtStart: m.payingAtStart,
        churned: m.tenants.churn,
        customerChurn: churn,
        grossMrrChurn: grossMrrChurnRate(m),
        paying,
        mrr,
        arpa: arpaValue,
        ltv: lifetimeValue(arpaValue, config.revenue.grossMargin, churn),
      };
    });
    const money = { unit: `currency${config.currency}` };
    const rate = { unit: 'percentunit', min: 0, max: 1 };
    const frame = frameFromRows('revenue_breakdown', figures, [
      { name: q.by, type: 'string', value: (g) => g.group },
      { name: 'paying_30d_ago', type: 'number', value: (g) => g.payingAtStart },
      { name: 'churned_30d', type: 'number', value: (g) => g.churned },
      { name: 'customer_churn_rate', type: 'number', value: (g) => g.customerChurn, config: rate },
      { name: 'gross_mrr_churn_rate', type: 'number', value: (g) => g.grossMrrChurn, config: rate },
      { name: 'paying', type: 'number', value: (g) => g.paying },
      { name: 'mrr', type: 'number', value: (g) => moneyToNumber(g.mrr), config: money },
      { name: 'arpa', type: 'number', value: (g) => g.arpa, config: money },
      { name: 'ltv', type: 'number', value: (g) => g.ltv, config: money },
    ]);
    frame.meta = { custom: { at: at.toISOString() } };
    return { frames: [frame] };
  },
});
