import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Pool } from 'pg';
import { Config, ReportSchedule } from '../config/schema';
import { readNewestEvent } from '../reads/data-quality';
import { withReadOnly } from '../db/pool';
import { eventsFresh } from '../domain/data-quality';
import { Logger } from '../logger';
import { buildReport } from './build';
import { DeliveryMetrics } from './delivery-metrics';
import { lastClosedPeriod, ReportKind } from './periods';
import { latestDue } from './schedule';
import { Report } from './report';
import { recipientsOf, Rendered, renderForSending, Sender } from './senders';

/**
 * Runs the configured report schedules exactly once each. Every tick, per schedule, the latest
 * scheduled instant at or before now is claimed by inserting its run row (primary key (schedule,
 * scheduled_for)) before anything is made or sent; only the inserting process goes on. Older
 * instants missed while no exporter ran are not sent (one late run, not a backlog). The claim is
 * a lease in database time: a run whose owner died mid-send is taken over when the lease ends, and
 * only recipients without a 'sent' row get it. Failed deliveries are retried with exponential
 * backoff up to reports.retry.maxAttempts runs.
 */

export interface RunnerDeps {
  /** Writer pool: claims and delivery rows. */
  pool: Pool;
  /** Reader pool: the report's read-only transaction. */
  readPool: Pool;
  config: Config;
  log: Logger;
  metrics?: DeliveryMetrics;
  now?: () => Date;
  sender?: Sender;
  /** How long a claim holds before another process may take the run over (default reports.leaseSeconds). */
  leaseSeconds?: number;
  /**
   * Renders a built report (HTML with PNG charts through resvg, Markdown): CPU-bound for tens to
   * hundreds of milliseconds. The service passes the compute worker's, so the serving thread never
   * rasterises; default: here, synchronously.
   */
  render?: (report: Report) => Promise<Rendered>;
  /** Test hook: called after each delivery is recorded (a throw there acts as a crash mid-send). */
  afterDelivery?: (d: { schedule: string; recipient: string }) => void;
}

interface RunRow {
  schedule: string;
  scheduled_for: Date;
  report: ReportKind;
  time_zone: string;
  late: boolean;
  attempts: number;
}

export type RunOutcome = 'sent' | 'retry' | 'failed' | 'waiting' | 'skipped';

const WAIT_FOR_DATA_SECONDS = 60;

export class ReportRunner {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = true;
  private readonly now: () => Date;
  private readonly sender: Sender;
  private readonly leaseSeconds: number;

  constructor(private readonly deps: RunnerDeps) {
    this.now = deps.now ?? (() => new Date());
    this.sender = deps.sender ?? new Sender(deps.config);
    this.leaseSeconds = deps.leaseSeconds ?? deps.config.reports.leaseSeconds;
    deps.metrics?.init(deps.config.reports.schedules.map((s) => s.name));
  }

  start(): void {
    const every = this.deps.config.reports.checkIntervalSeconds;
    if (every <= 0 || this.deps.config.reports.schedules.length === 0) return;
    this.stopped = false;
    const loop = () => {
      if (this.stopped) return;
      this.running = this.tick()
        .then(() => undefined)
        .catch((err: unknown) => this.deps.log.error('report runner tick failed', { error: (err as Error).message }))
        .finally(() => {
          this.running = undefined;
          if (!this.stopped) this.timer = setTimeout(loop, every * 1000);
        });
    };
    this.timer = setTimeout(loop, 1000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    this.sender.close();
  }

  /** One pass over every schedule; returns what happened to each run it touched. */
  async tick(): Promise<Array<{ schedule: string; scheduledFor: Date; outcome: RunOutcome }>> {
    const results: Array<{ schedule: string; scheduledFor: Date; outcome: RunOutcome }> = [];
    for (const s of this.deps.config.reports.schedules) {
      for (const run of await this.claimable(s)) {
        try {
          const outcome = await this.process(s, run);
          results.push({ schedule: s.name, scheduledFor: run.scheduled_for, outcome });
        } catch (err) {
          // The claim stays ours and pending: the next tick tries again.
          this.deps.log.error('report run failed before sending', { schedule: s.name, error: (err as Error).message });
          results.push({ schedule: s.name, scheduledFor: run.scheduled_for, outcome: 'retry' });
        }
      }
    }
    return results;
  }

  private zone(s: ReportSchedule): string {
    return s.timeZone ?? this.deps.config.reports.timeZone;
  }

  /** The runs this process now owns: the latest due instant if it claimed it, and unfinished runs whose lease ran out. */
  private async claimable(s: ReportSchedule): Promise<RunRow[]> {
    const { pool, config } = this.deps;
    const nowMs = this.now().getTime();
    const zone = this.zone(s);
    const due = latestDue(s, zone, nowMs);
    if (due !== undefined) {
      const lateBy = (nowMs - due) / 1000;
      const late = lateBy > config.reports.lateAfterSeconds;
      const period = lastClosedPeriod(s.report, due, zone);
      // A schedule's first instant ever is not sent late: it was due before saasmon ran it.
      const first = late && (await pool.query('SELECT 1 FROM saasmon_report_runs WHERE schedule = $1 LIMIT 1', [s.name])).rowCount === 0;
      const inserted = await pool.query(
        `INSERT INTO saasmon_report_runs (schedule, scheduled_for, report, period_start, period_end, time_zone, late, state, claimed_by, lease_until, last_error)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now() + $10 * interval '1 second', $11)
         ON CONFLICT (schedule, scheduled_for) DO NOTHING`,
        [
          s.name,
          new Date(due),
          s.report,
          new Date(period.startMs),
          new Date(period.endMs),
          zone,
          late,
          first ? 'skipped' : 'pending',
          this.id,
          this.leaseSeconds,
          first ? 'due before this schedule ever ran' : null,
        ],
      );
      if (inserted.rowCount === 1) {
        if (first) {
          this.deps.metrics?.runs.inc({ schedule: s.name, outcome: 'skipped' });
          this.deps.log.info('report run skipped: due before the schedule first ran', {
            schedule: s.name,
            scheduledFor: new Date(due).toISOString(),
          });
        } else {
          this.deps.log.info('report run claimed', { schedule: s.name, scheduledFor: new Date(due).toISOString(), late });
        }
      }
    }
    // Ours now: runs claimed just above (lease ours) and runs whose lease ran out, taken over atomically.
    const { rows } = await pool.query<RunRow>(
      `UPDATE saasmon_report_runs
       SET claimed_by = $2, lease_until = now() + $3 * interval '1 second',
           attempts = attempts + CASE WHEN state = 'retry' OR claimed_by <> $2 THEN 1 ELSE 0 END
       WHERE schedule = $1 AND state IN ('pending', 'retry')
         AND (lease_until <= now() OR (claimed_by = $2 AND state = 'pending' AND last_error IS NULL))
       RETURNING schedule, scheduled_for, report, time_zone, late, attempts`,
      [s.name, this.id, this.leaseSeconds],
    );
    return rows;
  }

  /**
   * Makes and sends a report now (`saasmon report --send`), recorded like a scheduled run under
   * the schedule name `manual-<kind>` at this instant, each recipient in the delivery table.
   */
  async runNow(
    kind: ReportKind,
    receivers: string[],
    timeZone = this.deps.config.reports.timeZone,
  ): Promise<{ outcome: RunOutcome; scheduledFor: Date }> {
    const s: ReportSchedule = { name: `manual-${kind}`, report: kind, at: '00:00', timeZone, dayOfMonth: 1, receivers };
    const at = new Date(Math.floor(this.now().getTime() / 1000) * 1000);
    const period = lastClosedPeriod(kind, at.getTime(), timeZone);
    await this.deps.pool.query(
      `INSERT INTO saasmon_report_runs (schedule, scheduled_for, report, period_start, period_end, time_zone, state, claimed_by, lease_until)
       VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, now() + $8 * interval '1 second')`,
      [s.name, at, kind, new Date(period.startMs), new Date(period.endMs), timeZone, this.id, this.leaseSeconds],
    );
    const run: RunRow = { schedule: s.name, scheduled_for: at, report: kind, time_zone: timeZone, late: false, attempts: 1 };
    return { outcome: await this.process(s, run, false), scheduledFor: at };
  }

  private async process(s: ReportSchedule, run: RunRow, waitForData = true): Promise<RunOutcome> {
    const { pool, readPool, config, log, metrics } = this.deps;
    const key = [s.name, run.scheduled_for.toISOString()];
    const now = this.now();
    // Wait for fresh data, within reason: a report on stale data goes out marked as such.
    const newest = await readNewestEvent(readPool, now);
    const fresh = eventsFresh(newest?.getTime(), now.getTime(), config.dataQuality.freshnessSeconds);
    if (waitForData && !fresh && (now.getTime() - run.scheduled_for.getTime()) / 1000 < config.reports.maxWaitForDataSeconds) {
      await pool.query(
        `UPDATE saasmon_report_runs SET lease_until = now() + $3 * interval '1 second', last_error = $4
         WHERE schedule = $1 AND scheduled_for = $2 AND claimed_by = $5`,
        [...key, WAIT_FOR_DATA_SECONDS, `waiting for fresh data (newest event ${newest?.toISOString() ?? 'none'})`, this.id],
      );
      return 'waiting';
    }
    const period = lastClosedPeriod(run.report, run.scheduled_for.getTime(), run.time_zone);
    const report = await withReadOnly(readPool, (db) =>
      buildReport(db, config, {
        kind: run.report,
        at: now,
        period,
        timeZone: run.time_zone,
        late: run.late ? { scheduledFor: run.scheduled_for } : undefined,
      }),
    );
    const rendered = this.deps.render ? await this.deps.render(report) : renderForSending(report);
    const recipients = s.receivers.flatMap((name) =>
      recipientsOf(name, config.reports.receivers[name] as NonNullable<(typeof config.reports.receivers)[string]>),
    );
    for (const r of recipients) {
      await pool.query(
        `INSERT INTO saasmon_report_deliveries (schedule, scheduled_for, receiver, recipient, state) VALUES ($1, $2, $3, $4, 'pending')
         ON CONFLICT DO NOTHING`,
        [...key, r.receiver, r.recipient],
      );
    }
    const { rows: open } = await pool.query<{ receiver: string; recipient: string }>(
      `SELECT receiver, recipient FROM saasmon_report_deliveries WHERE schedule = $1 AND scheduled_for = $2 AND state <> 'sent' ORDER BY receiver, recipient`,
      key,
    );
    let failed = 0;
    for (const d of open) {
      const receiver = config.reports.receivers[d.receiver];
      if (!receiver) continue;
      // Still ours? A takeover after a lease ran out must not race the old owner.
      const mine = await pool.query(
        `UPDATE saasmon_report_runs SET lease_until = now() + $4 * interval '1 second' WHERE schedule = $1 AND scheduled_for = $2 AND claimed_by = $3`,
        [...key, this.id, this.leaseSeconds],
      );
      if (mine.rowCount !== 1) return 'retry';
      await pool.query(
        `UPDATE saasmon_report_deliveries SET state = 'sending', attempts = attempts + 1, last_attempt_at = now()
         WHERE schedule = $1 AND scheduled_for = $2 AND receiver = $3 AND recipient = $4`,
        [...key, d.receiver, d.recipient],
      );
      try {
        await this.sender.send(receiver, d, rendered, `${s.name}/${run.scheduled_for.toISOString()}/${d.receiver}/${d.recipient}`);
        await pool.query(
          `UPDATE saasmon_report_deliveries SET state = 'sent', sent_at = now(), last_error = NULL
           WHERE schedule = $1 AND scheduled_for = $2 AND receiver = $3 AND recipient = $4`,
          [...key, d.receiver, d.recipient],
        );
        metrics?.deliveries.inc({ schedule: s.name, outcome: 'sent' });
      } catch (err) {
        failed++;
        await pool.query(
          `UPDATE saasmon_report_deliveries SET state = 'failed', last_error = $5
           WHERE schedule = $1 AND scheduled_for = $2 AND receiver = $3 AND recipient = $4`,
          [...key, d.receiver, d.recipient, (err as Error).message.slice(0, 1000)],
        );
        metrics?.deliveries.inc({ schedule: s.name, outcome: 'failed' });
        log.warn('report delivery failed', { schedule: s.name, receiver: d.receiver, error: (err as Error).message });
      }
      this.deps.afterDelivery?.({ schedule: s.name, recipient: d.recipient });
    }
    return this.finish(s, run, failed);
  }

  private async finish(s: ReportSchedule, run: RunRow, failed: number): Promise<RunOutcome> {
    const { pool, config, metrics } = this.deps;
    const key = [s.name, run.scheduled_for];
    let outcome: RunOutcome;
    if (failed === 0) {
      outcome = 'sent';
      await pool.query(
        `UPDATE saasmon_report_runs SET state = 'sent', finished_at = now(), last_error = NULL WHERE schedule = $1 AND scheduled_for = $2`,
        key,
      );
      metrics?.lastSent.set({ schedule: s.name }, this.now().getTime() / 1000);
    } else if (run.attempts >= config.reports.retry.maxAttempts) {
      outcome = 'failed';
      await pool.query(
        `UPDATE saasmon_report_runs SET state = 'failed', finished_at = now(), last_error = $3 WHERE schedule = $1 AND scheduled_for = $2`,
        [...key, `${failed} deliveries failed after ${run.attempts} attempts`],
      );
    } else {
      outcome = 'retry';
      const { initialBackoffSeconds, maxBackoffSeconds } = config.reports.retry;
      const backoff = Math.min(maxBackoffSeconds, initialBackoffSeconds * 2 ** (run.attempts - 1));
      await pool.query(
        `UPDATE saasmon_report_runs SET state = 'retry', lease_until = now() + $3 * interval '1 second', last_error = $4
         WHERE schedule = $1 AND scheduled_for = $2`,
        [...key, backoff, `${failed} deliveries failed; next attempt in ${backoff} s`],
      );
    }
    metrics?.runs.inc({ schedule: s.name, outcome });
    return outcome;
  }
}
