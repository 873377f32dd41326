import fc from 'fast-check';
import { RunningService } from '../service';
import { createTestSchema, TestSchema } from '../testing/db';
import { startTestService } from '../testing/service';
import { TEST_TOKENS } from '../testing/tokens';
import { ENTITIES } from './ingest/entities';
import { QUERY_TYPES } from './query';

// Thousands of malformed requests at every ingest and query route: the answer is never a 5xx,
// every 4xx says what is wrong, and rows the request could not legitimately touch stay as they were.

const NOW = new Date('2026-06-15T12:00:00Z');
let db: TestSchema;
let svc: RunningService;

const INJECTIONS = [
  "'; DROP TABLE tenants; --",
  "t1' OR '1'='1",
  'Robert"); DELETE FROM users; --',
  '$1',
  '\u0000',
  'a\u0000b',
  '\\x00',
  '1; SELECT pg_sleep(10)',
  '${jndi:ldap://x}',
  '../../etc/passwd',
  '\ud800',
  'NaN',
  '9'.repeat(400),
  '2026-13-45T25:61:61Z',
  '2026-06-15T12:00:00',
  '-infinity',
];

const evil = fc.oneof(
  fc.constantFrom(...INJECTIONS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

const VALID_EVENT = { id: 'e1', tenant_id: 't1', user_id: 'u1', name: 'report.exported', occurred_at: '2026-06-15T11:00:00Z', properties: {} };
const VALID_ITEM: Record<string, Record<string, unknown>> = {
  backups: { id: 'b1', kind: 'full', location: 'eu', started_at: '2026-06-15T10:00:00Z', status: 'running' },
  'dr-tests': { id: 'd1', kind: 'backup_restore', tested_at: '2026-06-15T10:00:00Z', recovery_time_seconds: 60, data_loss_seconds: 0, result: 'pass' },
  incidents: { id: 'i1', title: 'x', severity: 'minor', status: 'investigating', started_at: '2026-06-15T10:00:00Z' },
  releases: { id: 'r1', version: '1.0.0', kind: 'patch', deployed_at: '2026-06-15T10:00:00Z' },
  nps: { id: 'n1', tenant_id: 't1', user_id: 'u1', score: 9, responded_at: '2026-06-15T10:00:00Z' },
};

/** A valid template with one field replaced, removed, or an extra field added. */
function mutated(template: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(template);
  return fc.oneof(
    fc.tuple(fc.constantFrom(...keys), evil).map(([k, v]) => ({ ...template, [k]: v })),
    fc.constantFrom(...keys).map((k) => {
      const copy = { ...template };
      delete copy[k];
      return copy;
    }),
    fc.tuple(fc.string({ maxLength: 8 }), evil).map(([k, v]) => ({ ...template, [k]: v })),
  );
}

const anyJson = fc.oneof(fc.jsonValue(), fc.anything());

interface Req {
  path: string;
  body: string;
  contentType: string;
  token: string;
}

const tokenArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant(TEST_TOKENS.admin) },
  { weight: 1, arbitrary: fc.constantFrom('', 'Bearer', TEST_TOKENS.query, TEST_TOKENS.ingest, 'x'.repeat(300), "' OR 1=1 --") },
);
const contentTypeArb = fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', '', 'application/json; charset=latin1');
const queryStringArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('partial', 'x', 'type', "'"), fc.constantFrom('true', 'false', 'maybe', "1' OR '1", '')).map(([k, v]) => `?${k}=${encodeURIComponent(v)}`) },
);

const serialised = (body: fc.Arbitrary<unknown>) =>
  body.map((b) => {
    try {
      return JSON.stringify(b) ?? 'undefined';
    } catch {
      return String(b);
    }
  });

const rawGarbage = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom('{', '{"events":', '[]', 'null', '{"events":[{"id":"e1"}]', '\u0000'));

function requests(): fc.Arbitrary<Req> {
  const ingestEvents = fc.record({
    path: queryStringArb.map((q) => `/api/v1/ingest/events${q}`),
    body: fc.oneof(
      serialised(fc.array(mutated(VALID_EVENT), { minLength: 1, maxLength: 5 }).map((events) => ({ events }))),
      serialised(anyJson),
      rawGarbage,
    ),
  });
  const ingestEntities = fc.constantFrom(...ENTITIES.map((e) => e.route)).chain((route) =>
    fc.record({
      path: queryStringArb.map((q) => `/api/v1/ingest/${route}${q}`),
      body: fc.oneof(
        serialised(mutated(VALID_ITEM[route] as Record<string, unknown>)),
        serialised(fc.array(mutated(VALID_ITEM[route] as Record<string, unknown>), { maxLength: 3 }).map((items) => ({ items }))),
        serialised(anyJson),
        rawGarbage,
      ),
    }),
  );
  const query = fc.record({
    path: queryStringArb.map((q) => `/api/v1/query${q}`),
    body: fc.oneof(
      serialised(
        fc.tuple(fc.constantFrom(...QUERY_TYPES.map((q) => q.type as string), 'nope', "x' OR 1=1"), fc.dictionary(fc.constantFrom('from', 'to', 'steps', 'periods', 'interval', 'filters', 'experiment', 'features', 'limit', 'kind', 'list'), evil, { maxKeys: 4 })).map(
          ([type, rest]) => ({ type, from: '2026-05-01T00:00:00Z', to: '2026-06-01T00:00:00Z', ...rest }),
        ),
      ),
      serialised(anyJson),
      rawGarbage,
    ),
  });
  const unknownRoute = fc.record({
    path: fc.constantFrom('/api/v1/ingest/users', '/api/v1/ingest/../query', '/api/v1/queries', '/api/v2/query', '/api/v1/ingest/events/1'),
    body: serialised(anyJson),
  });
  return fc
    .tuple(fc.oneof(ingestEvents, ingestEntities, query, unknownRoute), contentTypeArb, tokenArb)
    .map(([r, contentType, token]) => ({ ...r, contentType, token }));
}

async function send(r: Req): Promise<{ status: number; body: string }> {
  const res = await fetch(`${svc.url}${r.path}`, {
    method: 'POST',
    headers: { ...(r.contentType ? { 'content-type': r.contentType } : {}), ...(r.token ? { authorization: `Bearer ${r.token}` } : {}) },
    body: r.body,
  });
  return { status: res.status, body: await res.text() };
}

/** Tables no fuzzed request may change (ingest never writes them) and their content hash. */
const GUARDED = ['tenants', 'subscriptions', 'marketing_spend', 'experiments', 'experiment_assignments', 'support_tickets'];
async function guardedHash(): Promise<string> {
  const parts = await Promise.all(
    GUARDED.map(async (t) => (await db.pool.query(`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM ${t} x`)).rows[0].h as string),
  );
  // users: only activated_at may be set by ingest (the activation event).
  const users = await db.pool.query(`SELECT md5(string_agg((id, tenant_id, email, created_at, deleted_at)::text, '|' ORDER BY id)) AS h FROM users`);
  return [...parts, users.rows[0].h as string].join(',');
}

beforeAll(async () => {
  db = await createTestSchema('fuzz');
  await db.insert('tenants', [{ id: 't1', name: 'Acme', plan: 'starter', created_at: '2026-01-01T00:00:00Z' }]);
  await db.insert('users', [{ id: 'u1', tenant_id: 't1', email: 'a@example.com', created_at: '2026-06-01T00:00:00Z' }]);
  await db.insert('subscriptions', [{ id: 's1', tenant_id: 't1', plan: 'starter', status: 'active', amount: '49.00', interval_months: 1, valid_from: '2026-01-01T00:00:00Z' }]);
  await db.insert('experiments', [{ id: 'x1', name: 'X', success_event: 'report.exported', status: 'running' }]);
  svc = await startTestService(db, { api: { rateLimit: { requestsPerSecond: 100_000, burst: 100_000 }, maxBodyBytes: 20_000 } }, () => NOW);
});
afterAll(async () => {
  await svc.close();
  await db.close();
});

it('answers thousands of malformed requests with a 4xx that says what is wrong, never a 5xx, touching nothing else', async () => {
  const before = await guardedHash();
  let sent = 0;
  await fc.assert(
    fc.asyncProperty(requests(), async (r) => {
      const res = await send(r);
      sent++;
      expect(res.status).toBeLessThan(500);
      if (res.status >= 400) {
        const parsed = JSON.parse(res.body) as { error?: unknown };
        expect(typeof parsed.error).toBe('string');
        expect((parsed.error as string).length).toBeGreaterThan(3);
      }
    }),
    { numRuns: 3_000, seed: 20261124, endOnFailure: true },
  );
  expect(sent).toBe(3_000);
  expect(await guardedHash()).toBe(before);
});
