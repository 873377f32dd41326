import { createTestSchema, TestSchema } from '../../testing/db';
import { postJson, startTestService } from '../../testing/service';
import { RunningService } from '../../service';

const NOW = new Date('2026-07-01T00:00:00Z');
let db: TestSchema;
let svc: RunningService;
type Frame = { fields: Array<{ name: string; values: unknown[] }> };
const col = (f: Frame | undefined, n: string) => f?.fields.find((x) => x.name === n)?.values;

let n = 0;
const e = (user: string, at: string) => ({ id: `e${++n}`, tenant_id: 'ta', user_id: user, name: 'x', occurred_at: at });

beforeAll(async () => {
  db = await createTestSchema('activeusers');
  svc = await startTestService(db, {}, () => NOW);
  await db.insert('tenants', [{ id: 'ta', name: 'A', plan: 'starter', created_at: '2026-01-01T00:00:00Z' }]);
  await db.insert(
    'users',
    ['u1', 'u2', 'u3', 'u4'].map((id) => ({
      id,
      tenant_id: 'ta',
      created_at: '2026-01-01T00:00:00Z',
      deleted_at: id === 'u4' ? '2026-06-01T00:00:00Z' : null,
    })),
  );
  await db.insert('events', [
    // u1: 2026-05-20 (30 days before 06-18: in MAU up to 06-18) and 06-10 twice
    e('u1', '2026-05-20T12:00:00Z'),
    e('u1', '2026-06-10T00:00:00Z'),
    e('u1', '2026-06-10T23:59:59Z'),
    // u2: 06-11 at midnight exactly, and 06-12
    e('u2', '2026-06-11T00:00:00Z'),
    e('u2', '2026-06-12T08:00:00Z'),
    // u3: 06-04
    e('u3', '2026-06-04T10:00:00Z'),
    // u4 is deleted
    e('u4', '2026-06-10T10:00:00Z'),
  ]);
});
afterAll(async () => {
  await svc.close();
  await db.close();
});

it('counts DAU, WAU and MAU per UTC day', async () => {
  const r = await postJson(`${svc.url}/api/v1/query`, { type: 'active_users', from: '2026-06-10T00:00:00Z', to: '2026-06-19T00:00:00Z' });
  expect(r.status).toBe(200);
  const [f] = r.body.frames as Frame[];
  expect(col(f, 'time')).toHaveLength(9); // 06-10 .. 06-18
  // DAU: 10: u1; 11: u2; 12: u2; then none
  expect(col(f, 'DAU')).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 0]);
  // WAU on d = users active on d-6..d: 06-10: u1, u3 (06-04 = 06-10 - 6) = 2; 06-11..06-16: u1, u2
  // (u3 has left) = 2; 06-17: u2 (u1's 06-10 is out) = 1; 06-18: u2 (06-12 = 06-18 - 6) = 1
  expect(col(f, 'WAU')).toEqual([2, 2, 2, 2, 2, 2, 2, 1, 1]);
  // MAU on d = d-29..d: 06-10: u1, u3 (u2 starts 06-11) = 2; from 06-11: u1, u2, u3 = 3
  expect(col(f, 'MAU')).toEqual([2, 3, 3, 3, 3, 3, 3, 3, 3]);
  // stickiness 06-10 = DAU / MAU = 1 / 2
  expect((col(f, 'stickiness') as number[])[0]).toBe(0.5);
});

it('answers the same with events pending and once they are compacted, and nothing for a range after now', async () => {
  const body = { type: 'active_users', from: '2026-05-25T00:00:00Z', to: '2026-07-01T00:00:00Z' };
  // a late event for u3 (pending until compacted) on a day u3 had no activity
  await db.insert('events', [e('u3', '2026-06-20T10:00:00Z')]);
  expect(Number((await db.pool.query('SELECT count(*) AS n FROM saasmon_event_deltas')).rows[0].n)).toBeGreaterThan(0);
  const pending = (await postJson(`${svc.url}/api/v1/query`, body)).body;
  await db.pool.query('SELECT saasmon_compact_event_rollups()');
  const compacted = (await postJson(`${svc.url}/api/v1/query`, body)).body;
  expect(compacted).toEqual(pending);
  const [f] = pending.frames as Frame[];
  const days = (col(f, 'time') as number[]).map((t) => new Date(t).toISOString().slice(0, 10));
  expect((col(f, 'DAU') as number[])[days.indexOf('2026-06-20')]).toBe(1);
  // WAU on 06-26 = 06-20..06-26: u3 only
  expect((col(f, 'WAU') as number[])[days.indexOf('2026-06-26')]).toBe(1);

  const future = await postJson(`${svc.url}/api/v1/query`, {
    type: 'active_users',
    from: '2026-08-01T00:00:00Z',
    to: '2026-08-05T00:00:00Z',
  });
  expect(future.status).toBe(200);
  expect(col((future.body.frames as Frame[])[0], 'time')).toEqual([]);
});
