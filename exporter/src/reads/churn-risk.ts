import { Config } from '../config/schema';
import { toCount } from '../db/parse';
import { Queryable } from '../db/pool';
import { healthInstants, SignalInputs, TenantHealthInputs } from '../domain/churn-risk';
import { planInForceSql } from './revenue';
import { SQL_TENANT_HEALTH, TenantHealthRow, tenantHealthFromRow } from './tenant-health';
import { sqlDaysBefore } from './window';

// The churn risk family's reads: what the model's signals are made of, at many instants (the
// math, training and scoring are domain/churn-risk.ts; MRR comes from reads/revenue.ts).

/** Per tenant: NPS of responses in (at - 90d, at], at each instant of $1. */
const SQL_TENANT_NPS_AT = `
SELECT i.idx::int - 1 AS idx, r.tenant_id,
       100.0 * (count(*) FILTER (WHERE r.score >= 9) - count(*) FILTER (WHERE r.score <= 6)) / count(*) AS nps
FROM unnest($1::timestamptz[]) WITH ORDINALITY AS i(at, idx)
JOIN nps_responses r ON r.responded_at > ${sqlDaysBefore('i.at', 90)} AND r.responded_at <= i.at
GROUP BY 1, 2`;

/** Plan in force per tenant ($2 ids) at each instant of $1. */
const SQL_PLANS_AT = `
SELECT i.idx::int - 1 AS idx, t.id AS tenant_id, ${planInForceSql('t.id', 'i.at')} AS plan
FROM unnest($1::timestamptz[]) WITH ORDINALITY AS i(at, idx)
CROSS JOIN unnest($2::text[]) AS t(id)`;

const SQL_TENANT_CREATED = 'SELECT id, created_at FROM tenants';

/** Health inputs of every live tenant at `at`: one SQL_TENANT_HEALTH, the inputs the health score is made of. */
async function healthAt(db: Queryable, at: Date, config: Config): Promise<Map<string, TenantHealthInputs>> {
  const { rows } = await db.query<TenantHealthRow>(SQL_TENANT_HEALTH, [at, null, null, null, null]);
  return new Map(
    rows.map((r) => [
      r.tenant,
      {
        health: tenantHealthFromRow(r, config.tenantHealth),
        users: toCount(r.users),
        urgentTickets: toCount(r.urgent_tickets),
        otherTickets: toCount(r.other_tickets),
        subscriptionStatus: r.subscription_status,
      },
    ]),
  );
}

/** The inputs of the signals at each of `instants` (ascending): see signalsAt. */
export async function readSignalInputs(db: Queryable, instants: readonly Date[], config: Config): Promise<SignalInputs> {
  const health = new Map<number, Map<string, TenantHealthInputs>>();
  for (const at of healthInstants(instants)) health.set(at.getTime(), await healthAt(db, at, config));
  const nps = await db.query<{ idx: number; tenant_id: string; nps: string }>(SQL_TENANT_NPS_AT, [instants]);
  const npsAt = instants.map(() => new Map<string, number>());
  for (const r of nps.rows) npsAt[r.idx]?.set(r.tenant_id, Number(r.nps));
  const ids = [...new Set([...health.values()].flatMap((m) => [...m.keys()]))];
  const plans = await db.query<{ idx: number; tenant_id: string; plan: string | null }>(SQL_PLANS_AT, [instants, ids]);
  const planAt = instants.map(() => new Map<string, string | null>());
  for (const r of plans.rows) planAt[r.idx]?.set(r.tenant_id, r.plan);
  const created = await db.query<{ id: string; created_at: Date }>(SQL_TENANT_CREATED);
  const createdMs = new Map(created.rows.map((r) => [r.id, r.created_at.getTime()]));
  return { instants, healthAt: health, npsAt, planAt, createdMs };
}
