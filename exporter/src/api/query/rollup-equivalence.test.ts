import { loadDemoData } from '../../demo';
import { Attempt, bestAttempt, summarizeFunnel } from '../../domain/funnel';
import { RunningService } from '../../service';
import { createTestSchema, TestSchema } from '../../testing/db';
import { postJson, startTestService } from '../../testing/service';
import { TEST_TOKENS } from '../../testing/tokens';

// The query API reads day rollups; the answers must equal what plain SQL on raw events says, on
// generated data, and stay equal as new events arrive (pending deltas) and after compaction.

const T = new Date('2026-06-15T12:00:00Z');
const FROM = '2026-03-23T00:00:00Z'; // a Monday, 12 weeks before T's week
let db: TestSchema;
let svc: RunningService;

type Frame = { fields: Array<{ name: string; values: unknown[] }> };
const col = (f: Frame, n: string) => f.fields.find((x) => x.name === n)?.values ?? [];

/** Users per (cohort week, week number >= 1) returning in that week, on raw events. */
const RAW_WEEKLY_RETURNS = `
SELECT date_trunc('week', u.created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS cohort,
       (date_trunc('week', e.occurred_at AT TIME ZONE 'UTC')::date - date_trunc('week', u.created_at AT TIME ZONE 'UTC')::date) / 7 AS period,
       count(DISTINCT u.id)::int AS retained
FROM users u
JOIN events e ON e.user_id = u.id AND e.occurred_at < $3
WHERE u.deleted_at IS NULL AND u.created_at >= $1 AND u.created_at < $2
  AND date_trunc('week', e.occurred_at AT TIME ZONE 'UTC') > date_trunc('week', u.created_at AT TIME ZONE 'UTC')
GROUP BY 1, 2`;

/** Distinct live users with an event per UTC day, on raw events. */
const RAW_DAU = `
SELECT (e.occurred_at AT TIME ZONE 'UTC')::date::text AS day, count(DISTINCT e.user_id)::int AS dau
FROM events e JOIN users u ON u.id = e.user_id AND u.deleted_at IS NULL
WHERE e.occurred_at >= $1 AND e.occurred_at < $2
GROUP BY 1`;

async function apiRetention(): Promise<Map<string, number>> {
  const r = await postJson(
    `${svc.url}/api/v1/query`,
    { type: 'retention', from: FROM, to: T.toISOString(), interval: 'week', periods: 12, format: 'cells' },
    TEST_TOKENS.query,
  );
  expect(r.status).toBe(200);
  const f = (r.body.frames as Frame[])[0] as Frame;
  const out = new Map<string, number>();
  const [periods, retained, incomplete] = [col(f, 'period'), col(f, 'retained'), col(f, 'incomplete')];
  col(f, 'cohort').forEach((c, i) => {
    if (incomplete[i] || (periods[i] as number) === 0 || !retained[i]) return;
    out.set(`${new Date(c as number).toISOString()}|${periods[i]}`, retained[i] as number);
  });
  return out;
}

async function rawRetention(completeBefore: Date): Promise<Map<string, number>> {
  const { rows } = await db.pool.query<{ cohort: Date; period: number; retained: number }>(RAW_WEEKLY_RETURNS, [FROM, T, T]);
  const out = new Map<string, number>();
  for (const r of rows) {
    const cellEnd = r.cohort.getTime() + (r.period + 1) * 7 * 86_400_000;
    if (r.period <= 12 && cellEnd <= completeBefore.getTime()) out.set(`${r.cohort.toISOString()}|${r.period}`, r.retained);
  }
  return out;
}

async function apiDau(from: string, to: string): Promise<Map<string, number>> {
  const r = await postJson(`${svc.url}/api/v1/query`, { type: 'active_users', from, to }, TEST_TOKENS.query);
  const f = (r.body.frames as Frame[])[0] as Frame;
  const days = col(f, 'time');
  const dau = col(f, 'DAU');
  return new Map(
    days.map((d, i) => [new Date(d as number).toISOString().slice(0, 10), dau[i] as number]).filter(([, n]) => (n as number) > 0) as Array<
      [string, number]
    >,
  );
}

async function rawDau(from: string, to: string): Promise<Map<string, number>> {
  const { rows } = await db.pool.query<{ day: string; dau: number }>(RAW_DAU, [from, to]);
  return new Map(rows.map((r) => [r.day, r.dau]));
}

const FUNNEL_STEPS = ['login', 'dashboard.viewed', 'report.created', 'report.exported'];
const FUNNEL_FROM = '2026-05-16T12:00:00Z';
const WINDOW_MS = 14 * 86_400_000;

/** Step events of live users on raw events, in (time, id) order, with the user's plan. */
const RAW_FUNNEL_EVENTS = `
SELECT e.user_id, t.plan, e.name, e.occurred_at
FROM events e
JOIN users u ON u.id = e.user_id AND u.deleted_at IS NULL
JOIN tenants t ON t.id = u.tenant_id
WHERE e.name = ANY($1) AND e.occurred_at >= $2 AND e.occurred_at <= $3
ORDER BY e.user_id, e.occurred_at, e.id`;

/** Users per step and median seconds per step by plan: the domain functions over raw events. */
async function rawFunnel(): Promise<Record<string, { users: number[]; medians: Array<number | undefined> }>> {
  const fromMs = Date.parse(FUNNEL_FROM);
  const { rows } = await db.pool.query<{ user_id: string; plan: string; name: string; occurred_at: Date }>(RAW_FUNNEL_EVENTS, [
    FUNNEL_STEPS,
    FUNNEL_FROM,
    T,
  ]);
  const byUser = new Map<string, typeof rows>();
  for (const r of rows) byUser.set(r.user_id, [...(byUser.get(r.user_id) ?? []), r]);
  const attempts = new Map<string, Attempt[]>();
  for (const events of byUser.values()) {
    const steps = { timesMs: events.map((e) => e.occurred_at.getTime()), stepBits: events.map((e) => 1 << FUNNEL_STEPS.indexOf(e.name)) };
    const a = bestAttempt(steps, 0, events.length, FUNNEL_STEPS.length, WINDOW_MS, (t) => t >= fromMs && t < T.getTime());
    const plan = (events[0] as (typeof rows)[number]).plan;
    if (a) attempts.set(plan, [...(attempts.get(plan) ?? []), a]);
  }
  return Object.fromEntries(
    [...attempts].map(([plan, a]) => {
      const steps = summarizeFunnel(a, FUNNEL_STEPS.length);
      return [plan, { users: steps.map((x) => x.users), medians: steps.map((x) => x.medianSecondsFromPrevious) }];
    }),
  );
}

async function apiFunnel(): Promise<Record<string, { users: number[]; medians: Array<number | undefined> }>> {
  const body = { type: 'funnel', from: FUNNEL_FROM, to: T.toISOString(), steps: FUNNEL_STEPS, windowDays: 14, breakdown: 'plan' };
  const r = await postJson(`${svc.url}/api/v1/query`, body, TEST_TOKENS.query);
  expect(r.status).toBe(200);
  const f = (r.body.frames as Frame[])[0] as Frame;
  const out: Record<string, { users: number[]; medians: Array<number | undefined> }> = {};
  const [plans, users, medians] = [col(f, 'plan'), col(f, 'users'), col(f, 'median_seconds_from_previous')];
  plans.forEach((p, i) => {
    const o = (out[p as string] ??= { users: [], medians: [] });
    o.users.push(users[i] as number);
    o.medians.push((medians[i] as number | null) ?? undefined);
  });
  return out;
}

async function expectEqualToRaw(): Promise<void> {
  const funnel = await apiFunnel();
  expect(Object.values(funnel).reduce((n, f) => n + (f.users[3] ?? 0), 0)).toBeGreaterThan(5);
  expect(funnel).toEqual(await rawFunnel());
  const api = await apiRetention();
  expect(api.size).toBeGreaterThan(20);
  expect(api).toEqual(await rawRetention(T));
  const from = '2026-06-01T00:00:00Z';
  const to = '2026-06-14T00:00:00Z';
  const dau = await apiDau(from, to);
  expect(dau.size).toBeGreaterThan(5);
  expect(dau).toEqual(await rawDau(from, to));
}

/**
 * Per (user, event name; '' = any event), the first day and first instant of activity (feature
 * impact reads the instant) as raw events say, against the activity rows: the rows that differ
 * either way, and how many rows there are. Only meaningful with no deltas pending.
 */
async function firstUsesAgainstRaw(): Promise<{ differing: number; rows: number }> {
  const { rows } = await db.pool.query<{ differing: number; rows: number }>(`
    WITH raw AS (
      SELECT user_id, name, min(occurred_at) AS first_at FROM events WHERE user_id IS NOT NULL GROUP BY 1, 2
      UNION ALL
      SELECT user_id, '', min(occurred_at) FROM events WHERE user_id IS NOT NULL GROUP BY 1
    )
    SELECT count(*) FILTER (WHERE a.first_at IS DISTINCT FROM r.first_at
                              OR a.first_day IS DISTINCT FROM (r.first_at AT TIME ZONE 'UTC')::date)::int AS differing,
           count(a.user_id)::int AS rows
    FROM raw r FULL JOIN saasmon_user_activity a ON a.user_id = r.user_id AND a.name = r.name`);
  return rows[0] as { differing: number; rows: number };
}

async function expectFirstUsesEqualToRaw(): Promise<void> {
  const pending = await db.pool.query('SELECT count(*)::int AS n FROM saasmon_event_deltas');
  expect(pending.rows[0].n).toBe(0);
  const r = await firstUsesAgainstRaw();
  expect(r.rows).toBeGreaterThan(100);
  expect(r.differing).toBe(0);
}

beforeAll(async () => {
  db = await createTestSchema('equiv');
  await loadDemoData(db.url, db.schema, { scale: 'S', now: T });
  svc = await startTestService(
    db,
    { rollups: { compactIntervalSeconds: 0 }, api: { rateLimit: { requestsPerSecond: 1000, burst: 1000 } } },
    () => T,
  );
}, 120_000);
afterAll(async () => {
  await svc?.close();
  await db?.close();
});

it('answers retention, DAU and funnels from rollups and timelines exactly as raw events say', async () => {
  await expectEqualToRaw();
  await expectFirstUsesEqualToRaw(); // as the demo loader's rebuild left them
});

it('stays equal as new events arrive through the ingest API, before and after compaction', async () => {
  // Returns for recent cohort users in past weeks and days, some in weeks they were already active.
  const { rows: users } = await db.pool.query<{ id: string; tenant_id: string; created_at: Date }>(
    `SELECT id, tenant_id, created_at FROM users WHERE deleted_at IS NULL AND created_at >= $1 AND created_at < $2 ORDER BY id LIMIT 60`,
    [FROM, '2026-05-18T00:00:00Z'],
  );
  expect(users.length).toBeGreaterThan(20);
  const events = users
    .flatMap((u, i) => {
      const at = (days: number) => new Date(u.created_at.getTime() + days * 86_400_000 + i * 60_000).toISOString();
      return [
        { id: `late-${u.id}-a`, tenant_id: u.tenant_id, user_id: u.id, name: 'report.exported', occurred_at: at(8 + (i % 20)) },
        { id: `late-${u.id}-b`, tenant_id: u.tenant_id, user_id: u.id, name: 'dashboard.viewed', occurred_at: at(15 + (i % 10)) },
      ];
    })
    .filter((e) => Date.parse(e.occurred_at) < Date.parse('2026-06-14T00:00:00Z'));
  const r = await postJson(`${svc.url}/api/v1/ingest/events`, { events }, TEST_TOKENS.ingest);
  expect(r.status).toBe(200);
  expect(r.body.created).toBe(events.length);

  const pending = await db.pool.query('SELECT count(*)::int AS n FROM saasmon_event_deltas');
  expect(pending.rows[0].n).toBeGreaterThan(0);
  const pendingTimelines = await db.pool.query('SELECT count(*)::int AS n FROM saasmon_timeline_deltas');
  expect(pendingTimelines.rows[0].n).toBeGreaterThan(0);
  await expectEqualToRaw();

  await db.pool.query('SELECT saasmon_compact_event_rollups()');
  await expectEqualToRaw();
  await expectFirstUsesEqualToRaw(); // after an incremental compaction

  await db.pool.query('SELECT saasmon_rebuild_event_rollups()');
  await expectFirstUsesEqualToRaw();
});
