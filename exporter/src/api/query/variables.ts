import { defineQuery } from './registry';
import { frameFromRows } from './frames';
import { variables as contract, VariableKind } from '@saasmon/contract';
import { sqlDaysBefore } from '../../reads/window';

// Values for Grafana template variables: one frame with a single `text` column (metricFindQuery).

// Fixed SQL per kind; the client only picks one of these keys.
export const SQL_VARIABLES: Record<VariableKind, string> = {
  plans: `SELECT DISTINCT plan AS value, plan AS text FROM tenants ORDER BY 1`,
  segments: `SELECT DISTINCT segment AS value, segment AS text FROM tenants WHERE segment IS NOT NULL ORDER BY 1`,
  channels: `SELECT DISTINCT acquisition_channel AS value, acquisition_channel AS text FROM tenants
             WHERE acquisition_channel IS NOT NULL ORDER BY 1`,
  // Names seen in the last 90 days: a recent, index-backed scan rather than the whole history.
  event_names: `SELECT DISTINCT name AS value, name AS text FROM events
                WHERE occurred_at > ${sqlDaysBefore('$1::timestamptz', 90)} ORDER BY 1 LIMIT 1000`,
  experiments: `SELECT id AS value, name AS text FROM experiments ORDER BY started_at DESC NULLS LAST, id`,
  tenants: `SELECT id AS value, name AS text FROM tenants WHERE churned_at IS NULL ORDER BY name LIMIT 10000`,
  locations: `SELECT DISTINCT location AS value, location AS text FROM backups ORDER BY 1`,
};

export const variablesQuery = defineQuery({
  ...contract,
  cost: 'light',
  async run(q, { db, now }) {
    const params = q.of === 'event_names' ? [now] : [];
    const { rows } = await db.query<{ value: string; text: string }>(SQL_VARIABLES[q.of], params);
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
