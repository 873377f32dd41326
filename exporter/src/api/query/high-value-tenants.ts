import { highValueTenants as contract } from '@saasmon/contract';
import { moneyRatio } from '../../domain/mrr';
import { Micros, moneyToNumber, sumMoney } from '../../domain/money';
import { readTenantMrr } from '../../reads/revenue';

import { readTenantAttributes, TenantAttributes } from '../../reads/tenants';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';

// The tenants paying the most now (docs/metrics.md "Drill-downs"): MRR at the query instant as
// the revenue collector counts it (readTenantMrr), descending, ties by tenant id; the share is of
// the whole company's MRR (filters choose which tenants are listed, not the denominator).

interface Ranked extends TenantAttributes {
  mrr: Micros;
  firstPaidAtMs: number;
}

export const highValueTenantsQuery = defineQuery({
  ...contract,
  async run(q, { db, now, config }) {
    const paying = (await readTenantMrr(db, [now])).filter((t) => (t.mrr[0] ?? 0n) > 0n);
    const total = sumMoney(paying.map((t) => t.mrr[0] ?? 0n));
    const byId = await readTenantAttributes(
      db,
      paying.map((t) => t.tenantId),
      now,
      q.filters,
    );
    const ranked: Ranked[] = [];
    for (const t of paying) {
      const r = byId.get(t.tenantId);
      if (r) ranked.push({ ...r, mrr: t.mrr[0] ?? 0n, firstPaidAtMs: t.firstPaidAtMs });
    }
    ranked.sort((a, b) => (a.mrr !== b.mrr ? (b.mrr > a.mrr ? 1 : -1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const money = { unit: `currency${config.currency}` };
    const page = ranked.slice(0, q.limit).map((r, i) => ({ ...r, rank: i + 1 }));
    return {
      frames: [
        frameFromRows('high_value_tenants', page, [
          { name: 'rank', type: 'number', value: (r) => r.rank },
          { name: 'tenant', type: 'string', value: (r) => r.id },
          { name: 'name', type: 'string', value: (r) => r.name },
          { name: 'plan', type: 'string', value: (r) => r.plan },
          { name: 'segment', type: 'string', value: (r) => r.segment },
          { name: 'channel', type: 'string', value: (r) => r.channel },
          { name: 'mrr', type: 'number', value: (r) => moneyToNumber(r.mrr), config: money },
          { name: 'arr', type: 'number', value: (r) => moneyToNumber(12n * r.mrr), config: money },
          { name: 'share_of_mrr', type: 'number', value: (r) => moneyRatio(r.mrr, total), config: { unit: 'percentunit' } },
          { name: 'users', type: 'number', value: (r) => r.users },
          { name: 'first_paid_at', type: 'time', value: (r) => r.firstPaidAtMs },
        ]),
      ],
    };
  },
});
