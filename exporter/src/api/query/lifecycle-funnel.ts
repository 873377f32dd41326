import { lifecycleFunnel as contract } from '@saasmon/contract';
import { lifecycleByCohort, LifecycleSummary, TenantLifecycle, trialOutcomesCte } from '../../domain/lifecycle';
import { PAYING_ROW } from '../../reads/revenue';
import { tenantFilterSql, TenantFilters } from './common';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';

// Lifecycle of accounts per signup cohort (docs/metrics.md "Lifecycle of accounts"): signup ->
// activated -> first paid -> retained at day N, with trial-to-paid and median times between
// stages; from tenants, users and subscriptions, as known at the query instant.

/** $1 from, $2 to, $3 T, $4 N (days), $5 interval, $6.. filters: one row per cohort tenant. */
export function lifecycleTenantsSql(filters: TenantFilters | undefined) {
  const f = tenantFilterSql('t', filters, 5);
  const sql = `
WITH cohort AS (
  SELECT t.id, t.created_at,
         date_trunc($5::text, t.created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS cohort
  FROM tenants t
  WHERE t.created_at >= $1::timestamptz AND t.created_at < $2::timestamptz AND t.created_at <= $3::timestamptz
    AND ${f.sql}
),
activation AS (
  SELECT u.tenant_id, min(u.activated_at) AS activated_at
  FROM users u
  JOIN cohort c ON c.id = u.tenant_id
  WHERE u.deleted_at IS NULL AND u.activated_at <= $3::timestamptz
  GROUP BY u.tenant_id
),
paid AS (
  SELECT s.tenant_id, min(s.valid_from) AS first_paid_at
  FROM subscriptions s
  JOIN cohort c ON c.id = s.tenant_id
  WHERE ${PAYING_ROW} AND s.valid_from <= $3::timestamptz
  GROUP BY s.tenant_id
),
${trialOutcomesCte('cohort', '$3::timestamptz')}
SELECT c.cohort, c.created_at, a.activated_at, p.first_paid_at,
       CASE WHEN p.first_paid_at + make_interval(days => $4::int) <= $3::timestamptz THEN EXISTS (
         SELECT 1 FROM subscriptions s
         WHERE s.tenant_id = c.id AND ${PAYING_ROW}
           AND s.valid_from <= p.first_paid_at + make_interval(days => $4::int)
           AND coalesce(s.valid_to, 'infinity') > p.first_paid_at + make_interval(days => $4::int)
       ) END AS retained,
       tr.converted AS trial_converted
FROM cohort c
LEFT JOIN activation a ON a.tenant_id = c.id
LEFT JOIN paid p ON p.tenant_id = c.id
LEFT JOIN trials tr ON tr.tenant_id = c.id`;
  return { sql, params: f.params };
}

interface Row {
  cohort: Date;
  created_at: Date;
  activated_at: Date | null;
  first_paid_at: Date | null;
  retained: boolean | null;
  trial_converted: boolean | null;
}

const rate = { unit: 'percentunit', min: 0, max: 1 };
const days = { unit: 'd', decimals: 1 };

export const lifecycleFunnelQuery = defineQuery({
  ...contract,
  async run(q, { db, now }) {
    const { sql, params } = lifecycleTenantsSql(q.filters);
    const { rows } = await db.query<Row>(sql, [q.from, q.to, now, q.retainedDays, q.interval, ...params]);
    const tenants: TenantLifecycle[] = rows.map((r) => ({
      cohortMs: r.cohort.getTime(),
      createdMs: r.created_at.getTime(),
      activatedMs: r.activated_at?.getTime(),
      firstPaidMs: r.first_paid_at?.getTime(),
      retained: r.retained ?? undefined,
      trialConverted: r.trial_converted ?? undefined,
    }));
    const summaries = lifecycleByCohort(tenants);
    const frame = frameFromRows<LifecycleSummary>('lifecycle_funnel', summaries, [
      { name: 'cohort', type: 'time', value: (s) => s.cohortMs },
      { name: 'tenants', type: 'number', value: (s) => s.tenants },
      { name: 'activated', type: 'number', value: (s) => s.activated },
      { name: 'paid', type: 'number', value: (s) => s.paid },
      { name: 'retained', type: 'number', value: (s) => s.retained },
      { name: 'retained_eligible', type: 'number', value: (s) => s.retainedEligible },
      { name: 'activation_rate', type: 'number', value: (s) => s.activationRate, config: rate },
      { name: 'paid_rate', type: 'number', value: (s) => s.paidRate, config: rate },
      { name: 'paid_from_activated', type: 'number', value: (s) => s.paidFromActivated, config: rate },
      { name: 'retained_rate', type: 'number', value: (s) => s.retainedRate, config: rate },
      { name: 'trials', type: 'number', value: (s) => s.trials },
      { name: 'trials_converted', type: 'number', value: (s) => s.trialsConverted },
      { name: 'trial_to_paid', type: 'number', value: (s) => s.trialToPaid, config: rate },
      { name: 'median_days_to_activation', type: 'number', value: (s) => s.medianDaysToActivation, config: days },
      { name: 'median_days_to_paid', type: 'number', value: (s) => s.medianDaysToPaid, config: days },
      { name: 'median_days_activation_to_paid', type: 'number', value: (s) => s.medianDaysActivationToPaid, config: days },
    ]);
    frame.meta = { custom: { retainedDays: q.retainedDays, interval: q.interval } };
    return { frames: [frame] };
  },
});
