import { PoolClient } from 'pg';
import { TenantFilters } from '@saasmon/contract';
import { createTestSchema, TestSchema } from '../testing/db';
import { median } from '../domain/funnel';
import { FeatureImpact, readFeatureImpact, readPowerUsers } from './engagement';
import { tenantFilterSql } from './tenant-filter';
import { sqlDaysBefore } from './window';

// power_users and feature_impact count in the database from the activity bit strings and the
// rollups (issue 18, for speed at 5,000 tenants). Here they are checked against the per-user forms
// they replaced (copied below as they were), on generated data: pending deltas only, after a
// compaction, new events pending on top, and tenant ids that name no tenant (which switch
// power_users to its per-row form), at instants on and off day boundaries, with and without
// filters.

let db: TestSchema;
let client: PoolClient;

beforeAll(async () => {
  db = await createTestSchema('engeq');
  client = await db.pool.connect();
});
afterAll(async () => {
  client.release();
  await db.close();
});

/** mulberry32: the same data on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;
const BASE = Date.parse('2026-05-01T00:00:00Z');
// Twelve: one tenant is few enough for power_users to find its users by the tenant index.
const TENANTS = ['ta', 'tb', 'tc', 'td', 'te', 'tf', 'tg', 'th', 'ti', 'tj', 'tk', 'tl'];
const NAMES = ['a', 'b', 'c', 'x'];
let eventId = 0;

function events(rnd: () => number, users: Array<{ id: string; tenant: string; created: number }>, fromDay: number, toDay: number) {
  const out: Array<Record<string, unknown>> = [];
  for (const u of users) {
    const rate = rnd();
    for (let d = fromDay; d < toDay; d++) {
      if (BASE + d * DAY < u.created || rnd() > rate) continue;
      const n = 1 + Math.floor(rnd() * 3);
      for (let k = 0; k < n; k++) {
        // Some on the instants that matter: midnight, noon (the instants T below), their neighbours.
        const pick = rnd();
        const offset =
          pick < 0.1 ? 0 : pick < 0.2 ? 12 * 3_600_000 : pick < 0.25 ? 12 * 3_600_000 + 1 : pick < 0.3 ? DAY - 1 : Math.floor(rnd() * DAY);
        const at = Math.max(u.created, BASE + d * DAY + offset);
        out.push({
          id: `e${++eventId}`,
          tenant_id: u.tenant,
          user_id: u.id,
          name: NAMES[Math.floor(rnd() * NAMES.length)],
          occurred_at: new Date(at).toISOString(),
        });
      }
    }
  }
  return out;
}

const rnd = random(18);
const USERS = Array.from({ length: 90 }, (_, i) => ({
  id: `u${String(i).padStart(3, '0')}`,
  tenant: TENANTS[i % TENANTS.length] as string,
  created: BASE + Math.floor(rnd() * 70) * DAY + Math.floor(rnd() * DAY),
}));

async function load(rows: Array<Record<string, unknown>>) {
  for (let i = 0; i < rows.length; i += 2000) await db.insert('events', rows.slice(i, i + 2000));
}

const INSTANTS = ['2026-07-10T12:00:00Z', '2026-07-10T00:00:00Z', '2026-07-09T23:59:59.999Z', '2026-07-12T12:00:00.001Z'].map(
  (s) => new Date(s),
);
const FILTERS: Array<TenantFilters | undefined> = [undefined, { plan: ['pro'] }, { tenant: ['tb'] }, { tenant: ['tc', 'tz'] }];

async function inReadOnly<T>(f: () => Promise<T>): Promise<T> {
  await client.query('BEGIN READ ONLY');
  try {
    return await f();
  } finally {
    await client.query('ROLLBACK');
  }
}

async function expectPowerUsersAsBefore() {
  let compared = 0;
  for (const now of INSTANTS)
    for (const filters of FILTERS)
      for (const share of [10, 3.5, 50, 100]) {
        const { sql, params } = referencePowerUsersSql(filters);
        const want = await inReadOnly(() => client.query(sql, [now, share, ...params]));
        const got = await inReadOnly(() => readPowerUsers(client, now, share, filters));
        expect(got.users.map((u) => [u.rank, u.user, u.tenant, u.tenantName, u.plan, u.activeDays, u.events])).toEqual(
          want.rows.map((r) => [Number(r.rank), r.user_id, r.tenant_id, r.tenant_name, r.plan, Number(r.active_days), Number(r.events)]),
        );
        expect(got.activeUsers).toBe(want.rows.length ? Number(want.rows[0].active_users) : 0);
        compared += want.rows.length;
      }
  expect(compared).toBeGreaterThan(500);
}

async function expectFeatureImpactAsBefore() {
  const features = ['a', 'b', 'x', 'never'];
  for (const now of INSTANTS)
    for (const filters of FILTERS)
      for (const [from, to, retentionDay, firstDays] of [
        ['2026-05-01T00:00:00Z', '2026-06-15T00:00:00Z', 30, 7],
        ['2026-05-10T12:00:00Z', '2026-07-12T00:00:00Z', 7, 1],
        ['2026-05-01T00:00:00Z', '2026-05-20T00:00:00Z', 60, 30],
      ] as const) {
        const { sql, params } = referenceFeatureImpactSql(filters);
        const { rows } = await inReadOnly(() => client.query<ReferenceRow>(sql, [from, to, now, features, retentionDay, ...params]));
        const want = referenceFeatureImpacts(rows, features, retentionDay, firstDays, now.getTime());
        const got = await inReadOnly(() => readFeatureImpact(client, { from, to, now, features, retentionDay, firstDays, filters }));
        expect(got).toEqual(want);
      }
}

it('answers as the per-user forms did: pending, compacted, pending on top, unknown tenants', async () => {
  await db.insert(
    'tenants',
    TENANTS.map((id, i) => ({ id, name: id.toUpperCase(), plan: ['pro', 'basic', 'free'][i % 3], created_at: '2026-01-01T00:00:00Z' })),
  );
  await db.insert(
    'users',
    USERS.map((u, i) => ({
      id: u.id,
      tenant_id: u.tenant,
      created_at: new Date(u.created).toISOString(),
      deleted_at: i % 17 === 5 ? '2026-07-01T00:00:00Z' : null,
    })),
  );
  await load(events(rnd, USERS, 0, 60));
  await expectPowerUsersAsBefore(); // every event pending
  await expectFeatureImpactAsBefore();
  await db.pool.query('SELECT saasmon_compact_event_rollups()');
  await expectPowerUsersAsBefore(); // folded into the rollups and bit strings
  await expectFeatureImpactAsBefore();
  await load(events(rnd, USERS, 55, 75)); // new events pending beside folded ones, same days too
  await expectPowerUsersAsBefore();
  await expectFeatureImpactAsBefore();
  // A user whose events name a second tenant, and events of a tenant id with no tenant row.
  const strays = events(
    rnd,
    [
      { id: 'u003', tenant: 'tb', created: BASE },
      { id: 'u004', tenant: 'tz', created: BASE },
    ],
    40,
    72,
  );
  await load(strays);
  await db.pool.query('SELECT saasmon_compact_event_rollups()');
  await expectPowerUsersAsBefore();
  await expectFeatureImpactAsBefore();
});

// ---- The forms before issue 18's speed pass (api/query/power-users.ts, feature-impact.ts). ----

function referencePowerUsersSql(filters: TenantFilters | undefined) {
  const f = tenantFilterSql('t', filters, 2);
  const lo = sqlDaysBefore('$1::timestamptz', 30);
  const sql = `
WITH b AS (
  SELECT ${lo} AS lo, $1::timestamptz AS hi, (${lo} AT TIME ZONE 'UTC')::date AS lo_day, ($1::timestamptz AT TIME ZONE 'UTC')::date AS hi_day
),
base AS (
  SELECT d.user_id, min(d.tenant_id) AS tenant_id, count(*) AS active_days,
         (sum(d.events::float8) FILTER (WHERE d.day > b.lo_day AND d.day < b.hi_day))::bigint AS inner_events
  FROM saasmon_user_days_base d, b
  WHERE d.day >= (${lo} AT TIME ZONE 'UTC')::date AND d.day <= ($1::timestamptz AT TIME ZONE 'UTC')::date
    AND d.last_at > ${lo} AND d.first_at <= $1::timestamptz
  GROUP BY d.user_id
),
delta_days AS (
  SELECT d.user_id, d.day, min(d.tenant_id) AS tenant_id, sum(d.events)::bigint AS events,
         EXISTS (SELECT 1 FROM saasmon_user_days_base x
                 WHERE x.user_id = d.user_id AND x.day = d.day AND x.last_at > b.lo AND x.first_at <= b.hi) AS in_base
  FROM saasmon_event_deltas d, b
  WHERE d.user_id IS NOT NULL AND d.day >= b.lo_day AND d.day <= b.hi_day AND d.last_at > b.lo AND d.first_at <= b.hi
  GROUP BY d.user_id, d.day, b.lo, b.hi
),
deltas AS (
  SELECT d.user_id, min(d.tenant_id) AS tenant_id, count(*) FILTER (WHERE NOT d.in_base) AS active_days,
         (sum(d.events) FILTER (WHERE d.day > b.lo_day AND d.day < b.hi_day))::bigint AS inner_events
  FROM delta_days d, b
  GROUP BY d.user_id
),
edges AS (
  SELECT e.user_id, count(*) AS events
  FROM events e, b
  WHERE e.user_id IS NOT NULL
    AND ((e.occurred_at > b.lo AND e.occurred_at < (b.lo_day + 1)::timestamp AT TIME ZONE 'UTC')
      OR (e.occurred_at >= b.hi_day::timestamp AT TIME ZONE 'UTC' AND e.occurred_at <= b.hi))
  GROUP BY e.user_id
),
per_user AS (
  SELECT coalesce(s.user_id, n.user_id) AS user_id, least(s.tenant_id, n.tenant_id) AS tenant_id,
         coalesce(s.active_days, 0) + coalesce(n.active_days, 0) AS active_days,
         coalesce(s.inner_events, 0) + coalesce(n.inner_events, 0) AS inner_events
  FROM base s FULL JOIN deltas n ON n.user_id = s.user_id
),
-- Ranked on narrow rows (the tenant's name and plan are joined to the top share only).
ranked AS (
  SELECT p.user_id, p.tenant_id, p.active_days,
         p.inner_events + coalesce(x.events, 0) AS events,
         row_number() OVER (ORDER BY p.active_days DESC, p.inner_events + coalesce(x.events, 0) DESC, p.user_id COLLATE "C") AS rank,
         count(*) OVER () AS active_users
  FROM per_user p
  JOIN tenants t ON t.id = p.tenant_id
  LEFT JOIN edges x ON x.user_id = p.user_id
  WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = p.user_id AND u.deleted_at IS NOT NULL)
    AND ${f.sql}
)
SELECT r.user_id, r.tenant_id, t.name AS tenant_name, t.plan, r.active_days, r.events, r.rank, r.active_users
FROM ranked r
JOIN tenants t ON t.id = r.tenant_id
WHERE r.rank <= ceil(r.active_users * $2::numeric / 100)
ORDER BY r.rank`;
  return { sql, params: f.params };
}

interface ReferenceRow {
  id: string;
  signup_day: number;
  retained: boolean;
  features: string[];
  first_use_ms: number[];
}

function referenceFeatureImpactSql(filters: TenantFilters | undefined) {
  const f = tenantFilterSql('t', filters, 5);
  const sql = `
WITH cohort AS (
  SELECT u.id, u.created_at, (u.created_at AT TIME ZONE 'UTC')::date AS s
  FROM users u
  JOIN tenants t ON t.id = u.tenant_id
  WHERE u.deleted_at IS NULL AND u.created_at >= $1::timestamptz AND u.created_at < $2::timestamptz
    AND u.created_at <= $3::timestamptz AND ${f.sql}
),
first_use AS (
  SELECT u.user_id, u.name, u.created_at, min(u.first_at) AS first_at
  FROM (
    -- The first use of each feature by each cohort user: the activity row's first instant
    -- (migration 016), one primary-key row per (feature, user).
    SELECT c.id AS user_id, a.name, a.first_at, c.created_at
    FROM cohort c
    JOIN saasmon_user_activity a ON a.user_id = c.id AND a.name = ANY($4::text[])
    UNION ALL
    -- and events not folded into the rollups yet
    SELECT c.id, d.name, d.first_at, c.created_at
    FROM saasmon_event_deltas d
    JOIN cohort c ON c.id = d.user_id
    WHERE d.name = ANY($4::text[])
  ) u
  WHERE u.first_at <= $3::timestamptz AND u.first_at >= u.created_at
  GROUP BY u.user_id, u.name, u.created_at
),
-- Per user, before the join: the cohort is then joined once, by hash, with no sort of it. The
-- time from signup to each first use in whole milliseconds as a JavaScript Date would hold the two
-- instants (floored), sent as float8: numbers parse far faster than ~100k timestamps.
first_uses AS (
  SELECT f.user_id, array_agg(f.name) AS features,
         array_agg((floor(extract(epoch FROM f.first_at) * 1000) - floor(extract(epoch FROM f.created_at) * 1000))::float8) AS first_use_ms
  FROM first_use f
  GROUP BY f.user_id
)
SELECT c.id, (c.s - DATE '1970-01-01')::int AS signup_day,
       EXISTS (
         SELECT 1 FROM saasmon_user_days d
         WHERE d.user_id = c.id AND d.day >= c.s + ($5::int - 6) AND d.day <= c.s + $5::int
       ) AS retained,
       coalesce(f.features, '{}') AS features,
       coalesce(f.first_use_ms, '{}') AS first_use_ms
FROM cohort c
LEFT JOIN first_uses f ON f.user_id = c.id`;
  return { sql, params: f.params };
}

function referenceFeatureImpacts(
  rows: readonly ReferenceRow[],
  features: readonly string[],
  retentionDay: number,
  firstDays: number,
  nowMs: number,
): FeatureImpact[] {
  return features.map((feature) => {
    const daysToFirstUse: number[] = [];
    const r: FeatureImpact = {
      feature,
      users: rows.length,
      usedEver: 0,
      medianDaysToFirstUse: undefined,
      compared: 0,
      usedEarly: 0,
      usedEarlyRetained: 0,
      notUsedEarly: 0,
      notUsedEarlyRetained: 0,
    };
    for (const u of rows) {
      const i = u.features.indexOf(feature);
      const firstUse = i >= 0 ? u.first_use_ms[i] : undefined;
      if (firstUse !== undefined) {
        r.usedEver++;
        daysToFirstUse.push(firstUse / DAY);
      }
      // Day s+N must have ended for the user to be compared.
      if ((u.signup_day + retentionDay + 1) * DAY > nowMs) continue;
      r.compared++;
      if (firstUse !== undefined && firstUse <= firstDays * DAY) {
        r.usedEarly++;
        if (u.retained) r.usedEarlyRetained++;
      } else {
        r.notUsedEarly++;
        if (u.retained) r.notUsedEarlyRetained++;
      }
    }
    r.medianDaysToFirstUse = median(daysToFirstUse);
    return r;
  });
}
