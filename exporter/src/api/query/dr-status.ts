import { DrState, drStatusRows } from '../../domain/dr';
import { readDrFacts, serverStatsSource } from '../../reads/dr';
import { Frame, frameFromRows } from './frames';
import { defineQuery } from './registry';
import { drStatus as contract } from '@saasmon/contract';

// DR health matrix: one row per (check, location) with state ok/warn/fail, for a status panel.
// The facts and the states come from domain/dr.ts and reads/dr.ts, the same code as the dr
// collector's metrics. Checks and thresholds: see drStatusRows.

/** Numeric severity for panels that color by value: 0 ok, 1 warn, 2 fail. */
const LEVEL: Record<DrState, number> = { ok: 0, warn: 1, fail: 2 };

export const drStatusQuery = defineQuery({
  ...contract,
  cost: 'light',
  async run(_q, { db, config, now }) {
    // The query API has no connection to a separate monitored database: with database.monitoredUrl
    // set, the WAL archiver and standbys are only in the dr collector's metrics.
    const separateMonitored = config.database.monitoredUrl !== undefined;
    const statsDb = separateMonitored ? undefined : serverStatsSource(db, undefined, config.dr.serverStatsFromSaasDb);
    const facts = await readDrFacts(db, now, statsDb);
    const rows = drStatusRows(facts, config.dr, now.getTime());
    const frame: Frame = frameFromRows('dr_status', rows, [
      { name: 'check', type: 'string', value: (r) => r.check },
      { name: 'location', type: 'string', value: (r) => r.location },
      { name: 'state', type: 'string', value: (r) => r.state },
      { name: 'level', type: 'number', value: (r) => LEVEL[r.state], config: { min: 0, max: 2 } },
      { name: 'value', type: 'number', value: (r) => r.value },
      { name: 'unit', type: 'string', value: (r) => r.unit },
      { name: 'detail', type: 'string', value: (r) => r.detail },
    ]);
    if (separateMonitored) {
      frame.meta = {
        notices: [
          {
            severity: 'info',
            text: 'RPO here counts backups only; the monitored database (WAL archiver, standbys) is reported by the dr collector metrics.',
          },
        ],
      };
    }
    return { frames: [frame] };
  },
});
