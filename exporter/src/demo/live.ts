import { Pool } from 'pg';
import { withTransaction } from '../db/pool';
import { Logger } from '../logger';

/**
 * Keeps the embedded demo current, so that `saasmon start` shows a live business rather than one
 * that stopped when the data was generated (freshness, backup RPO and DR alerts would fire on a
 * demo left running or started again a week later):
 *  - events: last week is replayed a week later (same users, names and hours of the day), for
 *    live users of tenants not churned by then; a long gap fills a week per run;
 *  - backups: each schedule (full daily, incremental hourly, WAL every 15 minutes, escrow weekly)
 *    continues from its newest run, up to 7 days back; runs left `running` complete; Sunday full
 *    backups get their restore verification 6 hours after;
 *  - DR tests: a passing test of each kind when its newest is 30 days old.
 * Sign-ups, subscriptions, NPS and support stay as generated. Ids start with `live_`.
 */

const BACKUP_SCHEDULES_SQL = `
(VALUES ('full', interval '1 day', interval '40 minutes'),
        ('incremental', interval '1 hour', interval '4 minutes'),
        ('wal_archive', interval '15 minutes', interval '20 seconds'),
        ('escrow_export', interval '7 days', interval '90 minutes')) AS s(kind, every, duration)`;

export const SQL_REPLAY_EVENTS = `
INSERT INTO events (id, tenant_id, user_id, name, occurred_at, properties)
SELECT 'live_' || md5(e.id || e.occurred_at::text), e.tenant_id, e.user_id, e.name, e.occurred_at + interval '7 days', e.properties
FROM events e
JOIN tenants t ON t.id = e.tenant_id AND (t.churned_at IS NULL OR t.churned_at > e.occurred_at + interval '7 days')
LEFT JOIN users u ON u.id = e.user_id
WHERE e.occurred_at > (SELECT max(occurred_at) FROM events) - interval '7 days'
  AND e.occurred_at <= $1::timestamptz - interval '7 days'
  AND (e.user_id IS NULL OR u.deleted_at IS NULL)
ON CONFLICT DO NOTHING`;

export const SQL_COMPLETE_RUNNING_BACKUPS = `
UPDATE backups b SET status = 'succeeded', completed_at = b.started_at + s.duration,
       size_bytes = coalesce(b.size_bytes, (SELECT p.size_bytes FROM backups p
                                            WHERE p.kind = b.kind AND p.location = b.location AND p.size_bytes IS NOT NULL
                                            ORDER BY p.started_at DESC LIMIT 1))
FROM ${BACKUP_SCHEDULES_SQL}
WHERE s.kind = b.kind AND b.status = 'running' AND b.started_at + s.duration <= $1::timestamptz`;

export const SQL_CONTINUE_BACKUPS = `
INSERT INTO backups (id, kind, location, started_at, completed_at, status, size_bytes)
SELECT 'live_' || md5(b.kind || b.location || g::text), b.kind, b.location, g, g + s.duration, 'succeeded', b.size_bytes
FROM (
  SELECT DISTINCT ON (kind, location) kind, location, started_at, size_bytes
  FROM backups WHERE size_bytes IS NOT NULL
  ORDER BY kind, location, started_at DESC
) b
JOIN ${BACKUP_SCHEDULES_SQL} ON s.kind = b.kind
CROSS JOIN LATERAL generate_series(
  greatest((SELECT max(x.started_at) FROM backups x WHERE x.kind = b.kind AND x.location = b.location) + s.every,
           $1::timestamptz - interval '7 days'),
  $1::timestamptz - s.duration, s.every) AS g
ON CONFLICT DO NOTHING`;

export const SQL_VERIFY_SUNDAY_FULLS = `
UPDATE backups SET verified_at = completed_at + interval '6 hours'
WHERE id LIKE 'live\\_%' AND kind = 'full' AND status = 'succeeded' AND verified_at IS NULL
  AND extract(dow FROM started_at AT TIME ZONE 'UTC') = 0 AND completed_at + interval '6 hours' <= $1::timestamptz`;

export const SQL_MONTHLY_DR_TESTS = `
INSERT INTO dr_tests (id, kind, tested_at, recovery_time_seconds, data_loss_seconds, result)
SELECT 'live_' || md5(k.kind || $1::timestamptz::text), k.kind, $1::timestamptz, k.rto_seconds, 60, 'pass'
FROM (VALUES ('full_failover', 1500), ('backup_restore', 2400), ('partial_recovery', 700)) AS k(kind, rto_seconds)
WHERE coalesce((SELECT max(tested_at) FROM dr_tests d WHERE d.kind = k.kind), '-infinity') <= $1::timestamptz - interval '30 days'
ON CONFLICT DO NOTHING`;

export interface LiveDemoStep {
  events: number;
  backups: number;
  drTests: number;
}

/** One step of the live demo at `now`: safe to repeat (ids are derived from what they copy). */
export async function advanceDemo(pool: Pool, now: Date): Promise<LiveDemoStep> {
  return withTransaction(pool, async (db) => {
    const events = await db.query(SQL_REPLAY_EVENTS, [now]);
    const completed = await db.query(SQL_COMPLETE_RUNNING_BACKUPS, [now]);
    const backups = await db.query(SQL_CONTINUE_BACKUPS, [now]);
    await db.query(SQL_VERIFY_SUNDAY_FULLS, [now]);
    const dr = await db.query(SQL_MONTHLY_DR_TESTS, [now]);
    return { events: events.rowCount ?? 0, backups: (backups.rowCount ?? 0) + (completed.rowCount ?? 0), drTests: dr.rowCount ?? 0 };
  });
}

export interface LiveDemo {
  stop(): Promise<void>;
}

/** Runs advanceDemo now (catching up after a pause) and then every `everyMs`, until stopped. */
export function startLiveDemo(pool: Pool, log: Logger, everyMs = 60_000): LiveDemo {
  let running: Promise<void> = Promise.resolve();
  const step = () => {
    running = running.then(async () => {
      try {
        const r = await advanceDemo(pool, new Date());
        if (r.events + r.backups + r.drTests > 0) log.info('live demo: data added', { ...r });
      } catch (err) {
        log.warn('live demo: step failed', { error: (err as Error).message });
      }
    });
  };
  step();
  const timer = setInterval(step, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
