import { createTestSchema, TestSchema } from '../../testing/db';
import { TEST_TOKENS } from '../../testing/tokens';
import { RunningService } from '../../service';
import { postJson, startTestService } from '../../testing/service';

const NOW = new Date('2026-06-15T12:00:00Z');
let db: TestSchema;
let svc: RunningService;

const post = (path: string, body: unknown, token: string = TEST_TOKENS.ingest, raw?: string) =>
  postJson(`${svc.url}/api/v1/ingest/${path}`, body, token, raw);

const event = (i: number, extra: Record<string, unknown> = {}) => ({
  id: `e${i}`,
  tenant_id: 't1',
  user_id: 'u1',
  name: 'report.exported',
  occurred_at: '2026-06-15T11:00:00Z',
  ...extra,
});

beforeAll(async () => {
  db = await createTestSchema('ingest');
  await db.insert('tenants', [{ id: 't1', name: 'Acme', plan: 'starter', created_at: '2026-01-01T00:00:00Z' }]);
  await db.insert('users', [{ id: 'u1', tenant_id: 't1', created_at: '2026-06-01T00:00:00Z' }]);
  svc = await startTestService(
    db,
    {
      api: { rateLimit: { requestsPerSecond: 1000, burst: 1000 }, maxBodyBytes: 200_000 },
      ingest: { activationEvent: 'workflow.created' },
    },
    () => NOW,
  );
});
afterAll(async () => {
  await svc.close();
  await db.close();
});

const countEvents = async () => Number((await db.pool.query('SELECT count(*) AS n FROM events')).rows[0].n);

describe('auth', () => {
  it('refuses a missing token with 401', async () => {
    const r = await post('events', { events: [event(1)] }, '');
    expect(r.status).toBe(401);
    expect(r.body.error).toMatch(/bearer token/);
  });
  it('refuses an unknown token with 401', async () => {
    expect((await post('events', { events: [event(1)] }, 'nope-nope-nope')).status).toBe(401);
  });
  it('refuses a query-scoped token with 403', async () => {
    const r = await post('events', { events: [event(1)] }, TEST_TOKENS.query);
    expect(r.status).toBe(403);
    expect(r.body.error).toMatch(/ingest/);
  });
  it('lets an admin token ingest', async () => {
    expect((await post('events', { events: [event(900, { id: 'admin-1' })] }, TEST_TOKENS.admin)).status).toBe(200);
  });
});

describe('events', () => {
  it('stores a batch once: a retry is a no-op', async () => {
    const before = await countEvents();
    const batch = { events: [event(1), event(2), event(3)] };
    const first = await post('events', batch);
    expect(first.body).toEqual({ created: 3, duplicates: 0, rejected: 0 });
    const retry = await post('events', batch);
    expect(retry.body).toEqual({ created: 0, duplicates: 3, rejected: 0 });
    expect(await countEvents()).toBe(before + 3);
  });

  it('rejects a batch with one bad item whole, naming the item and field', async () => {
    const before = await countEvents();
    const r = await post('events', { events: [event(10), event(11, { occurred_at: 12 }), event(12)] });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/events\[1\]\.occurred_at/);
    expect(await countEvents()).toBe(before);
  });

  it('names every bad item of a refused batch, unknown tenants too, and stores nothing', async () => {
    const before = await countEvents();
    const r = await post('events', { events: [event(13), event(14, { name: '' }), event(15, { tenant_id: 'ghost' })] });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/events\[1\]\.name.*events\[2\]\.tenant_id: unknown tenant "ghost"/);
    const alone = await post('events', { events: [event(16), event(17, { tenant_id: 'ghost' })] });
    expect(alone.status).toBe(400);
    expect(alone.body.error).toMatch(/^batch refused whole \(nothing stored\): events\[1\]\.tenant_id: unknown tenant "ghost"$/);
    expect(await countEvents()).toBe(before);
  });

  it('accepts partially with a per-item result when asked', async () => {
    const r = await post('events?partial=true', { events: [event(20), event(21, { name: '' }), event(22, { tenant_id: 'ghost' })] });
    expect(r.status).toBe(200);
    expect(r.body.created).toBe(1);
    expect(r.body.rejected).toBe(2);
    expect(r.body.results).toEqual([
      { index: 0, status: 'created' },
      { index: 1, status: 'rejected', reason: 'invalid', error: expect.stringMatching(/events\[1\]\.name/) },
      { index: 2, status: 'rejected', reason: 'unknown_tenant', error: expect.stringMatching(/unknown tenant "ghost"/) },
    ]);
  });

  it('refuses timestamps too far in the future or the past', async () => {
    const future = await post('events', { events: [event(30, { occurred_at: '2026-06-15T13:00:00Z' })] });
    expect(future.status).toBe(400);
    expect(future.body.error).toMatch(/future/);
    const past = await post('events', { events: [event(31, { occurred_at: '2024-01-01T00:00:00Z' })] });
    expect(past.status).toBe(400);
    expect(past.body.error).toMatch(/past/);
  });

  it('refuses a timestamp without a time zone', async () => {
    const r = await post('events', { events: [event(32, { occurred_at: '2026-06-15T11:00:00' })] });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/time zone/);
  });

  it('refuses unknown fields, empty batches, oversized batches and bad JSON with 4xx', async () => {
    expect((await post('events', { events: [event(40, { extra: 1 })] })).status).toBe(400);
    expect((await post('events', { events: [] })).status).toBe(400);
    expect((await post('events', { events: Array.from({ length: 1001 }, (_, i) => event(i)) })).status).toBe(400);
    const bad = await post('events', null, TEST_TOKENS.ingest, '{"events": [');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/not valid JSON/);
    expect((await post('events?foo=1', { events: [event(41)] })).status).toBe(400);
  });

  it('answers 413 for a body over the size limit', async () => {
    const big = { events: [event(50, { properties: { blob: 'x'.repeat(300_000) } })] };
    const r = await post('events', big);
    expect(r.status).toBe(413);
    expect(r.body.error).toMatch(/too large/);
  });

  it('sets users.activated_at from the first activation event, earliest wins', async () => {
    await post('events', { events: [event(60, { name: 'workflow.created', occurred_at: '2026-06-10T10:00:00Z' })] });
    await post('events', { events: [event(61, { name: 'workflow.created', occurred_at: '2026-06-12T10:00:00Z' })] });
    await post('events', { events: [event(62, { name: 'workflow.created', occurred_at: '2026-06-05T10:00:00Z' })] });
    const r = await db.pool.query('SELECT activated_at FROM users WHERE id = $1', ['u1']);
    expect((r.rows[0].activated_at as Date).toISOString()).toBe('2026-06-05T10:00:00.000Z');
  });

  it('makes the monthly partition an event needs', async () => {
    const r = await post('events', { events: [event(70, { occurred_at: '2025-08-01T00:00:00Z' })] });
    expect(r.status).toBe(200);
    const part = await db.pool.query(`SELECT to_regclass($1) AS t`, [`${db.schema}.events_202508`]);
    expect(part.rows[0].t).not.toBeNull();
  });
});

describe('backups and other entities', () => {
  const started = { id: 'b1', kind: 'full', location: 'eu-west-1', started_at: '2026-06-15T10:00:00Z', status: 'running' };
  const finished = { ...started, status: 'succeeded', completed_at: '2026-06-15T10:30:00Z', size_bytes: 1024 };

  it('follows start, finish and verify, and a late retry of start does not undo the finish', async () => {
    expect((await post('backups', started)).body).toEqual({ created: 1, updated: 0 });
    expect((await post('backups', finished)).body).toEqual({ created: 0, updated: 1 });
    await post('backups', started); // retried late
    await post('backups', { ...finished, verified_at: '2026-06-15T11:00:00Z' });
    const row = (await db.pool.query('SELECT status, completed_at, verified_at, size_bytes FROM backups WHERE id = $1', ['b1'])).rows[0];
    expect(row.status).toBe('succeeded');
    expect((row.completed_at as Date).toISOString()).toBe('2026-06-15T10:30:00.000Z');
    expect((row.verified_at as Date).toISOString()).toBe('2026-06-15T11:00:00.000Z');
    expect(row.size_bytes).toBe('1024');
  });

  it('refuses a finished backup without completed_at', async () => {
    const r = await post('backups', { ...started, id: 'b2', status: 'failed' });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/completed_at/);
  });

  it('takes batches of dr-tests, incidents, releases and nps, naming the bad item', async () => {
    const dr = {
      id: 'd1',
      kind: 'backup_restore',
      tested_at: '2026-06-01T00:00:00Z',
      recovery_time_seconds: 900,
      data_loss_seconds: 60,
      result: 'pass',
    };
    expect((await post('dr-tests', { items: [dr] })).body).toEqual({ created: 1, updated: 0 });
    const inc = {
      id: 'i1',
      title: 'API down',
      severity: 'critical',
      status: 'investigating',
      started_at: '2026-06-15T09:00:00Z',
      services: ['api'],
    };
    expect((await post('incidents', inc)).status).toBe(200);
    expect((await post('incidents', { ...inc, status: 'resolved', resolved_at: '2026-06-15T10:00:00Z' })).body).toEqual({
      created: 0,
      updated: 1,
    });
    const rel = { id: 'r1', version: '1.2.3', kind: 'patch', deployed_at: '2026-06-15T08:00:00Z' };
    expect((await post('releases', rel)).status).toBe(200);
    const nps = { id: 'n1', tenant_id: 't1', score: 11, responded_at: '2026-06-15T08:00:00Z' };
    const bad = await post('nps', { items: [{ ...nps, id: 'n0', score: 9 }, nps] });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/items\[1\]\.score/);
    const dup = await post('nps', {
      items: [
        { ...nps, score: 9 },
        { ...nps, score: 8 },
      ],
    });
    expect(dup.status).toBe(400);
    expect(dup.body.error).toMatch(/repeats items\[0\]/);
  });

  it('answers 404 with the list of routes for an unknown one', async () => {
    const r = await post('nothing', {});
    expect(r.status).toBe(404);
    expect(r.body.error).toMatch(/events,backups/);
  });
});

it('answers 429 with Retry-After past the rate limit', async () => {
  const limited = await startTestService(db, { api: { rateLimit: { requestsPerSecond: 0.01, burst: 2 } } });
  try {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 3; i++) {
      const res = await postJson(
        `${limited.url}/api/v1/ingest/releases`,
        { id: `rl${i}`, version: '1', kind: 'patch', deployed_at: new Date().toISOString() },
        TEST_TOKENS.ingest,
      );
      statuses.push(res.status);
      retryAfter = res.headers.get('retry-after');
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  } finally {
    await limited.close();
  }
});
