import { readNpsByPeriod } from '../../reads/engagement';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';
import { nps as contract } from '@saasmon/contract';

// NPS per period: 100 * (promoters(9-10) - detractors(0-6)) / responses (docs/metrics.md).

export const npsQuery = defineQuery({
  ...contract,
  async run(q, { db }) {
    const parsed = await readNpsByPeriod(db, q.from, q.to, q.interval);
    return {
      frames: [
        frameFromRows('nps', parsed, [
          { name: 'time', type: 'time', value: (r) => r.periodMs },
          {
            name: 'nps',
            type: 'number',
            value: (r) => (100 * (r.promoters - r.detractors)) / r.responses,
            config: { min: -100, max: 100, decimals: 1 },
          },
          { name: 'promoters', type: 'number', value: (r) => r.promoters },
          { name: 'passives', type: 'number', value: (r) => r.passives },
          { name: 'detractors', type: 'number', value: (r) => r.detractors },
          { name: 'responses', type: 'number', value: (r) => r.responses },
        ]),
      ],
    };
  },
});
