import { VariableKind } from '@saasmon/contract';
import { Queryable } from '../db/pool';
import { sqlDaysBefore } from './window';

// Values for Grafana template variables (the variables query): plans, segments, event names, ...

// Fixed SQL per kind; the client only picks one of these keys.
const SQL_VARIABLES: Record<VariableKind, string> = {
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

export interface VariableValue {
  value: string;
  text: string;
}

/** The values of one kind of variable; `now` bounds the recent event names. */
export async function readVariableValues(db: Queryable, kind: VariableKind, now: Date): Promise<VariableValue[]> {
  const params = kind === 'event_names' ? [now] : [];
  return (await db.query<VariableValue>(SQL_VARIABLES[kind], params)).rows;
}
