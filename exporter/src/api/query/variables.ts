import { defineQuery } from './registry';
import { frameFromRows } from './frames';
import { variables as contract } from '@saasmon/contract';
import { readVariableValues } from '../../reads/variables';

// Values for Grafana template variables: one frame with a single `text` column (metricFindQuery).

export const variablesQuery = defineQuery({
  ...contract,
  cost: 'light',
  async run(q, { db, now }) {
    const rows = await readVariableValues(db, q.of, now);
    return {
      frames: [
        frameFromRows(q.of, rows, [
          { name: 'text', type: 'string', value: (r) => r.text },
          { name: 'value', type: 'string', value: (r) => r.value },
        ]),
      ],
    };
  },
});
