import { ConfigInput } from '../config/schema';
import { silentLogger } from '../logger';
import { createTestSchema, TestSchema } from '../testing/db';
import { startTestHook, startTestSmtp, TestHook, TestSmtp } from '../testing/mail-and-hooks';
import { DeliveryMetrics } from './delivery-metrics';
import { ReportRunner, RunnerDeps } from './runner';
import { latestDue, nextDue } from './schedule';
import { createPool } from '../db/pool';
import { Pool } from 'pg';
import { parseConfig } from '../config/load';

let db: TestSchema;
let smtp: TestSmtp;
let hook: TestHook;
let read: Pool;
const runners: ReportRunner[] = [];

// 09:00 in Berlin (summer time) on Tuesday 2026-06-16 is 07:00Z; the daily report covers Monday 06-15.
const NINE = new Date('2026-06-16T07:00:30Z');

function reportsConfig(schedule: Record<string, unknown>, extra: Record<string, unknown> = {}): ConfigInput {
  return {
    reports: {
      smtp: { host: '127.0.0.1', port: smtp.port, from: 'saasmon <reports@example.com>' },
      receivers: {
        founders: { type: 'email', to: ['ana@example.com', 'ben@example.com'] },
        slack: { type: 'slack', webhookUrl: `${hook.url}/slack` },
      },
      schedules: [{ at: '09:00', timeZone: 'Europe/Berlin', receivers: ['founders', 'slack'], report: 'daily', ...schedule }],
      retry: { initialBackoffSeconds: 1, maxAttempts: 3 },
      ...extra,
    },
  } as unknown as ConfigInput;
}

function runner(overrides: ConfigInput, now: Date, deps: Partial<RunnerDeps> = {}): ReportRunner {
  const r = new ReportRunner({ pool: db.pool, readPool: read, config: db.config(overrides), log: silentLogger, now: () => now, ...deps });
  runners.push(r);
  return r;
}

const mailsTo = (schedule: string, address: string) =>
  smtp.messages.filter((m) => m.to.includes(address) && String(m.mail.headers.get('x-saasmon-delivery') ?? '').startsWith(`${schedule}/`));
const slackFor = (schedule: string) => hook.received.filter((r) => String(r.headers['idempotency-key']).startsWith(`${schedule}/`));

beforeAll(async () => {
  db = await createTestSchema('runner');
  read = createPool(db.config(), 'read');
  [smtp, hook] = await Promise.all([startTestSmtp(), startTestHook()]);
  await db.insert('tenants', [{ id: 'a', name: 'a', plan: 'p', created_at: '2026-01-01T00:00:00Z' }]);
  await db.insert('subscriptions', [
    { id: 's1', tenant_id: 'a', plan: 'p', status: 'active', amount: '99.00', interval_months: 1, valid_from: '2026-01-01T00:00:00Z' },
  ]);
  await db.insert('users', [{ id: 'u1', tenant_id: 'a', created_at: '2026-01-01T00:00:00Z' }]);
  // Events keep the data fresh around every instant the tests run at.
  const times = ['2026-06-16T06:55:00Z', '2026-06-19T08:50:00Z', '2026-07-01T06:55:00Z'];
  await db.insert(
    'events',
    times.map((t, i) => ({ id: `e${i}`, tenant_id: 'a', user_id: 'u1', name: 'x', occurred_at: t })),
  );
}, 60_000);

afterAll(async () => {
  await Promise.all(runners.map((r) => r.stop()));
  await Promise.all([smtp?.close(), hook?.close(), read?.end()]);
  await db?.close();
});

it('sends the due report once: an HTML mail with its charts to each address, Slack blocks to the webhook', async () => {
  const config = reportsConfig({ name: 'daily-once' });
  const r = runner(config, NINE);
  expect(await r.tick()).toEqual([{ schedule: 'daily-once', scheduledFor: new Date('2026-06-16T07:00:00Z'), outcome: 'sent' }]);
  expect(await r.tick()).toEqual([]);
  for (const address of ['ana@example.com', 'ben@example.com']) {
    const [m, ...more] = mailsTo('daily-once', address);
    expect(more).toHaveLength(0);
    expect(m?.mail.subject).toMatch(/^Daily report 2026-06-15/);
    const html = String(m?.mail.html);
    expect(html).toContain('Europe/Berlin (GMT+2)');
    expect(html).toContain('99.00 USD');
    const images = m?.mail.attachments ?? [];
    expect(images.map((a) => a.filename).sort()).toEqual(['active_users.png', 'mrr_trend.png']);
    for (const a of images) {
      expect(a.contentType).toBe('image/png');
      expect(a.content.subarray(1, 4).toString()).toBe('PNG');
      expect(html).toContain(`cid:${a.cid}`);
    }
  }
  const [slack, ...moreSlack] = slackFor('daily-once');
  expect(moreSlack).toHaveLength(0);
  expect(JSON.stringify((slack?.body as { blocks: unknown[] }).blocks)).toContain('99.00 USD');
  const rows = await db.pool.query(
    "SELECT receiver, recipient, state, attempts FROM saasmon_report_deliveries WHERE schedule = 'daily-once' ORDER BY 1, 2",
  );
  expect(rows.rows).toEqual([
    { receiver: 'founders', recipient: 'ana@example.com', state: 'sent', attempts: 1 },
    { receiver: 'founders', recipient: 'ben@example.com', state: 'sent', attempts: 1 },
    { receiver: 'slack', recipient: 'slack', state: 'sent', attempts: 1 },
  ]);
});

it('two exporters ticking together send each recipient one message', async () => {
  const config = reportsConfig({ name: 'daily-two' });
  await Promise.all([runner(config, NINE).tick(), runner(config, NINE).tick(), runner(config, NINE).tick()]);
  expect(mailsTo('daily-two', 'ana@example.com')).toHaveLength(1);
  expect(mailsTo('daily-two', 'ben@example.com')).toHaveLength(1);
  expect(slackFor('daily-two')).toHaveLength(1);
});

it('a restart mid-send takes the run over when the lease ends and serves only those not served', async () => {
  const config = reportsConfig({ name: 'daily-crash' });
  const crashing = runner(config, NINE, {
    leaseSeconds: 1,
    afterDelivery: () => {
      throw new Error('killed');
    },
  });
  await crashing.tick();
  expect(mailsTo('daily-crash', 'ana@example.com')).toHaveLength(1);
  expect(mailsTo('daily-crash', 'ben@example.com')).toHaveLength(0);
  const restarted = runner(config, NINE);
  expect(await restarted.tick()).toEqual([]); // the lease still holds
  await new Promise((r) => setTimeout(r, 1100));
  expect((await restarted.tick()).map((x) => x.outcome)).toEqual(['sent']);
  expect(mailsTo('daily-crash', 'ana@example.com')).toHaveLength(1);
  expect(mailsTo('daily-crash', 'ben@example.com')).toHaveLength(1);
  expect(slackFor('daily-crash')).toHaveLength(1);
});

it('after downtime sends one late run, not the backlog, and says it is late', async () => {
  const config = reportsConfig({ name: 'daily-late' });
  await runner(config, NINE).tick();
  // Down from 06-16 until 06-19 08:58Z: the 06-17, 06-18 and 06-19 runs were missed; 06-19's goes out, late.
  const back = new Date('2026-06-19T08:58:00Z');
  const results = await runner(config, back).tick();
  expect(results).toEqual([{ schedule: 'daily-late', scheduledFor: new Date('2026-06-19T07:00:00Z'), outcome: 'sent' }]);
  const runs = await db.pool.query("SELECT scheduled_for, late, state FROM saasmon_report_runs WHERE schedule = 'daily-late' ORDER BY 1");
  expect(runs.rows.map((x) => [x.scheduled_for.toISOString(), x.late, x.state])).toEqual([
    ['2026-06-16T07:00:00.000Z', false, 'sent'],
    ['2026-06-19T07:00:00.000Z', true, 'sent'],
  ]);
  const late = mailsTo('daily-late', 'ana@example.com').at(-1);
  expect(late?.mail.subject).toMatch(/^\[late\] Daily report 2026-06-18/);
  expect(String(late?.mail.html)).toContain('LATE: scheduled for 2026-06-19T07:00:00.000Z');
});

it('does not send an instant due before the schedule first ran', async () => {
  const config = reportsConfig({ name: 'daily-new' });
  expect((await runner(config, new Date('2026-06-16T12:00:00Z')).tick()).map((x) => x.outcome)).toEqual([]);
  const runs = await db.pool.query("SELECT state FROM saasmon_report_runs WHERE schedule = 'daily-new'");
  expect(runs.rows).toEqual([{ state: 'skipped' }]);
  expect(mailsTo('daily-new', 'ana@example.com')).toHaveLength(0);
});

it('retries a failed delivery with backoff, only to that recipient, counting it in the metrics', async () => {
  const config = reportsConfig({ name: 'daily-retry' });
  const metrics = new DeliveryMetrics();
  const r = runner(config, NINE, { metrics });
  hook.failNext = 1;
  expect((await r.tick()).map((x) => x.outcome)).toEqual(['retry']);
  expect((await metrics.deliveries.get()).values.map((v) => [v.labels.outcome, v.value]).sort()).toEqual([
    ['failed', 1],
    ['sent', 2],
  ]);
  expect(await r.tick()).toEqual([]); // backing off
  await new Promise((res) => setTimeout(res, 1100));
  expect((await r.tick()).map((x) => x.outcome)).toEqual(['sent']);
  expect(slackFor('daily-retry')).toHaveLength(1);
  expect(mailsTo('daily-retry', 'ana@example.com')).toHaveLength(1);
  const failed = (await metrics.deliveries.get()).values.find((v) => v.labels.outcome === 'failed');
  expect(failed?.value).toBe(1);
});

it('gives up after the attempts allowed and records the failure per recipient', async () => {
  const config = reportsConfig({ name: 'daily-bounce' }, { retry: { initialBackoffSeconds: 0.2, maxAttempts: 2 } });
  smtp.refuse.add('ben@example.com');
  try {
    const r = runner(config, NINE);
    expect((await r.tick()).map((x) => x.outcome)).toEqual(['retry']);
    await new Promise((res) => setTimeout(res, 300));
    expect((await r.tick()).map((x) => x.outcome)).toEqual(['failed']);
  } finally {
    smtp.refuse.delete('ben@example.com');
  }
  const rows = await db.pool.query(
    "SELECT recipient, state, attempts, last_error FROM saasmon_report_deliveries WHERE schedule = 'daily-bounce' ORDER BY 1",
  );
  expect(rows.rows.map((x) => [x.recipient, x.state, x.attempts])).toEqual([
    ['ana@example.com', 'sent', 1],
    ['ben@example.com', 'failed', 2],
    ['slack', 'sent', 1],
  ]);
  expect(rows.rows[1].last_error).toMatch(/550/);
  expect(mailsTo('daily-bounce', 'ana@example.com')).toHaveLength(1);
});

it('waits for fresh data before sending', async () => {
  // 2026-06-17 07:00Z: the newest event (06-16 06:55Z) is a day old.
  const config = reportsConfig({ name: 'daily-stale' });
  const r = runner(config, new Date('2026-06-17T07:00:10Z'));
  await db.pool
    .query(`INSERT INTO saasmon_report_runs (schedule, scheduled_for, report, period_start, period_end, time_zone, state, claimed_by, lease_until)
    VALUES ('daily-stale', '2026-06-16T07:00:00Z', 'daily', now(), now(), 'UTC', 'sent', 'x', now())`);
  expect((await r.tick()).map((x) => x.outcome)).toEqual(['waiting']);
  expect(mailsTo('daily-stale', 'ana@example.com')).toHaveLength(0);
  const run = await db.pool.query(
    "SELECT state, last_error FROM saasmon_report_runs WHERE schedule = 'daily-stale' AND scheduled_for = '2026-06-17T07:00:00Z'",
  );
  expect(run.rows[0].state).toBe('pending');
  expect(run.rows[0].last_error).toMatch(/^waiting for fresh data/);
});

describe('schedule instants in the zone', () => {
  const schedule = (at: string, extra: Record<string, unknown> = {}) =>
    parseConfig({
      reports: {
        receivers: { h: { type: 'webhook', url: 'http://x.test/' } },
        schedules: [{ name: 's', report: 'daily', at, receivers: ['h'], ...extra }],
      },
    }).reports.schedules[0]!;
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

  it('keeps 09:00 local across the spring and autumn changes', () => {
    const s = schedule('09:00');
    expect(iso(nextDue(s, 'Europe/Berlin', Date.parse('2026-03-28T12:00:00Z')))).toBe('2026-03-29T07:00:00.000Z');
    expect(iso(nextDue(s, 'Europe/Berlin', Date.parse('2026-03-27T12:00:00Z')))).toBe('2026-03-28T08:00:00.000Z');
    expect(iso(nextDue(s, 'Europe/Berlin', Date.parse('2026-10-25T06:00:00Z')))).toBe('2026-10-25T08:00:00.000Z');
  });

  it('runs a time in the skipped hour once, and a time in the repeated hour once', () => {
    const s = schedule('02:30');
    // 03-29: 02:30 does not exist: once, at 03:30 local (01:30Z)
    expect(iso(nextDue(s, 'Europe/Berlin', Date.parse('2026-03-28T23:00:00Z')))).toBe('2026-03-29T01:30:00.000Z');
    // 10-25: 02:30 happens twice: once, at the first (00:30Z); at the second it is still the same due instant
    expect(iso(nextDue(s, 'Europe/Berlin', Date.parse('2026-10-24T23:00:00Z')))).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(latestDue(s, 'Europe/Berlin', Date.parse('2026-10-25T01:30:00Z')))).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(nextDue(s, 'Europe/Berlin', Date.parse('2026-10-25T00:30:00Z')))).toBe('2026-10-26T01:30:00.000Z');
  });

  it('follows weekly and monthly recurrences', () => {
    const weekly = parseConfig({
      reports: {
        receivers: { h: { type: 'webhook', url: 'http://x.test/' } },
        schedules: [{ name: 'w', report: 'weekly', at: '08:00', days: ['mon'], receivers: ['h'] }],
      },
    }).reports.schedules[0]!;
    expect(iso(nextDue(weekly, 'UTC', Date.parse('2026-12-04T09:00:00Z')))).toBe('2026-12-07T08:00:00.000Z');
    const monthly = parseConfig({
      reports: {
        receivers: { h: { type: 'webhook', url: 'http://x.test/' } },
        schedules: [{ name: 'm', report: 'monthly', at: '07:00', dayOfMonth: 2, receivers: ['h'] }],
      },
    }).reports.schedules[0]!;
    expect(iso(nextDue(monthly, 'America/New_York', Date.parse('2026-12-04T09:00:00Z')))).toBe('2027-01-02T12:00:00.000Z');
  });
});
