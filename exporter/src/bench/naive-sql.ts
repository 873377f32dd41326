/**
 * What an analyst would write on raw events, to compare with the query API (issue 3). Both read
 * `events` directly: no rollups, no per-user state machine.
 */

/** Weekly cohorts (ISO weeks, UTC) of users signed up in [$1, $2), returns in weeks 0..$4 up to $3. */
export const NAIVE_RETENTION_SQL = `
WITH cohort AS (
  SELECT id AS user_id, date_trunc('week', created_at AT TIME ZONE 'UTC') AS cohort_week
  FROM users
  WHERE deleted_at IS NULL AND created_at >= $1 AND created_at < $2
),
activity AS (
  SELECT DISTINCT user_id, date_trunc('week', occurred_at AT TIME ZONE 'UTC') AS active_week
  FROM events
  WHERE occurred_at >= $1 AND occurred_at < $3
)
SELECT c.cohort_week,
       ((a.active_week::date - c.cohort_week::date) / 7) AS week_number,
       count(DISTINCT c.user_id) AS users
FROM cohort c
JOIN activity a ON a.user_id = c.user_id AND a.active_week >= c.cohort_week
WHERE (a.active_week::date - c.cohort_week::date) / 7 <= $4
GROUP BY 1, 2
ORDER BY 1, 2`;

/**
 * Ordered 4-step funnel: each user's first step-1 event in [$5, $6), then each next step after the
 * previous one and within 14 days of step 1 (the classic "first attempt" self-join).
 */
export const NAIVE_FUNNEL_SQL = `
WITH s1 AS (
  SELECT user_id, min(occurred_at) AS t1 FROM events
  WHERE name = $1 AND user_id IS NOT NULL AND occurred_at >= $5 AND occurred_at < $6
  GROUP BY user_id
),
s2 AS (
  SELECT s1.user_id, s1.t1, min(e.occurred_at) AS t2 FROM s1
  JOIN events e ON e.user_id = s1.user_id AND e.name = $2 AND e.occurred_at > s1.t1 AND e.occurred_at <= s1.t1 + interval '14 days'
  GROUP BY 1, 2
),
s3 AS (
  SELECT s2.user_id, s2.t1, min(e.occurred_at) AS t3 FROM s2
  JOIN events e ON e.user_id = s2.user_id AND e.name = $3 AND e.occurred_at > s2.t2 AND e.occurred_at <= s2.t1 + interval '14 days'
  GROUP BY 1, 2
),
s4 AS (
  SELECT s3.user_id FROM s3
  JOIN events e ON e.user_id = s3.user_id AND e.name = $4 AND e.occurred_at > s3.t3 AND e.occurred_at <= s3.t1 + interval '14 days'
  GROUP BY 1
)
SELECT (SELECT count(*) FROM s1) AS step1, (SELECT count(*) FROM s2) AS step2,
       (SELECT count(*) FROM s3) AS step3, (SELECT count(*) FROM s4) AS step4`;
