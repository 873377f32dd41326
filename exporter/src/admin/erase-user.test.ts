import { createTestSchema, TestSchema } from '../testing/db';
import { describeErase, eraseUser } from './erase-user';

let db: TestSchema;
beforeAll(async () => {
  db = await createTestSchema('erase');
  await db.insert('tenants', [{ id: 't1', name: 'A', plan: 'starter', created_at: '2026-01-01T00:00:00Z' }]);
  await db.insert('users', [
    { id: 'u1', tenant_id: 't1', email: 'ann@example.com', created_at: '2026-01-02T00:00:00Z' },
    { id: 'u2', tenant_id: 't1', email: 'bob@example.com', created_at: '2026-01-02T00:00:00Z', referred_by: 'u1' },
  ]);
  await db.insert('events', [
    { id: 'e1', tenant_id: 't1', user_id: 'u1', name: 'x', occurred_at: '2026-06-01T00:00:00Z', properties: { ip: '10.0.0.1' } },
    { id: 'e2', tenant_id: 't1', user_id: 'u2', name: 'x', occurred_at: '2026-06-01T00:00:00Z', properties: { ip: '10.0.0.2' } },
  ]);
  await db.insert('nps_responses', [
    { id: 'n1', tenant_id: 't1', user_id: 'u1', score: 3, comment: 'call me at 555', responded_at: '2026-06-01T00:00:00Z' },
  ]);
});
afterAll(() => db.close());

it('removes personal data of one user and keeps ids, rows and counts', async () => {
  const r = await eraseUser(db.pool, 'u1', new Date('2026-07-01T00:00:00Z'));
  expect(r).toEqual({ found: true, eventsScrubbed: 1, npsCommentsRemoved: 1, eventsNoLongerCounted: 1, daysChanged: 1 });
  const users = (await db.pool.query('SELECT id, email, deleted_at FROM users ORDER BY id')).rows;
  expect(users).toEqual([
    { id: 'u1', email: null, deleted_at: new Date('2026-07-01T00:00:00Z') },
    { id: 'u2', email: 'bob@example.com', deleted_at: null },
  ]);
  const events = (await db.pool.query('SELECT id, properties FROM events ORDER BY id')).rows;
  expect(events).toEqual([
    { id: 'e1', properties: {} },
    { id: 'e2', properties: { ip: '10.0.0.2' } },
  ]);
  const nps = (await db.pool.query('SELECT score, comment FROM nps_responses')).rows;
  expect(nps).toEqual([{ score: 3, comment: null }]);
  expect((await db.pool.query(`SELECT referred_by FROM users WHERE id = 'u2'`)).rows[0].referred_by).toBe('u1');
});

it('says when the user does not exist, changing nothing', async () => {
  expect(await eraseUser(db.pool, 'nobody')).toEqual({
    found: false,
    eventsScrubbed: 0,
    npsCommentsRemoved: 0,
    eventsNoLongerCounted: 0,
    daysChanged: 0,
  });
});

it('says what the erase changes in history', () => {
  const text = describeErase('u1', { found: true, eventsScrubbed: 2, npsCommentsRemoved: 1, eventsNoLongerCounted: 5, daysChanged: 3 });
  expect(text).toContain('2 event properties emptied, 1 NPS comments removed');
  expect(text).toContain('past days included: 5 events on 3 days no longer count');
  expect(text).toContain('Tenant-level numbers (MRR, tenants, churn, NPS scores) are unchanged');
  expect(text).not.toMatch(/keeps aggregates/);
});
