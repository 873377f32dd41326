import { toCount } from '../../db/parse';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';
import { nps as contract } from '@saasmon/contract';

// NPS per period: 100 * (promoters(9-10) - detractors(0-6)) / responses (docs/metrics.md).

// date_trunc in UTC: 'week' is the ISO week starting Monday.
export const SQL_NPS_BY_PERIOD = `
SELECT date_trunc($3, responded_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS period,
       count(*) FILTER (WHERE score >= 9) AS promoters,
       count(*) FILTER (WHERE score BETWEEN 7 AND 8) AS passives,
       count(*) FILTER (WHERE score <= 6) AS detractors,
       count(*) AS responses
FROM nps_responses
WHERE responded_at >= $1::timestamptz AND responded_at < $2::timestamptz
GROUP BY 1
ORDER BY 1`;

interface Row {
  period: Date;
  promoters: string;
  passives: string;
  detractors: string;
  responses: string;
}

export const npsQuery = defineQuery({
  ...contract,
  async run(q, { db }) {
    const { rows } = await db.query<Row>(SQL_NPS_BY_PERIOD, [q.from, q.to, q.interval]);
    const parsed = rows.map((r) => ({
      period: r.period.getTime(),
      promoters: toCount(r.promoters),
      passives: toCount(r.passives),
      detractors: toCount(r.detractors),
      responses: toCount(r.responses),
    }));
    return {
      frames: [
        frameFromRows('nps', parsed, [
          { name: 'time', type: 'time', value: (r) => r.period },
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
