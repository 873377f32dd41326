import { Micros, moneyToNumber, sumMoney } from '../../domain/money';
import { acquisitionCost, nextPeriodStart, revenuePeriods } from '../../domain/mrr';
import { readAcquisition } from '../../reads/revenue';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';
import { cacByChannel as contract } from '@saasmon/contract';

// CAC per calendar month (UTC) and acquisition channel, as saasmon_cac: marketing spend of the
// month over tenants whose first paying instant falls in it. Per month one row per channel
// (tenants without a channel as "(none)"), and "(all)": all spend over all new paying tenants
// (the blended CAC). A month not over yet is marked complete = false.

interface Row {
  monthMs: number;
  channel: string;
  spend: Micros;
  newCustomers: number;
  complete: boolean;
}

export const cacByChannelQuery = defineQuery({
  ...contract,
  async run(q, { db, now, config }) {
    const months = revenuePeriods(Date.parse(q.from), Date.parse(q.to), 'month', now.getTime());
    const first = months[0];
    const last = months.at(-1);
    const acquisition =
      first && last ? await readAcquisition(db, new Date(first.startMs), new Date(nextPeriodStart(last.startMs, 'month'))) : [];
    const rows: Row[] = months.flatMap((m) => {
      const month = new Date(m.startMs).toISOString().slice(0, 10);
      const of = acquisition.filter((a) => a.month === month);
      const complete = nextPeriodStart(m.startMs, 'month') <= now.getTime();
      const channelRows = of.map((a) => ({ channel: a.channel ?? '(none)', spend: a.spend, newCustomers: a.newCustomers }));
      const all = {
        channel: '(all)',
        spend: sumMoney(of.map((a) => a.spend)),
        newCustomers: of.reduce((n, a) => n + a.newCustomers, 0),
      };
      return [...channelRows, all].map((r) => ({ ...r, monthMs: m.startMs, complete }));
    });
    return {
      frames: [
        frameFromRows('cac_by_channel', rows, [
          { name: 'time', type: 'time', value: (r) => r.monthMs },
          { name: 'channel', type: 'string', value: (r) => r.channel },
          { name: 'spend', type: 'number', value: (r) => moneyToNumber(r.spend), config: { unit: `currency${config.currency}` } },
          { name: 'new_customers', type: 'number', value: (r) => r.newCustomers },
          {
            name: 'cac',
            type: 'number',
            value: (r) => acquisitionCost(r.spend, r.newCustomers),
            config: { unit: `currency${config.currency}` },
          },
          { name: 'complete', type: 'boolean', value: (r) => r.complete },
        ]),
      ],
    };
  },
});
