import { Queryable } from '../db/pool';
import { toCount } from '../db/parse';
import { Micros, parseMoney } from '../domain/money';
import { TenantMrrAtInstants } from '../domain/mrr';

/**
 * The revenue family's reads (SQL and row parsing), shared by the revenue collector and the query API (mrr_movements,
 * revenue_by_plan, cac_by_channel), so that a chart and the exporter's gauges agree to the cent.
 * Row MRR follows docs/data-contract.md: amount / interval_months for 'active' and 'past_due', 0 for
 * 'trialing', rounded to 6 decimals in SQL so that money.ts sums it exactly.
 */

export const ROW_MRR = `CASE WHEN s.status IN ('active', 'past_due') THEN round(s.amount / s.interval_months, 6) ELSE 0 END`;

// A row "pays" when its MRR is > 0 and it is in force for at least an instant (valid_to > valid_from).
export const PAYING_ROW = `s.status IN ('active', 'past_due') AND s.amount > 0
    AND (s.valid_to IS NULL OR s.valid_to > s.valid_from)`;

/** Per tenant that ever paid: its first paying instant (tenant_id, first_paid_at). */
const FIRST_PAID = `
  SELECT s.tenant_id, min(s.valid_from) AS first_paid_at
  FROM subscriptions s
  WHERE ${PAYING_ROW}
  GROUP BY s.tenant_id
`;

/**
 * The plan a tenant is on at an instant, for breakdowns that count each tenant once: the plan of
 * its largest subscription row in force there (by row MRR, then plan name), trials and free rows
 * included; null when no row is in force. Rows of zero length are never in force. `tenantId` and
 * `at` are SQL expressions (a column, a parameter), never client text.
 */
export function planInForceSql(tenantId: string, at: string): string {
  return `(SELECT s.plan FROM subscriptions s
   WHERE s.tenant_id = ${tenantId} AND s.valid_from <= ${at} AND coalesce(s.valid_to, 'infinity') > ${at}
   ORDER BY ${ROW_MRR} DESC, s.plan LIMIT 1)`;
}

// The instants of $1 (ascending) at which a row [valid_from, valid_to) is in force, as i.idx
// (1-based). A binary search (width_bucket) narrows them to a slice of the array instead of
// comparing every row with every instant (the query API asks for up to ~260 period boundaries);
// unnest of a slice also keeps the planner's row estimate small (generate_series here made it
// guess 100+ rows per subscription and spend longer JIT-compiling than running).
const INSTANTS_IN_FORCE = (validFrom: string, validTo: string) => `
  CROSS JOIN LATERAL (
    SELECT greatest(width_bucket(${validFrom}, $1::timestamptz[]), 1) AS lo,
           width_bucket(${validTo}, $1::timestamptz[]) AS hi
  ) b
  CROSS JOIN LATERAL (
    SELECT b.lo + u.o::int - 1 AS idx
    FROM unnest(($1::timestamptz[])[b.lo:b.hi]) WITH ORDINALITY AS u(at, o)
    WHERE u.at >= ${validFrom} AND u.at < ${validTo}
  ) i`;

/**
 * Per tenant and instant ($1, ascending) at which the tenant pays: its MRR there (rows with
 * valid_from <= at < coalesce(valid_to, infinity)), and its first paying instant ever.
 * Instants where a tenant does not pay give no row (MRR 0). idx is 0-based.
 */
export const SQL_TENANT_MRR_AT = `
WITH paying_rows AS (
  SELECT s.tenant_id, s.valid_from, coalesce(s.valid_to, 'infinity') AS valid_to, ${ROW_MRR} AS mrr
  FROM subscriptions s
  WHERE ${PAYING_ROW}
    AND s.valid_from <= ($1::timestamptz[])[cardinality($1::timestamptz[])]
),
first_paid AS (
  SELECT tenant_id, min(valid_from) AS first_paid_at FROM paying_rows GROUP BY tenant_id
),
at_instants AS (
  SELECT p.tenant_id, i.idx, sum(p.mrr) AS mrr
  FROM paying_rows p${INSTANTS_IN_FORCE('p.valid_from', 'p.valid_to')}
  GROUP BY p.tenant_id, i.idx
)
SELECT a.tenant_id, a.idx - 1 AS idx, a.mrr, f.first_paid_at
FROM at_instants a
JOIN first_paid f ON f.tenant_id = a.tenant_id`;

/**
 * MRR per plan (the plan of each row in force) at each instant of $1 (ascending). Every plan
 * that has a row starting at or before the instant is listed, 0 when nothing of it is in force,
 * so that a plan whose last customer leaves drops to 0 instead of vanishing.
 */
export const SQL_MRR_BY_PLAN_AT = `
WITH in_force AS (
  SELECT i.idx, s.plan, sum(${ROW_MRR}) AS mrr
  FROM subscriptions s${INSTANTS_IN_FORCE('s.valid_from', "coalesce(s.valid_to, 'infinity')")}
  GROUP BY i.idx, s.plan
),
plans AS (
  SELECT plan, min(valid_from) AS first_from FROM subscriptions GROUP BY plan
)
SELECT i.idx::int - 1 AS idx, p.plan, coalesce(f.mrr, 0) AS mrr
FROM unnest($1::timestamptz[]) WITH ORDINALITY AS i(at, idx)
JOIN plans p ON p.first_from <= i.at
LEFT JOIN in_force f ON f.idx = i.idx AND f.plan = p.plan
ORDER BY i.idx, p.plan`;

/**
 * Per calendar month (UTC) in [$1, $2) (both month starts) and acquisition channel: marketing
 * spend and tenants whose first paying instant falls in that month. A channel with spend and no
 * new tenant, or new tenants and no spend, still has its row; tenants without a channel come as
 * channel null (they count in blended CAC only).
 */
export const SQL_ACQUISITION_BY_MONTH = `
WITH first_paid AS (${FIRST_PAID}),
acquired AS (
  SELECT date_trunc('month', f.first_paid_at AT TIME ZONE 'UTC')::date AS month,
         t.acquisition_channel AS channel, count(*) AS new_customers
  FROM first_paid f
  LEFT JOIN tenants t ON t.id = f.tenant_id
  WHERE f.first_paid_at >= $1::timestamptz AND f.first_paid_at < $2::timestamptz
  GROUP BY 1, 2
),
spend AS (
  SELECT month, channel, sum(amount) AS spend
  FROM marketing_spend
  WHERE month >= ($1::timestamptz AT TIME ZONE 'UTC')::date AND month < ($2::timestamptz AT TIME ZONE 'UTC')::date
  GROUP BY month, channel
)
SELECT to_char(coalesce(a.month, s.month), 'YYYY-MM-DD') AS month, coalesce(a.channel, s.channel) AS channel,
       coalesce(a.new_customers, 0) AS new_customers, coalesce(s.spend, 0) AS spend
FROM acquired a
FULL JOIN spend s ON s.month = a.month AND s.channel = a.channel
ORDER BY 1, 2`;

/**
 * Per plan at instant $1: tenants paying on it (a row in force with MRR > 0; trials do not count)
 * and its MRR, as saasmon_mrr_by_plan sums it. Every plan with a row started by $1 is listed, 0
 * when nothing of it is in force.
 */
export const SQL_SUBSCRIBERS_BY_PLAN_AT = `
SELECT p.plan,
       count(DISTINCT s.tenant_id) FILTER (WHERE ${PAYING_ROW}) AS subscribers,
       coalesce(sum(${ROW_MRR}), 0) AS mrr
FROM (SELECT plan FROM subscriptions GROUP BY plan HAVING min(valid_from) <= $1::timestamptz) p
LEFT JOIN subscriptions s ON s.plan = p.plan
  AND s.valid_from <= $1::timestamptz AND (s.valid_to IS NULL OR s.valid_to > $1::timestamptz)
GROUP BY p.plan
ORDER BY mrr DESC, p.plan`;

/** Tenants whose first paying instant ever lies in ($1, $2]. */
export const SQL_NEW_PAYING_TENANTS = `
SELECT count(*) AS tenants
FROM (${FIRST_PAID}) f
WHERE f.first_paid_at > $1::timestamptz AND f.first_paid_at <= $2::timestamptz`;

interface TenantMrrRow {
  tenant_id: string;
  idx: number;
  mrr: string;
  first_paid_at: Date;
}
interface PlanMrrRow {
  idx: number;
  plan: string;
  mrr: string;
}
interface AcquisitionRow {
  month: string;
  channel: string | null;
  new_customers: string;
  spend: string;
}

/** The SQL wants ascending instants; callers may pass any order (the collector: T, T-30d, T-365d). */
function ascending(instants: readonly Date[]): { sorted: Date[]; originalIndex: number[] } {
  const order = instants.map((_, i) => i).sort((a, b) => (instants[a] as Date).getTime() - (instants[b] as Date).getTime());
  return { sorted: order.map((i) => instants[i] as Date), originalIndex: order };
}

/** Tenants paying at one of the instants at least, with MRR per instant (0n where not paying). */
export async function readTenantMrr(db: Queryable, instants: readonly Date[]): Promise<TenantMrrAtInstants[]> {
  const { sorted, originalIndex } = ascending(instants);
  const { rows } = await db.query<TenantMrrRow>(SQL_TENANT_MRR_AT, [sorted]);
  const byTenant = new Map<string, { tenantId: string; firstPaidAtMs: number; mrr: Micros[] }>();
  for (const r of rows) {
    let t = byTenant.get(r.tenant_id);
    if (!t) {
      t = { tenantId: r.tenant_id, firstPaidAtMs: r.first_paid_at.getTime(), mrr: instants.map(() => 0n) };
      byTenant.set(r.tenant_id, t);
    }
    t.mrr[originalIndex[r.idx] as number] = parseMoney(r.mrr);
  }
  return [...byTenant.values()];
}

export interface PlanMrr {
  plan: string;
  mrr: Micros;
}

/** Per instant (same order as given): MRR per plan. */
export async function readMrrByPlan(db: Queryable, instants: readonly Date[]): Promise<PlanMrr[][]> {
  const { sorted, originalIndex } = ascending(instants);
  const { rows } = await db.query<PlanMrrRow>(SQL_MRR_BY_PLAN_AT, [sorted]);
  const result: PlanMrr[][] = instants.map(() => []);
  for (const r of rows) result[originalIndex[r.idx] as number]?.push({ plan: r.plan, mrr: parseMoney(r.mrr) });
  return result;
}

export interface PlanSubscribers {
  plan: string;
  subscribers: number;
  mrr: Micros;
}

/** Paying tenants and MRR per plan at one instant, highest MRR first. */
export async function readSubscribersByPlan(db: Queryable, at: Date): Promise<PlanSubscribers[]> {
  const { rows } = await db.query<{ plan: string; subscribers: string; mrr: string }>(SQL_SUBSCRIBERS_BY_PLAN_AT, [at]);
  return rows.map((r) => ({ plan: r.plan, subscribers: toCount(r.subscribers), mrr: parseMoney(r.mrr) }));
}

export interface ChannelAcquisition {
  /** First day of the month, 'YYYY-MM-DD'. */
  month: string;
  channel: string | null;
  newCustomers: number;
  spend: Micros;
}

/** Spend and new paying tenants per month and channel, for months starting in [fromMonth, toMonth). */
export async function readAcquisition(db: Queryable, fromMonth: Date, toMonth: Date): Promise<ChannelAcquisition[]> {
  const { rows } = await db.query<AcquisitionRow>(SQL_ACQUISITION_BY_MONTH, [fromMonth, toMonth]);
  return rows.map((r) => ({
    month: r.month,
    channel: r.channel,
    newCustomers: toCount(r.new_customers),
    spend: parseMoney(r.spend),
  }));
}

/**
 * Tenants churned (tenants.churned_at) in [$1, $2), per churn_reason ('(none)' when unset), with
 * the MRR they took with them: the tenant's MRR just before its paying rows ended.
 */
export const SQL_CHURN_BY_REASON = `
WITH churned AS (
  SELECT t.id, t.churn_reason, t.churned_at
  FROM tenants t
  WHERE t.churned_at >= $1::timestamptz AND t.churned_at < $2::timestamptz
),
last_paid AS (
  SELECT c.id, max(least(coalesce(s.valid_to, 'infinity'), c.churned_at)) AS until
  FROM churned c
  JOIN subscriptions s ON s.tenant_id = c.id
  WHERE ${PAYING_ROW}
    AND s.valid_from < c.churned_at
  GROUP BY c.id
),
lost AS (
  -- rows in force just before "until": valid_from < until <= valid_to
  SELECT l.id, sum(${ROW_MRR}) AS mrr
  FROM last_paid l
  JOIN subscriptions s ON s.tenant_id = l.id AND s.valid_from < l.until AND coalesce(s.valid_to, 'infinity') >= l.until
  GROUP BY l.id
)
SELECT coalesce(c.churn_reason, '(none)') AS reason, count(*) AS tenants, coalesce(sum(lost.mrr), 0) AS lost_mrr
FROM churned c
LEFT JOIN lost ON lost.id = c.id
GROUP BY 1
ORDER BY lost_mrr DESC, tenants DESC, reason`;

interface ChurnByReasonRow {
  reason: string;
  tenants: string;
  lost_mrr: string;
}

export interface ChurnReason {
  reason: string;
  tenants: number;
  lostMrr: Micros;
}

export async function readChurnByReason(db: Queryable, from: Date, to: Date): Promise<ChurnReason[]> {
  const { rows } = await db.query<ChurnByReasonRow>(SQL_CHURN_BY_REASON, [from, to]);
  return rows.map((r) => ({ reason: r.reason, tenants: toCount(r.tenants), lostMrr: parseMoney(r.lost_mrr) }));
}

/** Tenants first paying in (from, to]. */
export async function readNewPayingTenants(db: Queryable, from: Date, to: Date): Promise<number> {
  const { rows } = await db.query<{ tenants: string }>(SQL_NEW_PAYING_TENANTS, [from, to]);
  return toCount(rows[0]?.tenants);
}
