import { aiSavingsValidation as contract } from '@saasmon/contract';
import { toCount } from '../../db/parse';
import { moneyToNumber, parseMoney } from '../../domain/money';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';

// Estimated against validated savings of AI recommendations started in [from, min(to, now)), per
// model: what the recommendations claimed, what billing later confirmed, and the validation ratio
// over the recommendations that have both (sum validated / sum estimated), so that recommendations
// not validated yet do not read as savings that failed to appear.

const GROUP = { model: "coalesce(provider, '') || ' ' || model", tier: "coalesce(tier, '')" } as const;

export const sqlAiSavingsValidation = (by: keyof typeof GROUP) => `
SELECT ${GROUP[by]} AS key,
  count(*) FILTER (WHERE estimated_savings IS NOT NULL) AS estimated_n,
  count(*) FILTER (WHERE validated_savings IS NOT NULL) AS validated_n,
  coalesce(sum(estimated_savings), 0) AS estimated,
  coalesce(sum(validated_savings), 0) AS validated,
  sum(estimated_savings) FILTER (WHERE validated_savings IS NOT NULL) AS both_estimated,
  sum(validated_savings) FILTER (WHERE estimated_savings IS NOT NULL) AS both_validated
FROM ai_requests
WHERE started_at >= $1::timestamptz AND started_at < $2::timestamptz
  AND (estimated_savings IS NOT NULL OR validated_savings IS NOT NULL)
GROUP BY 1
ORDER BY estimated DESC, key`;

interface Row {
  key: string;
  estimated_n: string;
  validated_n: string;
  estimated: string;
  validated: string;
  both_estimated: string | null;
  both_validated: string | null;
}

export const aiSavingsValidationQuery = defineQuery({
  ...contract,
  async run(q, { db, now, config }) {
    const to = new Date(Math.min(Date.parse(q.to), now.getTime()));
    const { rows } = await db.query<Row>(sqlAiSavingsValidation(q.by), [q.from, to]);
    const money = { unit: `currency${config.currency}` };
    const m = (v: string | null) => moneyToNumber(parseMoney(v));
    return {
      frames: [
        frameFromRows('ai_savings_validation', rows, [
          { name: q.by, type: 'string', value: (r) => r.key },
          { name: 'recommendations_estimated', type: 'number', value: (r) => toCount(r.estimated_n) },
          { name: 'recommendations_validated', type: 'number', value: (r) => toCount(r.validated_n) },
          { name: 'estimated_savings', type: 'number', value: (r) => m(r.estimated), config: money },
          { name: 'validated_savings', type: 'number', value: (r) => m(r.validated), config: money },
          {
            name: 'validation_ratio',
            type: 'number',
            // undefined (a gap) when nothing has both figures or the estimate is 0
            value: (r) => (r.both_estimated === null || m(r.both_estimated) === 0 ? undefined : m(r.both_validated) / m(r.both_estimated)),
            config: { unit: 'percentunit' },
          },
        ]),
      ],
    };
  },
});
