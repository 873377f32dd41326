import { Client } from 'pg';
import { eventually } from '../../harness/eventually';
import { RunningService } from '../../service';
import { createTestSchema, TestSchema } from '../../testing/db';
import { NO_COLLECTORS, postJson, startTestService } from '../../testing/service';
import { TEST_TOKENS } from '../../testing/tokens';

// Serving under load: expensive queries cannot starve light ones or the collectors, end as
// 503/504 with Retry-After, a token cannot hog the API, breakdowns are capped with a message,
// and cached answers follow the data.

let db: TestSchema;
type Frame = {
  fields: Array<{ name: string; values: unknown[] }>;
  meta?: { notices?: Array<{ text: string }>; stats?: Array<{ value: number }> };
};
const col = (f: Frame | undefined, n: string) => f?.fields.find((x) => x.name === n)?.values;
const adoption = (extra: Record<string, unknown> = {}) => ({
  type: 'feature_adoption',
  from: '2026-06-01T00:00:00Z',
  to: '2026-07-01T00:00:00Z',
  ...extra,
});

beforeAll(async () => {
  db = await createTestSchema('serving');
  await db.insert('tenants', [
    { id: 't1', name: 'A', plan: 'starter', created_at: '2026-01-01T00:00:00Z' },
    { id: 't2', name: 'B', plan: 'business', created_at: '2026-01-01T00:00:00Z' },
  ]);
  await db.insert('incidents', [
    { id: 'i1', title: 'db', severity: 'critical', status: 'investigating', started_at: '2026-01-01T00:00:00Z' },
  ]);
  await db.insert('events', [
    { id: 'e1', tenant_id: 't1', user_id: null, name: 'report.exported', occurred_at: '2026-06-10T00:00:00Z' },
    { id: 'e2', tenant_id: 't2', user_id: null, name: 'workflow.created', occurred_at: '2026-06-10T00:00:00Z' },
  ]);
});
afterAll(() => db?.close());

describe('four pathological queries in flight', () => {
  let svc: RunningService;
  let locker: Client;
  beforeAll(async () => {
    svc = await startTestService(db, {
      database: { statementTimeoutMs: 1_500, pools: { query: 4 } },
      collectors: { ...NO_COLLECTORS, operations: { enabled: true, intervalSeconds: 1 } },
      api: { queryQueueTimeoutMs: 10_000 },
    });
    locker = new Client({ connectionString: db.url });
    await locker.connect();
  });
  afterAll(async () => {
    await locker?.end();
    await svc?.close();
  });

  it('keeps light queries and collectors working; the pathological ones end with 503/504 and Retry-After', async () => {
    // Expensive queries made pathological for certain: the rollup they read is locked, so each
    // holds its connection until the statement timeout.
    await locker.query('BEGIN');
    await locker.query(`LOCK TABLE ${db.schema}.saasmon_tenant_event_days_base IN ACCESS EXCLUSIVE MODE`);
    let answers: Array<Awaited<ReturnType<typeof postJson>>> = [];
    try {
      // Four different queries (no single flight between them).
      const pathological = Promise.all([1, 2, 3, 4].map((top) => postJson(`${svc.url}/api/v1/query`, adoption({ top }))));
      await waitingOnLock(3); // every query connection but the light one is held
      const before = await collectorRuns(svc);
      for (let i = 0; i < 3; i++) {
        const dr = await postJson(`${svc.url}/api/v1/query`, { type: 'dr_status' });
        expect(dr.status).toBe(200);
      }
      await eventually(async () => expect(await collectorRuns(svc)).toBeGreaterThan(before), 10_000);
      answers = await pathological; // the lock is held until every one has ended
    } finally {
      await locker.query('ROLLBACK');
    }
    expect(answers).toHaveLength(4);
    for (const r of answers) {
      expect([503, 504]).toContain(r.status);
      expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
      // The statement timeout, a busy pool, or on a saturated machine the answer deadline: each a documented 503/504.
      expect(r.body.error).toMatch(/timeout|busy|no answer within/);
    }
    expect((await postJson(`${svc.url}/api/v1/query`, adoption())).status).toBe(200);
  });
});

/** Until `n` exporter queries wait on the test's lock (so they hold their connections). */
async function waitingOnLock(n: number): Promise<void> {
  await eventually(async () => {
    const { rows } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'saasmon-exporter-query' AND wait_event_type = 'Lock'`,
    );
    expect(rows[0]?.n).toBeGreaterThanOrEqual(n);
  }, 20_000);
}

/** The operations collector's last success time, from /metrics. */
async function collectorRuns(svc: RunningService): Promise<number> {
  const text = await (await fetch(`${svc.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('saasmon_collector_last_success_timestamp_seconds{collector="operations"}'));
  return line ? Number(line.split(' ').pop()) : 0;
}

it('limits queries per token: past the limit and the queue timeout, 429 with Retry-After and the reason', async () => {
  const svc = await startTestService(db, { api: { maxConcurrentQueriesPerToken: 1, queryQueueTimeoutMs: 200 } });
  const locker = new Client({ connectionString: db.url });
  await locker.connect();
  try {
    await locker.query('BEGIN');
    await locker.query(`LOCK TABLE ${db.schema}.saasmon_tenant_event_days_base IN ACCESS EXCLUSIVE MODE`);
    const first = postJson(`${svc.url}/api/v1/query`, adoption({ top: 1 }));
    await waitingOnLock(1);
    const second = await postJson(`${svc.url}/api/v1/query`, adoption({ top: 2 }));
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('1');
    expect(second.body.error).toMatch(/token "test-admin" had 1 queries running/);
    // another token is not held up by this one
    expect((await postJson(`${svc.url}/api/v1/query`, { type: 'dr_status' }, TEST_TOKENS.query)).status).toBe(200);
    await locker.query('ROLLBACK');
    expect((await first).status).toBe(200);
  } finally {
    await locker.end();
    await svc.close();
  }
});

it('caps a breakdown over 20,000 plans and says so in the answer', async () => {
  const big = await createTestSchema('cap');
  const svc = await startTestService(big, { api: { maxBreakdownGroups: 50 } });
  try {
    await big.pool.query(`INSERT INTO tenants (id, name, plan, created_at)
      SELECT 'c' || g, 'T' || g, 'plan-' || lpad(g::text, 5, '0'), '2026-01-01' FROM generate_series(1, 20000) g`);
    await big.pool.query(`INSERT INTO events (id, tenant_id, user_id, name, occurred_at)
      SELECT 'ev' || g, 'c' || g, NULL, CASE WHEN g % 2 = 0 THEN 'report.exported' ELSE 'login' END, '2026-06-10'
      FROM generate_series(1, 20000) g`);
    const r = await postJson(`${svc.url}/api/v1/query`, adoption());
    expect(r.status).toBe(200);
    const [f] = r.body.frames as Frame[];
    const plans = new Set(col(f, 'plan') as string[]);
    expect(plans.size).toBe(51); // 50 plans and "all"
    expect(plans.has('all')).toBe(true);
    const all = (col(f, 'plan') as string[])
      .map((p, i) => ({ p, active: (col(f, 'active_tenants') as number[])[i] }))
      .filter((x) => x.p === 'all');
    expect(all[0]?.active).toBe(20000);
    expect(f?.meta?.notices?.[0]?.text).toMatch(
      /^20000 plans have active tenants; showing the 50 with the most \(api.maxBreakdownGroups\)/,
    );

    // A funnel broken down by plan: the 50 plans with the most users starting it.
    await big.pool.query(
      `INSERT INTO users (id, tenant_id, created_at) SELECT 'cu' || g, 'c' || g, '2026-01-01' FROM generate_series(1, 20000) g`,
    );
    await big.pool.query(`INSERT INTO events (id, tenant_id, user_id, name, occurred_at)
      SELECT 'fl' || g, 'c' || g, 'cu' || g, 'login', '2026-06-10'::timestamptz FROM generate_series(1, 20000) g`);
    const funnel = await postJson(`${svc.url}/api/v1/query`, {
      type: 'funnel',
      from: '2026-06-01T00:00:00Z',
      to: '2026-07-01T00:00:00Z',
      steps: ['login', 'report.exported'],
      breakdown: 'plan',
    });
    expect(funnel.status).toBe(200);
    const [ff] = funnel.body.frames as Frame[];
    expect(new Set(col(ff, 'plan') as string[]).size).toBe(50);
    expect(ff?.meta?.notices?.[0]?.text).toMatch(/^20000 plan values have users in this funnel; showing the 50 with the most/);
  } finally {
    await svc.close();
    await big.close();
  }
});

describe('answer cache', () => {
  it('shares an answer until new events are ingested or compacted; never older than its bound', async () => {
    const svc = await startTestService(db, { rollups: { compactIntervalSeconds: 0 }, api: { answerCache: { maxAgeSeconds: 3600 } } });
    try {
      const ask = async () => {
        const r = await postJson(`${svc.url}/api/v1/query`, adoption({ features: ['report.exported'] }));
        expect(r.status).toBe(200);
        return r;
      };
      const using = (r: Awaited<ReturnType<typeof ask>>) => {
        const f = (r.body.frames as Frame[])[0];
        const i = (col(f, 'plan') as string[]).indexOf('all');
        return (col(f, 'tenants_using') as number[])[i];
      };
      const first = await ask();
      expect(using(first)).toBe(1);
      const [a, b] = await Promise.all([ask(), ask()]);
      expect(using(a)).toBe(1);
      expect(using(b)).toBe(1);

      // An event acknowledged by the ingest API: the next answer counts it.
      const ingest = await postJson(
        `${svc.url}/api/v1/ingest/events`,
        {
          events: [{ id: 'c1', tenant_id: 't2', user_id: null, name: 'report.exported', occurred_at: '2026-06-11T00:00:00Z' }],
        },
        TEST_TOKENS.ingest,
      );
      expect(ingest.status).toBe(200);
      expect(using(await ask())).toBe(2);

      // Compaction moves the deltas into the rollups: answers are recomputed and stay the same.
      await db.pool.query('SELECT saasmon_compact_event_rollups()');
      expect(using(await ask())).toBe(2);

      // A write by another process (not through this exporter) is seen as well.
      await db.insert('events', [{ id: 'c2', tenant_id: 't1', user_id: null, name: 'login', occurred_at: '2026-06-12T00:00:00Z' }]);
      await db.insert('tenants', [{ id: 't3', name: 'C', plan: 'starter', created_at: '2026-01-01T00:00:00Z' }]);
      await db.insert('events', [
        { id: 'c3', tenant_id: 't3', user_id: null, name: 'report.exported', occurred_at: '2026-06-12T00:00:00Z' },
      ]);
      expect(using(await ask())).toBe(3);
    } finally {
      await svc.close();
    }
  });

  it('with maxStaleSeconds, serves an answer at most that old, with its age in the frame meta', async () => {
    let clock = new Date('2026-07-01T00:00:00Z');
    const svc = await startTestService(
      db,
      { rollups: { compactIntervalSeconds: 0 }, api: { answerCache: { maxStaleSeconds: 10 } } },
      () => clock,
    );
    try {
      const ask = () => postJson(`${svc.url}/api/v1/query`, adoption({ features: ['report.exported'], top: 7 }));
      const fresh = await ask();
      expect((fresh.body.frames as Frame[])[0]?.meta?.stats).toBeUndefined();
      await db.insert('events', [{ id: 's1', tenant_id: 't2', user_id: null, name: 'login', occurred_at: '2026-06-12T00:00:00Z' }]);
      clock = new Date(clock.getTime() + 4_000);
      const cached = await ask();
      expect(cached.body.frames).not.toEqual(undefined);
      expect((cached.body.frames as Frame[])[0]?.meta?.stats?.[0]?.value).toBe(4);
      expect(cached.headers.get('age')).toBe('4');
      clock = new Date(clock.getTime() + 7_000); // 11 s after it was computed, and the data moved
      const again = await ask();
      expect((again.body.frames as Frame[])[0]?.meta?.stats).toBeUndefined();
    } finally {
      await svc.close();
    }
  });
});
