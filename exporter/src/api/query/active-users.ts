import { z } from 'zod';
import { toCount } from '../../db/parse';
import { checkRange, timeRange } from './common';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';

// DAU / WAU / MAU per UTC calendar day d: distinct live users with an event on day d, on days
// d-6..d, on days d-29..d. (The exporter's saasmon_active_users gauges are the rolling windows
// (T-w, T] at the scrape instant; this series is their calendar-day counterpart for charts.)

const schema = checkRange(z.object({ type: z.literal('active_users'), ...timeRange }).strict());

const MAX_DAYS = 400;

/**
 * Read from the user-days rollup (one row per user and active day), never raw events.
 * A user counts on day d of a w-day window when one of their active days a has a <= d < a + w.
 * Per user the covered days form runs; each run adds +1 where it starts and -1 the day after it
 * ends, and a running sum over the days gives the count: one pass over user-days, whatever w.
 */
export const SQL_ACTIVE_USERS = `
WITH user_days AS (
  SELECT DISTINCT d.user_id, d.day
  FROM saasmon_user_days d
  JOIN users u ON u.id = d.user_id AND u.deleted_at IS NULL
  WHERE d.day >= $1::date - 29 AND d.day <= $2::date
),
neighbours AS (
  SELECT user_id, day,
         lag(day) OVER (PARTITION BY user_id ORDER BY day) AS prev_day,
         lead(day) OVER (PARTITION BY user_id ORDER BY day) AS next_day
  FROM user_days
),
steps AS (
  SELECT w.days AS window_days, n.day AS at, 1 AS delta
  FROM neighbours n CROSS JOIN (VALUES (1), (7), (30)) AS w(days)
  WHERE n.prev_day IS NULL OR n.day - n.prev_day >= w.days
  UNION ALL
  SELECT w.days, n.day + w.days, -1
  FROM neighbours n CROSS JOIN (VALUES (1), (7), (30)) AS w(days)
  WHERE n.next_day IS NULL OR n.next_day - n.day >= w.days
),
daily AS (
  SELECT window_days, at, sum(delta) AS delta FROM steps GROUP BY window_days, at
),
counts AS (
  SELECT d.day::date AS day, w.days AS window_days,
         coalesce(sum(x.delta), 0) AS active
  FROM generate_series($1::date, $2::date, interval '1 day') AS d(day)
  CROSS JOIN (VALUES (1), (7), (30)) AS w(days)
  LEFT JOIN daily x ON x.window_days = w.days AND x.at <= d.day::date
  GROUP BY d.day, w.days
)
SELECT day::timestamp AT TIME ZONE 'UTC' AS day,
       max(active) FILTER (WHERE window_days = 1) AS dau,
       max(active) FILTER (WHERE window_days = 7) AS wau,
       max(active) FILTER (WHERE window_days = 30) AS mau
FROM counts
GROUP BY day
ORDER BY day`;

interface Row {
  day: Date;
  dau: string;
  wau: string;
  mau: string;
}

export const activeUsersQuery = defineQuery({
  type: 'active_users',
  schema,
  async run(q, { db, now }) {
    const toMs = Math.min(Date.parse(q.to), now.getTime());
    const fromMs = Math.max(Date.parse(q.from), toMs - MAX_DAYS * 86_400_000);
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    // the last day is the one holding `to` (exclusive end): a range ending at midnight stops the day before
    const lastDay = day(toMs - 1);
    const { rows } = await db.query<Row>(SQL_ACTIVE_USERS, [day(fromMs), lastDay]);
    const parsed = rows.map((r) => ({ t: r.day.getTime(), dau: toCount(r.dau), wau: toCount(r.wau), mau: toCount(r.mau) }));
    return {
      frames: [
        frameFromRows('active_users', parsed, [
          { name: 'time', type: 'time', value: (r) => r.t },
          { name: 'DAU', type: 'number', value: (r) => r.dau },
          { name: 'WAU', type: 'number', value: (r) => r.wau },
          { name: 'MAU', type: 'number', value: (r) => r.mau },
          { name: 'stickiness', type: 'number', value: (r) => (r.mau > 0 ? r.dau / r.mau : undefined), config: { unit: 'percentunit' } },
        ]),
      ],
    };
  },
});
