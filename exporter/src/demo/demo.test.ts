import { drCollector } from '../collectors/dr';
import { engagementCollector } from '../collectors/engagement';
import { revenueCollector } from '../collectors/revenue';
import { collectLines } from '../testing/collect';
import { createTestSchema, TestSchema } from '../testing/db';
import { loadDemoData, DemoResult } from './index';

// Fixed instant so the expectations do not depend on the day the tests run.
const NOW = new Date('2026-06-15T09:00:00Z');
const HISTORY_START = new Date('2024-12-14T00:00:00Z');

const TABLES = ['tenants', 'users', 'subscriptions', 'marketing_spend', 'experiment_assignments', 'support_tickets', 'backups', 'events'];

/** A digest of every row of a table, in a stable order: equal digests mean equal contents. */
async function checksum(db: TestSchema, table: string): Promise<string> {
  // The table name comes from the literal list above.
  const { rows } = await db.pool.query<{ md5: string }>(`SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) AS md5 FROM ${table} x`);
  return rows[0]?.md5 ?? '';
}

async function scalar<T>(db: TestSchema, sql: string, params: unknown[] = []): Promise<T> {
  const { rows } = await db.pool.query<{ v: T }>(sql, params);
  return (rows[0] as { v: T }).v;
}

describe('demo data (scale S)', () => {
  let a: TestSchema;
  let b: TestSchema;
  let result: DemoResult;

  beforeAll(async () => {
    [a, b] = await Promise.all([createTestSchema('demo'), createTestSchema('demo')]);
    result = await loadDemoData(a.url, a.schema, { scale: 'S', seed: 42, now: NOW });
    await loadDemoData(b.url, b.schema, { scale: 'S', seed: 42, now: NOW });
  });

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('is deterministic: same seed and now give the same rows', async () => {
    for (const table of TABLES) expect([table, await checksum(b, table)]).toEqual([table, await checksum(a, table)]);
  });

  it('has the sizes of scale S', async () => {
    expect(result.tenants).toBe(120);
    expect(result.users).toBeGreaterThanOrEqual(1_350);
    expect(result.users).toBeLessThanOrEqual(1_650);
    expect(result.events).toBeGreaterThanOrEqual(60_000);
    expect(result.events).toBeLessThanOrEqual(80_000);
    expect(await scalar<string>(a, 'SELECT count(*) AS v FROM events')).toBe(String(result.events));
    expect(Number(await scalar<string>(a, 'SELECT count(*) AS v FROM subscriptions'))).toBeGreaterThan(40);
    expect(Number(await scalar<string>(a, 'SELECT count(*) AS v FROM experiments'))).toBe(5);
  });

  it('refuses a schema that already has tenants', async () => {
    await expect(loadDemoData(a.url, a.schema, { scale: 'S', now: NOW })).rejects.toThrow(/already has tenants/);
  });

  it('never overlaps two subscription rows of one tenant', async () => {
    const overlaps = await scalar<string>(
      a,
      `SELECT count(*) AS v FROM subscriptions x JOIN subscriptions y
         ON x.tenant_id = y.tenant_id AND x.id < y.id
        AND tstzrange(x.valid_from, x.valid_to) && tstzrange(y.valid_from, y.valid_to)`,
    );
    expect(overlaps).toBe('0');
    expect(await scalar<string>(a, 'SELECT count(*) AS v FROM subscriptions WHERE valid_to < valid_from')).toBe('0');
    expect(
      await scalar<string>(
        a,
        'SELECT count(*) AS v FROM (SELECT tenant_id FROM subscriptions WHERE valid_to IS NULL GROUP BY 1 HAVING count(*) > 1) m',
      ),
    ).toBe('0');
  });

  it('writes money with exactly two decimals and never negative', async () => {
    const bad = await scalar<string>(
      a,
      `SELECT count(*) AS v FROM (
         SELECT amount FROM subscriptions UNION ALL SELECT amount FROM marketing_spend) m
       WHERE amount < 0 OR amount::text !~ '^[0-9]+\\.[0-9]{2}$'`,
    );
    expect(bad).toBe('0');
  });

  it('keeps every event inside the history, on a known tenant and user', async () => {
    const orphans = await scalar<string>(
      a,
      `SELECT count(*) AS v FROM events e
       WHERE NOT EXISTS (SELECT 1 FROM tenants t WHERE t.id = e.tenant_id)
          OR (e.user_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = e.user_id AND u.tenant_id = e.tenant_id))`,
    );
    expect(orphans).toBe('0');
    const { rows } = await a.pool.query<{ first: Date; last: Date }>(
      'SELECT min(occurred_at) AS first, max(occurred_at) AS last FROM events',
    );
    expect(rows[0]!.first.getTime()).toBeGreaterThanOrEqual(HISTORY_START.getTime());
    expect(rows[0]!.last.getTime()).toBeLessThanOrEqual(NOW.getTime());
    const early = await scalar<string>(
      a,
      'SELECT count(*) AS v FROM events e JOIN users u ON u.id = e.user_id WHERE e.occurred_at < u.created_at',
    );
    expect(early).toBe('0');
    expect(await scalar<string>(a, 'SELECT count(*) AS v FROM events_default')).toBe('0');
  });

  it('leaves rollups equal to a rebuild from raw events', async () => {
    const tables = ['saasmon_user_days', 'saasmon_user_event_days', 'saasmon_tenant_event_days'];
    const before = await Promise.all(tables.map((t) => checksum(a, t)));
    await a.pool.query('SELECT saasmon_rebuild_event_rollups()');
    expect(await Promise.all(tables.map((t) => checksum(a, t)))).toEqual(before);
    expect(Number(await scalar<string>(a, 'SELECT sum(events) AS v FROM saasmon_tenant_event_days'))).toBe(result.events);
    expect(await scalar<string>(a, 'SELECT count(*) AS v FROM saasmon_event_deltas')).toBe('0');
  });

  it('gives plausible KPIs at now', async () => {
    const activation = await scalar<number>(
      a,
      `SELECT avg((activated_at IS NOT NULL AND activated_at - created_at <= interval '7 days')::int)::float8 AS v
       FROM users WHERE deleted_at IS NULL AND created_at >= $1::timestamptz - interval '37 days' AND created_at < $1::timestamptz - interval '7 days'`,
      [NOW],
    );
    expect(activation).toBeGreaterThan(0.2);
    expect(activation).toBeLessThan(0.6);

    const d7 = await scalar<number>(
      a,
      `SELECT avg((EXISTS (SELECT 1 FROM saasmon_user_days d WHERE d.user_id = u.id
                           AND d.day = (u.created_at AT TIME ZONE 'UTC')::date + 7))::int)::float8 AS v
       FROM users u WHERE u.deleted_at IS NULL
         AND (u.created_at AT TIME ZONE 'UTC')::date BETWEEN ($1::timestamptz AT TIME ZONE 'UTC')::date - 37
                                                        AND ($1::timestamptz AT TIME ZONE 'UTC')::date - 8`,
      [NOW],
    );
    expect(d7).toBeGreaterThan(0.1);
    expect(d7).toBeLessThan(0.45);

    const mrr = await scalar<string>(
      a,
      `SELECT sum(amount / interval_months) AS v FROM subscriptions
       WHERE status IN ('active', 'past_due') AND valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1)`,
      [NOW],
    );
    expect(Number(mrr)).toBeGreaterThan(1_000);

    // DR looks healthy: a WAL archive finished within the hour, the newest DR test passed.
    const rpoSeconds = await scalar<number>(
      a,
      `SELECT extract(epoch FROM $1::timestamptz - max(completed_at))::float8 AS v FROM backups
       WHERE status = 'succeeded' AND kind IN ('full', 'incremental', 'wal_archive')`,
      [NOW],
    );
    expect(rpoSeconds).toBeLessThan(3_600);
    expect(await scalar<string>(a, 'SELECT result AS v FROM dr_tests ORDER BY tested_at DESC LIMIT 1')).toBe('pass');
    expect(Number(await scalar<string>(a, 'SELECT count(*) AS v FROM incidents WHERE resolved_at IS NULL'))).toBeGreaterThan(0);
  });
  it('has AI calls of every model over the last two weeks and training jobs of every status, within the contract', async () => {
    const models = await scalar<string>(a, "SELECT string_agg(DISTINCT model, ',' ORDER BY model) AS v FROM ai_requests");
    expect(models).toBe('claude-sonnet,gpt-4o,gpt-4o-mini,local-7b');
    expect(Number(await scalar<string>(a, 'SELECT count(*) AS v FROM ai_requests'))).toBeGreaterThan(1_000);
    // time to first token only on streaming chat calls, never filled in with the latency
    expect(await scalar<string>(a, "SELECT count(*) AS v FROM ai_requests WHERE first_token_ms IS NOT NULL AND operation <> 'chat'")).toBe(
      '0',
    );
    expect(Number(await scalar<string>(a, 'SELECT count(*) AS v FROM ai_requests WHERE validated_savings IS NOT NULL'))).toBeGreaterThan(0);
    expect(
      await scalar<string>(a, `SELECT count(*) AS v FROM ai_requests WHERE started_at >= $1 OR started_at < $2`, [
        NOW,
        new Date(NOW.getTime() - 16 * 86_400_000),
      ]),
    ).toBe('0');
    const statuses = await scalar<string>(
      a,
      "SELECT string_agg(DISTINCT status, ',' ORDER BY status) AS v FROM training_jobs WHERE finished_at IS NOT NULL",
    );
    expect(statuses).toBe('cancelled,failed,succeeded');
  });
});

/** The value of one sample line `name{labels} value` among collected lines (undefined when absent). */
function sample(lines: string[], series: string): number | undefined {
  const line = lines.find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/**
 * What the demo raises, at instants of different seasons (the live demo runs at any hour): a
 * healthy company whose KPIs sit clear of the alert thresholds and volume guards of alert-rules/
 * (no knife-edge: one churned customer or one odd cohort must not flip an alert), and one DR
 * warning on purpose: a recent incremental backup to eu-west-1 failed, the next one succeeded.
 */
describe.each(['2026-06-15T09:00:00Z', '2026-11-03T17:00:00Z', '2027-02-21T04:00:00Z'])('what the S demo raises at %s', (at) => {
  const now = new Date(at);
  let db: TestSchema;
  let lines: string[];

  beforeAll(async () => {
    db = await createTestSchema('demo_alerts');
    await loadDemoData(db.url, db.schema, { scale: 'S', seed: 42, now });
    lines = [];
    for (const c of [revenueCollector, engagementCollector, drCollector]) lines.push(...(await collectLines(c, db.config(), now)));
  });
  afterAll(async () => {
    await db?.close();
  });

  it('keeps the customer ratios clear of their thresholds, well above the volume guard of 20', () => {
    expect(sample(lines, 'saasmon_paying_customers')).toBeGreaterThanOrEqual(40);
    expect(sample(lines, 'saasmon_customer_churn_30d_ratio')).toBeLessThan(0.07);
    expect(sample(lines, 'saasmon_quick_ratio_30d')).toBeGreaterThan(1);
    const ltvCac = sample(lines, 'saasmon_ltv_cac');
    if (ltvCac !== undefined) expect(ltvCac).toBeGreaterThan(3); // absent when nobody churned (LTV unbounded)
  });

  it('keeps activation and retention clear of their thresholds, with signups well above the guard', () => {
    expect(sample(lines, 'saasmon_signups{window="30d"}')).toBeGreaterThanOrEqual(100);
    expect(sample(lines, 'saasmon_activation_ratio')).toBeGreaterThan(0.33);
    expect(sample(lines, 'saasmon_retention_ratio{day="7"}')).toBeGreaterThan(0.22);
    expect(sample(lines, 'saasmon_retention_ratio{day="30"}')).toBeGreaterThan(0.13);
  });

  it('fails exactly one backup in the last 24 hours, and every kind is within its age limit', () => {
    const failed = lines.filter((l) => l.startsWith('saasmon_backup_failed_24h') && !l.endsWith(' 0'));
    expect(failed).toEqual(['saasmon_backup_failed_24h{kind="incremental",location="eu-west-1"} 1']);
    for (const line of lines.filter((l) => l.startsWith('saasmon_backup_last_success_timestamp_seconds'))) {
      const kind = /kind="([^"]+)"/.exec(line)?.[1] ?? '';
      const age = now.getTime() / 1000 - Number(line.split(' ')[1]);
      expect([line, age <= (sample(lines, `saasmon_backup_max_age_seconds{kind="${kind}"}`) ?? 0)]).toEqual([line, true]);
    }
    expect(sample(lines, 'saasmon_dr_rpo_compliant')).toBe(1);
    expect(sample(lines, 'saasmon_dr_rto_ready')).toBe(1);
  });
});
