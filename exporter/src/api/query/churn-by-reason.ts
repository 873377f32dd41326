import { toCount } from '../../db/parse';
import { moneyToNumber, parseMoney } from '../../domain/money';
import { PAYING_ROW, ROW_MRR } from '../../reads/revenue';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';
import { churnByReason as contract } from '@saasmon/contract';

// Tenants churned (tenants.churned_at) in [from, min(to, now)), per churn_reason, with the MRR
// they took with them: the tenant's MRR just before its paying rows ended (at churned_at, or
// earlier when the subscription ended before the account was marked churned).

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

interface Row {
  reason: string;
  tenants: string;
  lost_mrr: string;
}

export const churnByReasonQuery = defineQuery({
  ...contract,
  async run(q, { db, now, config }) {
    const to = new Date(Math.min(Date.parse(q.to), now.getTime()));
    const { rows } = await db.query<Row>(SQL_CHURN_BY_REASON, [q.from, to]);
    return {
      frames: [
        frameFromRows('churn_by_reason', rows, [
          { name: 'reason', type: 'string', value: (r) => r.reason },
          { name: 'churned_tenants', type: 'number', value: (r) => toCount(r.tenants) },
          {
            name: 'lost_mrr',
            type: 'number',
            value: (r) => moneyToNumber(parseMoney(r.lost_mrr)),
            config: { unit: `currency${config.currency}` },
          },
        ]),
      ],
    };
  },
});
