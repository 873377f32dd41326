import { powerUsers as contract } from '@saasmon/contract';
import { PowerUser, readPowerUsers } from '../../reads/engagement';
import { Frame, frameFromRows } from './frames';
import { defineQuery } from './registry';

// Power users (docs/metrics.md "Power users"): live users with an event in (T-30d, T], ranked by
// distinct active days in the window, then events, then user id; the top `share` percent of them
// (10%, rounded up), with their tenants. The read (reads/engagement.ts, readPowerUsers) says how
// it stays fast at 200k users.

export const powerUsersQuery = defineQuery({
  ...contract,
  async run(q, { db, now }) {
    const { users: rows, activeUsers } = await readPowerUsers(db, now, q.share, q.filters);
    const users = frameFromRows('power_users', rows, [
      { name: 'rank', type: 'number', value: (r) => r.rank },
      { name: 'user', type: 'string', value: (r) => r.user },
      { name: 'tenant', type: 'string', value: (r) => r.tenant },
      { name: 'tenant_name', type: 'string', value: (r) => r.tenantName },
      { name: 'plan', type: 'string', value: (r) => r.plan },
      { name: 'active_days', type: 'number', value: (r) => r.activeDays },
      { name: 'events', type: 'number', value: (r) => r.events },
    ]);
    users.meta = { custom: { activeUsers, share: q.share } };
    return { frames: [users, byTenant(rows)] };
  },
});

/** Power users per tenant, most first (ties by tenant id). */
function byTenant(rows: readonly PowerUser[]): Frame {
  const tenants = new Map<string, { tenant: string; name: string; plan: string; users: number }>();
  for (const r of rows) {
    const t = tenants.get(r.tenant) ?? { tenant: r.tenant, name: r.tenantName, plan: r.plan, users: 0 };
    t.users++;
    tenants.set(r.tenant, t);
  }
  const list = [...tenants.values()].sort((a, b) => b.users - a.users || (a.tenant < b.tenant ? -1 : a.tenant > b.tenant ? 1 : 0));
  return frameFromRows('power_users_by_tenant', list, [
    { name: 'tenant', type: 'string', value: (t) => t.tenant },
    { name: 'name', type: 'string', value: (t) => t.name },
    { name: 'plan', type: 'string', value: (t) => t.plan },
    { name: 'power_users', type: 'number', value: (t) => t.users },
  ]);
}
