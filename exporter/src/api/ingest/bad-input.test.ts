import { spawnSync } from 'node:child_process';
import { exportUser } from '../../admin/export-user';
import { eraseUser } from '../../admin/erase-user';
import { RunningService } from '../../service';
import { createTestSchema, TestSchema } from '../../testing/db';
import { postJson, startTestService } from '../../testing/service';
import { TEST_TOKENS } from '../../testing/tokens';

// Each class of bad input of issue "bad input never becomes a 500, a lie or a leak", one by one:
// refused with a 400 that names the field, or stored exactly, never a 500 nor a silent change.

const NOW = new Date('2026-06-15T12:00:00Z');
let db: TestSchema;
let svc: RunningService;

const ingest = (path: string, body: unknown, raw?: string) => postJson(`${svc.url}/api/v1/ingest/${path}`, body, TEST_TOKENS.ingest, raw);
const query = (body: unknown) => postJson(`${svc.url}/api/v1/query`, body, TEST_TOKENS.query);
const event = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  tenant_id: 't1',
  user_id: 'u1',
  name: 'report.exported',
  occurred_at: '2026-06-15T11:00:00Z',
  ...extra,
});
const ITEMS: Record<string, Record<string, unknown>> = {
  backups: { id: 'b1', kind: 'full', location: 'eu', started_at: '2026-06-15T10:00:00Z', status: 'running' },
  'dr-tests': {
    id: 'd1',
    kind: 'backup_restore',
    tested_at: '2026-06-15T10:00:00Z',
    recovery_time_seconds: 60,
    data_loss_seconds: 0,
    result: 'pass',
  },
  incidents: { id: 'i1', title: 'x', severity: 'minor', status: 'investigating', started_at: '2026-06-15T10:00:00Z' },
  releases: { id: 'r1', version: '1.0.0', kind: 'patch', deployed_at: '2026-06-15T10:00:00Z' },
  nps: { id: 'n1', tenant_id: 't1', user_id: 'u1', score: 9, responded_at: '2026-06-15T10:00:00Z' },
};
const TIME_FIELDS: Record<string, string[]> = {
  events: ['occurred_at'],
  backups: ['started_at'],
  'dr-tests': ['tested_at'],
  incidents: ['started_at'],
  releases: ['deployed_at'],
  nps: ['responded_at'],
};
const count = async (table: string) => Number((await db.pool.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);

beforeAll(async () => {
  db = await createTestSchema('badin');
  await db.insert('tenants', [
    { id: 't1', name: 'Acme', plan: 'starter', segment: 'smb', acquisition_channel: 'ads', created_at: '2026-01-01T00:00:00Z' },
  ]);
  await db.insert('users', [
    { id: 'u1', tenant_id: 't1', email: 'ann@example.com', created_at: '2026-06-01T00:00:00Z' },
    { id: 'u9', tenant_id: 't1', email: 'zoe@example.com', created_at: '2026-06-01T00:00:00Z' },
  ]);
  svc = await startTestService(
    db,
    { api: { rateLimit: { requestsPerSecond: 10_000, burst: 10_000 }, maxBodyBytes: 2_000_000 } },
    () => NOW,
  );
});
afterAll(async () => {
  await svc.close();
  await db.close();
});

describe('500s on input that passed validation', () => {
  it.each([
    ['events', { events: [event('nul1', { properties: { note: 'a\u0000b' } })] }, 'events[0].properties.note'],
    ['events', { events: [event('nul2', { properties: { 'k\u0000': 1 } })] }, 'events[0].properties.k'],
    ['dr-tests', { ...ITEMS['dr-tests'], notes: 'restored\u0000' }, 'notes'],
    ['incidents', { ...ITEMS.incidents, title: 'db\u0000down' }, 'title'],
    ['nps', { ...ITEMS.nps, comment: 'great\u0000' }, 'comment'],
  ])('NUL in %s is a 400 naming %s', async (route, body, field) => {
    const r = await ingest(route, body);
    expect(r.status).toBe(400);
    expect(r.body.error).toContain(field);
    expect(r.body.error).toMatch(/NUL/);
  });

  it.each([
    ['events', { events: [event('\ud800x')] }, 'events[0].id'],
    ['events', { events: [event('ls2', { name: 'a\udc00' })] }, 'events[0].name'],
    ['events', { events: [event('ls3', { properties: { v: '\ud83d' } })] }, 'events[0].properties.v'],
    ['events', { events: [event('ls4', { tenant_id: 't\ud800' })] }, 'events[0].tenant_id'],
    ['backups', { ...ITEMS.backups, location: 'eu\udfff' }, 'location'],
    ['incidents', { ...ITEMS.incidents, services: ['api\ud800'] }, 'services[0]'],
    ['nps', { ...ITEMS.nps, comment: 'ok \ud800' }, 'comment'],
  ])('a lone surrogate in %s is a 400 naming %s', async (route, body, field) => {
    const r = await ingest(route, body);
    expect(r.status).toBe(400);
    expect(r.body.error).toContain(`${field}: must be valid Unicode`);
  });

  it('keeps a valid surrogate pair (an emoji) exactly', async () => {
    const r = await ingest('events', { events: [event('emoji', { properties: { mood: '\ud83d\ude00' } })] });
    expect(r.status).toBe(200);
    expect((await db.pool.query(`SELECT properties FROM events WHERE id = 'emoji'`)).rows[0].properties).toEqual({ mood: '😀' });
  });

  const BAD_OFFSETS = ['+16:00', '+25:00', '+99:99', '+12:60', '-16:00'];
  for (const [route, fields] of Object.entries(TIME_FIELDS)) {
    for (const field of fields) {
      it(`refuses offsets beyond +-15:59 and invalid ones in ${route}.${field}`, async () => {
        for (const offset of BAD_OFFSETS) {
          const value = `2026-06-15T10:00:00${offset}`;
          const body = route === 'events' ? { events: [event('off', { [field]: value })] } : { ...ITEMS[route], [field]: value };
          const r = await ingest(route, body);
          expect(r.status).toBe(400);
          expect(r.body.error).toContain(route === 'events' ? `events[0].${field}: time zone offset` : `${field}: time zone offset`);
        }
      });
    }
  }

  it('accepts +15:59 and -15:59 and stores the instant they mean', async () => {
    const r = await ingest('events', {
      events: [
        event('off-ok1', { occurred_at: '2026-06-15T20:00:00+15:59' }),
        event('off-ok2', { occurred_at: '2026-06-14T22:00:00-0959' }),
      ],
    });
    expect(r.body).toEqual({ created: 2, duplicates: 0, rejected: 0 });
    const rows = (await db.pool.query(`SELECT id, occurred_at FROM events WHERE id LIKE 'off-ok%' ORDER BY id`)).rows;
    expect(rows.map((x) => x.occurred_at.toISOString())).toEqual(['2026-06-15T04:01:00.000Z', '2026-06-15T07:59:00.000Z']);
  });

  it.each([
    ['2026-06-15T10:00:00+16:00', 'time zone offset +16:00 is beyond +-15:59'],
    ['0000-01-01T00:00:00Z', 'year must be 0001 to 9999'],
    ['2026-02-30T00:00:00Z', '2026-02 has no day 30'],
    ['2026-06-15T24:00:00Z', 'time 24:00:00 does not exist'],
  ])('refuses %s in a query (from) with a 400 naming it', async (from, message) => {
    const r = await query({ type: 'active_users', from, to: '2026-06-15T00:00:00Z' });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe(`from: ${message}`);
  });

  it.each([
    [{ type: 'funnel', from: '2026-05-01T00:00:00Z', to: '2026-06-01T00:00:00Z', steps: ['a\u0000', 'b'], windowDays: 7 }, 'steps[0]'],
    [{ type: 'retention', from: '2026-05-01T00:00:00Z', to: '2026-06-01T00:00:00Z', filters: { plan: ['x\u0000'] } }, 'filters.plan[0]'],
    [{ type: 'feature_adoption', from: '2026-05-01T00:00:00Z', to: '2026-06-01T00:00:00Z', features: ['\ud800'] }, 'features[0]'],
    [{ type: 'experiment', experiment: 'x\u0000' }, 'experiment'],
  ])('refuses NUL and lone surrogates in query text fields (%#)', async (body, field) => {
    const r = await query(body);
    expect(r.status).toBe(400);
    expect(r.body.error).toContain(field);
  });

  it('refuses properties nested 5,000 levels deep with a 400 naming properties (no stack overflow)', async () => {
    const raw = `{"events":[{"id":"deep","tenant_id":"t1","name":"x","occurred_at":"2026-06-15T11:00:00Z","properties":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}]}`;
    const r = await ingest('events', undefined, raw);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(
      /^batch refused whole \(nothing stored\): events\[0\]\.properties(\.a){33}: nested more than 32 levels deep$/,
    );
  });

  it('accepts properties nested 32 levels deep', async () => {
    let props: Record<string, unknown> = { leaf: true };
    for (let i = 1; i < 32; i++) props = { a: props };
    const r = await ingest('events', { events: [event('deep-ok', { properties: props })] });
    expect(r.status).toBe(200);
  });
});

describe('one bad item does not poison a batch', () => {
  it('with ?partial=true stores 999 valid events and reports the bad one by index and reason', async () => {
    const events = Array.from({ length: 1000 }, (_, i) => event(`p${i}`, i === 500 ? { properties: { x: 'nul\u0000' } } : {}));
    const r = await postJson(`${svc.url}/api/v1/ingest/events?partial=true`, { events }, TEST_TOKENS.ingest);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ created: 999, duplicates: 0, rejected: 1 });
    const results = r.body.results as Array<Record<string, unknown>>;
    expect(results).toHaveLength(1000);
    expect(results[500]).toEqual({
      index: 500,
      status: 'rejected',
      reason: 'invalid',
      error: expect.stringContaining('events[500].properties.x'),
    });
    expect(Number((await db.pool.query(`SELECT count(*) AS n FROM events WHERE id LIKE 'p%'`)).rows[0].n)).toBe(999);
  });

  it('without partial refuses the batch whole, naming the bad item, and stores nothing', async () => {
    const before = await count('events');
    const events = Array.from({ length: 10 }, (_, i) => event(`w${i}`, i === 7 ? { occurred_at: '2026-06-15T10:00:00+25:00' } : {}));
    const r = await ingest('events', { events });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/^batch refused whole \(nothing stored\): events\[7\]\.occurred_at/);
    expect(await count('events')).toBe(before);
  });
});

describe('no silent change', () => {
  it('refuses a body that is not valid UTF-8 instead of storing U+FFFD', async () => {
    const before = await count('events');
    const body = Buffer.concat([
      Buffer.from('{"events":[{"id":"utf'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('","tenant_id":"t1","name":"x","occurred_at":"2026-06-15T11:00:00Z"}]}'),
    ]);
    const res = await fetch(`${svc.url}/api/v1/ingest/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKENS.ingest}` },
      body,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('body: request body is not valid UTF-8');
    expect(await count('events')).toBe(before);
  });

  it('refuses numbers that overflow (1e400) or lose precision instead of storing null or a rounded value', async () => {
    const raw = JSON.stringify({ events: [event('big', { properties: { n: 'PLACEHOLDER' } })] }).replace('"PLACEHOLDER"', '1e400');
    const r = await ingest('events', undefined, raw);
    expect(r.status).toBe(400);
    expect(r.body.error).toContain('events[0].properties.n: number is out of range');
    const r2 = await ingest('events', undefined, raw.replace('1e400', '12345678901234567890'));
    expect(r2.status).toBe(400);
    expect(r2.body.error).toContain('events[0].properties.n: integer beyond');
    const r3 = await ingest(
      'backups',
      undefined,
      JSON.stringify({ ...ITEMS.backups, id: 'big', status: 'succeeded', completed_at: '2026-06-15T11:00:00Z', size_bytes: 0 }).replace(
        '"size_bytes":0',
        '"size_bytes":1e400',
      ),
    );
    expect(r3.status).toBe(400);
    expect(r3.body.error).toContain('size_bytes');
  });

  it('compares event ids with their time exactly as stored (microseconds) and says so', async () => {
    const a = event('micro', { occurred_at: '2026-06-15T11:00:00.000001Z' });
    const b = event('micro', { occurred_at: '2026-06-15T11:00:00.000002Z' });
    expect((await ingest('events', { events: [a, b] })).body).toEqual({ created: 2, duplicates: 0, rejected: 0 });
    expect((await ingest('events', { events: [a, b, { ...a }] })).body).toEqual({ created: 0, duplicates: 3, rejected: 0 });
    const same = event('micro2', { occurred_at: '2026-06-15T11:00:00.000001Z' });
    const sameInstant = event('micro2', { occurred_at: '2026-06-15T13:00:00.000001+02:00' });
    expect((await ingest('events', { events: [same, sameInstant] })).body).toEqual({ created: 1, duplicates: 1, rejected: 0 });
    const stored = (
      await db.pool.query(
        `SELECT to_char(occurred_at AT TIME ZONE 'UTC', 'HH24:MI:SS.US') AS t FROM events WHERE id IN ('micro', 'micro2') ORDER BY 1`,
      )
    ).rows;
    expect(stored.map((x) => x.t)).toEqual(['11:00:00.000001', '11:00:00.000001', '11:00:00.000002']);
  });

  it('refuses more than microsecond precision rather than rounding it away', async () => {
    const r = await ingest('events', { events: [event('nano', { occurred_at: '2026-06-15T11:00:00.0000001Z' })] });
    expect(r.status).toBe(400);
    expect(r.body.error).toContain('events[0].occurred_at: at most 6 fractional digits');
  });
});

describe('reports that cannot be true', () => {
  it.each([
    [
      'incidents',
      { ...ITEMS.incidents, id: 'inv1', status: 'resolved', started_at: '2026-06-15T10:00:00Z', resolved_at: '2026-06-15T09:00:00Z' },
      'resolved_at: must not be before started_at',
    ],
    [
      'backups',
      {
        ...ITEMS.backups,
        id: 'inv2',
        status: 'succeeded',
        started_at: '2026-06-15T10:00:00Z',
        completed_at: '2026-06-15T09:59:59.999999Z',
      },
      'completed_at: must not be before started_at',
    ],
    [
      'backups',
      {
        ...ITEMS.backups,
        id: 'inv3',
        status: 'succeeded',
        started_at: '2026-06-15T09:00:00Z',
        completed_at: '2026-06-15T10:00:00Z',
        verified_at: '2026-06-15T09:30:00Z',
      },
      'verified_at: must not be before completed_at',
    ],
    [
      'releases',
      { ...ITEMS.releases, id: 'inv4', rolled_back_at: '2026-06-15T09:00:00Z' },
      'rolled_back_at: must not be before deployed_at',
    ],
  ])('refuses %s ending before it started', async (route, body, message) => {
    const r = await ingest(route, body);
    expect(r.status).toBe(400);
    expect(r.body.error).toContain(message);
  });

  it('refuses an update that would put a stored end before a new start (database check, field named)', async () => {
    const done = {
      ...ITEMS.backups,
      id: 'merge',
      status: 'succeeded',
      started_at: '2026-06-15T09:00:00Z',
      completed_at: '2026-06-15T09:30:00Z',
    };
    expect((await ingest('backups', done)).status).toBe(200);
    // a late "running" report with a later start keeps the stored completed_at: the row would end before it starts
    const r = await ingest('backups', {
      items: [{ ...ITEMS.backups, id: 'merge', status: 'running', started_at: '2026-06-15T10:00:00Z' }],
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/items\[0\]\.completed_at: the database refused the value \(23514/);
    const row = (await db.pool.query(`SELECT started_at FROM backups WHERE id = 'merge'`)).rows[0];
    expect(row.started_at.toISOString()).toBe('2026-06-15T09:00:00.000Z');
  });
});

describe('unknown tenants and erased users', () => {
  it('refuses NPS of an unknown tenant like events', async () => {
    const before = await count('nps_responses');
    const r = await ingest('nps', { ...ITEMS.nps, id: 'ghost-nps', tenant_id: 'ghost' });
    expect(r.status).toBe(400);
    expect(r.body.error).toContain('tenant_id: unknown tenant "ghost"');
    expect(await count('nps_responses')).toBe(before);
  });

  it('keeps an erase: a re-sent NPS answer stays without its comment, new events of the user are refused', async () => {
    const answer = { ...ITEMS.nps, id: 'n-u9', user_id: 'u9', comment: 'call me on 555' };
    expect((await ingest('nps', answer)).body).toEqual({ created: 1, updated: 0, commentsDropped: 0 });
    expect((await ingest('events', { events: [event('pre-erase', { user_id: 'u9', properties: { ip: '10.0.0.9' } })] })).status).toBe(200);
    await eraseUser(db.pool, 'u9', NOW);

    expect((await ingest('nps', answer)).body).toEqual({ created: 0, updated: 1, commentsDropped: 1 });
    const nps = (await db.pool.query(`SELECT score, comment FROM nps_responses WHERE id = 'n-u9'`)).rows[0];
    expect(nps).toEqual({ score: 9, comment: null });

    const refused = await ingest('events', { events: [event('post-erase', { user_id: 'u9', properties: { ip: '10.0.0.9' } })] });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toContain('events[0].user_id: user "u9" was erased');
    const partial = await postJson(
      `${svc.url}/api/v1/ingest/events?partial=true`,
      { events: [event('post-erase', { user_id: 'u9' }), event('other')] },
      TEST_TOKENS.ingest,
    );
    expect(partial.body).toMatchObject({
      created: 1,
      rejected: 1,
      results: [
        { index: 0, status: 'rejected', reason: 'erased_user' },
        { index: 1, status: 'created' },
      ],
    });
    const props = (await db.pool.query(`SELECT id, properties FROM events WHERE user_id = 'u9' ORDER BY id`)).rows;
    expect(props).toEqual([{ id: 'pre-erase', properties: {} }]);
  });

  it('exports everything stored about a user as JSON', async () => {
    const e = await exportUser(db.pool, 'u9', NOW);
    expect(e.user).toMatchObject({ id: 'u9', tenant_id: 't1', email: null, deleted_at: expect.any(String) });
    expect(Object.keys(e.tables).sort()).toEqual(expect.arrayContaining(['events', 'nps_responses', 'saasmon_erased_users']));
    expect(e.tables.events).toEqual([expect.objectContaining({ id: 'pre-erase', user_id: 'u9', properties: {} })]);
    expect(e.tables.nps_responses).toEqual([expect.objectContaining({ id: 'n-u9', score: 9, comment: null })]);
    const u1 = await exportUser(db.pool, 'u1', NOW);
    expect(u1.user).toMatchObject({ email: 'ann@example.com' });
    expect((u1.tables.events ?? []).length).toBeGreaterThan(0);
    expect((await exportUser(db.pool, 'nobody', NOW)).tables).toEqual({});
  });
});

describe('rejections are counted', () => {
  it('exposes saasmon_ingest_rejected_total by route and reason on /metrics', async () => {
    await ingest('events', { events: [event('cnt', { name: '' })] });
    await ingest('nps', { ...ITEMS.nps, id: 'cnt', tenant_id: 'nope' });
    await ingest('releases', undefined, '{not json');
    const text = await (await fetch(`${svc.url}/metrics`)).text();
    const value = (labels: string) => Number(new RegExp(`^saasmon_ingest_rejected_total\\{${labels}\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
    expect(value('route="events",reason="invalid"')).toBeGreaterThan(0);
    expect(value('route="nps",reason="unknown_tenant"')).toBe(2);
    expect(value('route="releases",reason="bad_body"')).toBe(1);
    expect(value('route="events",reason="erased_user"')).toBe(2);
    const ingestFamily =
      text
        .split('\n')
        .filter((l) => l.includes('saasmon_ingest_rejected_total'))
        .join('\n') + '\n';
    const lint = spawnSync('promtool', ['check', 'metrics'], { input: ingestFamily, encoding: 'utf8' });
    expect(`${lint.stdout}${lint.stderr}`.trim()).toBe('');
  });
});

describe('active_users over more than it keeps', () => {
  it('answers the last 400 days and says so in meta', async () => {
    const r = await query({ type: 'active_users', from: '2021-07-01T00:00:00Z', to: '2026-06-15T00:00:00Z' });
    expect(r.status).toBe(200);
    const frame = (r.body.frames as Array<{ meta?: { notices?: Array<{ text: string }>; custom?: Record<string, unknown> } }>)[0];
    expect(frame?.meta?.custom).toEqual({ answeredFrom: '2025-05-11T00:00:00.000Z', maxDays: 400 });
    expect(frame?.meta?.notices?.[0]?.text).toMatch(/at most 400 days/);
    const short = await query({ type: 'active_users', from: '2026-05-01T00:00:00Z', to: '2026-06-15T00:00:00Z' });
    expect((short.body.frames as Array<{ meta?: unknown }>)[0]?.meta).toBeUndefined();
  });
});
