import { incidents as contract } from '@saasmon/contract';
import { readIncidentsOverlapping } from '../../reads/operations';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';

// Incident history for a table panel: the incidents overlapping the range, newest first. An
// incident lists several services: one column, comma-separated.

export const incidentsQuery = defineQuery({
  ...contract,
  async run(q, { db, now }) {
    const rows = await readIncidentsOverlapping(db, { from: q.from, to: q.to, now, services: q.service, limit: q.limit });
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
