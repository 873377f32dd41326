import { tenantHealthHistory as contract } from '@saasmon/contract';
import { readTenantHealthHistory, TenantHealthPoint } from '../../reads/tenant-health';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';

// A tenant's health over time (docs/metrics.md, "Tenant health"): the components, score and risk
// of the tenant_health table as they were at the end of each UTC day or ISO week overlapping
// [from, to) (now for the one still running), computed from the rollups: no snapshots are kept.

const DAY_MS = 86_400_000;

/** The instants of the points: each day's (week's) end, or `now` for the one still running. */
export function historyInstants(from: Date, to: Date, interval: 'day' | 'week', now: Date): Date[] {
  const step = interval === 'week' ? 7 * DAY_MS : DAY_MS;
  const day = Math.floor(from.getTime() / DAY_MS) * DAY_MS;
  // 1970-01-01 was a Thursday: ISO weeks start 3 days after it.
  const start = interval === 'week' ? day - ((((day / DAY_MS - 4) % 7) + 7) % 7) * DAY_MS : day;
  const out: Date[] = [];
  for (let s = start; s < to.getTime() && s < now.getTime(); s += step) out.push(new Date(Math.min(s + step, now.getTime())));
  return out;
}

const component = { min: 0, max: 100, decimals: 1 };

export const tenantHealthHistoryQuery = defineQuery({
  ...contract,
  async run(q, { db, now, config }) {
    const instants = historyInstants(new Date(q.from), new Date(q.to), q.interval, now);
    const points = instants.length
      ? await readTenantHealthHistory(db, instants, config, { ...q.filters, tenant: q.filters.tenant ?? [] })
      : [];
    const frame = frameFromRows<TenantHealthPoint>('tenant_health_history', points, [
      { name: 'time', type: 'time', value: (p) => p.at.getTime() },
      { name: 'tenant', type: 'string', value: (p) => p.health.tenant },
      { name: 'score', type: 'number', value: (p) => p.health.score, config: { min: 0, max: 100, decimals: 0 } },
      { name: 'activity', type: 'number', value: (p) => p.health.components.activity, config: component },
      { name: 'adoption', type: 'number', value: (p) => p.health.components.adoption, config: component },
      { name: 'payment', type: 'number', value: (p) => p.health.components.payment, config: component },
      { name: 'support', type: 'number', value: (p) => p.health.components.support, config: component },
      { name: 'risk', type: 'string', value: (p) => p.health.risk },
    ]);
    return { frames: [frame] };
  },
});
