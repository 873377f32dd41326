import { aiSavingsValidation as contract } from '@saasmon/contract';
import { moneyToNumber } from '../../domain/money';
import { readAiSavingsValidation } from '../../reads/ai';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';

// Estimated against validated savings of AI recommendations started in [from, min(to, now)), per
// model: what the recommendations claimed, what billing later confirmed, and the validation ratio
// over the recommendations that have both (sum validated / sum estimated), so that recommendations
// not validated yet do not read as savings that failed to appear.

export const aiSavingsValidationQuery = defineQuery({
  ...contract,
  async run(q, { db, now, config }) {
    const to = new Date(Math.min(Date.parse(q.to), now.getTime()));
    const rows = await readAiSavingsValidation(db, q.by, q.from, to);
    const money = { unit: `currency${config.currency}` };
    const m = moneyToNumber;
    return {
      frames: [
        frameFromRows('ai_savings_validation', rows, [
          { name: q.by, type: 'string', value: (r) => r.key },
          { name: 'recommendations_estimated', type: 'number', value: (r) => r.estimatedCount },
          { name: 'recommendations_validated', type: 'number', value: (r) => r.validatedCount },
          { name: 'estimated_savings', type: 'number', value: (r) => m(r.estimated), config: money },
          { name: 'validated_savings', type: 'number', value: (r) => m(r.validated), config: money },
          {
            name: 'validation_ratio',
            type: 'number',
            // undefined (a gap) when nothing has both figures or the estimate is 0
            value: (r) =>
              r.bothEstimated === null || m(r.bothEstimated) === 0 ? undefined : m(r.bothValidated ?? 0n) / m(r.bothEstimated),
            config: { unit: 'percentunit' },
          },
        ]),
      ],
    };
  },
});
