import { incidents as contract } from '@saasmon/contract';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';

// Incident history for a table panel: every incident that overlaps [from, to) (started before
// `to`, and still open or resolved at or after `from`) and had started by now, newest first.
// An incident lists several services; the `service` filter keeps those sharing one with it.

/** $1 from, $2 to (exclusive), $3 now, $4 services (null: all), $5 limit. */
export const INCIDENTS_SQL = `
SELECT id, title, severity, status, services, started_at, resolved_at,
       extract(epoch FROM resolved_at - started_at)::float8 AS duration_seconds
FROM incidents
WHERE started_at < $2::timestamptz AND started_at <= $3::timestamptz
  AND (resolved_at IS NULL OR resolved_at >= $1::timestamptz)
  AND ($4::text[] IS NULL OR services && $4::text[])
ORDER BY started_at DESC, id
LIMIT $5`;

interface Row {
  id: string;
  title: string;
  severity: string;
  status: string;
  services: string[];
  started_at: Date;
  resolved_at: Date | null;
  duration_seconds: number | null;
}

export const incidentsQuery = defineQuery({
  ...contract,
  async run(q, { db, now }) {
    const services = q.service?.length ? q.service : null;
    const { rows } = await db.query<Row>(INCIDENTS_SQL, [q.from, q.to, now, services, q.limit]);
    return {
      frames: [
        frameFromRows('incidents', rows, [
          { name: 'started_at', type: 'time', value: (r) => r.started_at.getTime() },
          { name: 'resolved_at', type: 'time', value: (r) => r.resolved_at?.getTime() ?? null },
          { name: 'id', type: 'string', value: (r) => r.id },
          { name: 'title', type: 'string', value: (r) => r.title },
          { name: 'severity', type: 'string', value: (r) => r.severity },
          { name: 'status', type: 'string', value: (r) => r.status },
          { name: 'services', type: 'string', value: (r) => r.services.join(', ') },
          { name: 'duration_seconds', type: 'number', value: (r) => r.duration_seconds, config: { unit: 's' } },
        ]),
      ],
    };
  },
});
