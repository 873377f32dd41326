import { createTestSchema, TestSchema } from '../../testing/db';
import { EventInput } from './schemas';
import { insertEvents } from './events';

// insertEvents below the HTTP layer, on values the validation never lets through: the one-statement
// store (saasmon_store_events) and its fallback when Postgres refuses a value (isolate.ts).

let db: TestSchema;

beforeAll(async () => {
  db = await createTestSchema('store_events');
  await db.insert('tenants', [{ id: 't1', name: 'Acme', plan: 'starter', created_at: '2026-01-01T00:00:00Z' }]);
  await db.insert('users', [
    { id: 'u1', tenant_id: 't1', created_at: '2026-06-01T00:00:00Z' },
    { id: 'u2', tenant_id: 't1', created_at: '2026-06-01T00:00:00Z' },
  ]);
  await db.pool.query(`INSERT INTO saasmon_erased_users (user_id, erased_at) VALUES ('gone', '2026-06-02T00:00:00Z')`);
});
afterAll(() => db.close());

const event = (i: number, extra: Partial<EventInput> = {}, index = i) => ({
  index,
  event: { id: `s${i}`, tenant_id: 't1', user_id: 'u1', name: 'report.exported', occurred_at: '2026-06-15T11:00:00Z', ...extra },
});
// Postgres's jsonb refuses the NUL character (the API's validation refuses it before).
const refused = { properties: { note: 'a\u0000b' } };
const stored = async (ids: string[]) =>
  (await db.pool.query<{ id: string }>('SELECT id FROM events WHERE id = ANY($1) ORDER BY id', [ids])).rows.map((r) => r.id);

it('stores a batch in one statement: created, duplicates, erased users refused, activation moved', async () => {
  const config = db.config({ ingest: { activationEvent: 'workflow.created' } });
  const batch = [
    event(1, { name: 'workflow.created', user_id: 'u2', occurred_at: '2026-06-10T00:00:00Z' }),
    event(2),
    event(2, {}, 3), // the same key again in one request: the first is created
    event(3, { user_id: 'gone' }, 4),
  ];
  const r = await insertEvents(db.pool, batch, config, true);
  expect(r.results.sort((a, b) => a.index - b.index)).toEqual([
    { index: 1, status: 'created' },
    { index: 2, status: 'created' },
    { index: 3, status: 'duplicate' },
    { index: 4, status: 'rejected', reason: 'erased_user', error: expect.stringMatching(/events\[4\]\.user_id: user "gone" was erased/) },
  ]);
  expect(await stored(['s1', 's2', 's3'])).toEqual(['s1', 's2']);
  const u2 = await db.pool.query('SELECT activated_at FROM users WHERE id = $1', ['u2']);
  expect((u2.rows[0].activated_at as Date).toISOString()).toBe('2026-06-10T00:00:00.000Z');
});

it('stores nothing of a batch with an erased user when it is all or nothing', async () => {
  const all = insertEvents(db.pool, [event(4, {}, 0), event(5, { user_id: 'gone' }, 1)], db.config(), false);
  await expect(all).rejects.toMatchObject({ status: 400 });
  await expect(all).rejects.toThrow(/events\[1\]\.user_id/);
  expect(await stored(['s4', 's5'])).toEqual([]);
});

it('lets a value Postgres refuses cost only its item, or the whole batch when all or nothing', async () => {
  const all = insertEvents(db.pool, [event(6, {}, 0), event(7, refused, 1), event(8, {}, 2)], db.config(), false);
  await expect(all).rejects.toMatchObject({ status: 400 });
  await expect(all).rejects.toThrow(/events\[1\]/);
  expect(await stored(['s6', 's7', 's8'])).toEqual([]);
  const r = await insertEvents(db.pool, [event(6, {}, 0), event(7, refused, 1), event(8, {}, 2), event(2, {}, 3)], db.config(), true);
  expect(r.results.sort((a, b) => a.index - b.index)).toEqual([
    { index: 0, status: 'created' },
    { index: 1, status: 'rejected', reason: 'database_refused', error: expect.stringMatching(/^events\[1\]/) },
    { index: 2, status: 'created' },
    { index: 3, status: 'duplicate' },
  ]);
  expect(await stored(['s6', 's7', 's8'])).toEqual(['s6', 's8']);
});

it('refuses the events of unknown tenants in the same statement, or the whole batch when all or nothing', async () => {
  const all = insertEvents(db.pool, [event(9, {}, 0), event(10, { tenant_id: 'nobody' }, 1)], db.config(), false);
  await expect(all).rejects.toMatchObject({ status: 400 });
  await expect(all).rejects.toThrow(/events\[1\]\.tenant_id: unknown tenant "nobody"/);
  expect(await stored(['s9', 's10'])).toEqual([]);
  // An unknown tenant's event of an erased user is named once, for its tenant.
  const r = await insertEvents(
    db.pool,
    [event(9, {}, 0), event(10, { tenant_id: 'nobody' }, 1), event(11, { tenant_id: 'nobody', user_id: 'gone' }, 2)],
    db.config(),
    true,
  );
  expect(r.results.sort((a, b) => a.index - b.index)).toEqual([
    { index: 0, status: 'created' },
    { index: 1, status: 'rejected', reason: 'unknown_tenant', error: 'events[1].tenant_id: unknown tenant "nobody"' },
    { index: 2, status: 'rejected', reason: 'unknown_tenant', error: 'events[2].tenant_id: unknown tenant "nobody"' },
  ]);
  expect(await stored(['s9', 's10', 's11'])).toEqual(['s9']);
});
