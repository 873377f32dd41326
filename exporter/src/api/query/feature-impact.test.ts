import { createTestSchema, TestSchema } from '../../testing/db';
import { postJson, startTestService } from '../../testing/service';
import { RunningService } from '../../service';

const NOW = new Date('2026-08-01T00:00:00Z');
let db: TestSchema;
let svc: RunningService;
type Frame = { fields: Array<{ name: string; values: unknown[] }> };
const col = (f: Frame | undefined, n: string) => f?.fields.find((x) => x.name === n)?.values;
const FEATURES = ['report.exported', 'invite.sent', 'never.used'];
const query = async (extra: Record<string, unknown> = {}) => {
  const r = await postJson(`${svc.url}/api/v1/query`, {
    type: 'feature_impact',
    from: '2026-06-01T00:00:00Z',
    to: '2026-07-01T00:00:00Z',
    features: FEATURES,
    ...extra,
  });
  expect(r.status).toBe(200);
  return (r.body.frames as Frame[])[0];
};
const close = (values: unknown[] | undefined) => values?.map((v) => (typeof v === 'number' ? Math.round(v * 1e6) / 1e6 : v));
let n = 0;
const e = (user: string, name: string, at: string) => ({
  id: `e${++n}`,
  tenant_id: user === 'f5' ? 'tb' : 'ta',
  user_id: user,
  name,
  occurred_at: at,
});

beforeAll(async () => {
  db = await createTestSchema('impact');
  svc = await startTestService(db, {}, () => NOW);
  await db.insert('tenants', [
    { id: 'ta', name: 'A', plan: 'pro', created_at: '2026-01-01T00:00:00Z' },
    { id: 'tb', name: 'B', plan: 'basic', created_at: '2026-01-01T00:00:00Z' },
  ]);
  const user = (id: string, created: string, deleted: string | null = null) => ({
    id,
    tenant_id: id === 'f5' ? 'tb' : 'ta',
    created_at: created,
    deleted_at: deleted,
  });
  await db.insert('users', [
    user('f1', '2026-06-01T00:00:00Z'),
    user('f2', '2026-06-02T00:00:00Z'),
    user('f3', '2026-06-03T00:00:00Z'),
    user('f4', '2026-06-10T00:00:00Z'),
    user('f5', '2026-06-20T00:00:00Z'),
    user('f6', '2026-06-30T23:00:00Z'),
    user('f7', '2026-06-05T00:00:00Z', '2026-07-01T00:00:00Z'),
    user('f8', '2026-07-01T00:00:00Z'),
  ]);
  await db.insert('events', [
    e('f1', 'report.exported', '2026-06-03T00:00:00Z'), // 2 days after signup
    e('f1', 'page.viewed', '2026-06-28T10:00:00Z'), // day 27: retained at 30
    e('f2', 'report.exported', '2026-06-05T12:00:00Z'), // 3.5 days; never back
    e('f3', 'invite.sent', '2026-06-04T00:00:00Z'), // 1 day
    e('f3', 'report.exported', '2026-06-20T00:00:00Z'), // 17 days: not in the first week
    e('f3', 'page.viewed', '2026-07-01T10:00:00Z'), // day 28: retained
    e('f5', 'invite.sent', '2026-06-21T00:00:00Z'), // 1 day
    e('f5', 'page.viewed', '2026-07-20T10:00:00Z'), // day 30: retained
    e('f6', 'report.exported', '2026-07-01T00:00:00Z'), // 1 hour
    e('f6', 'page.viewed', '2026-07-25T10:00:00Z'), // day 25: retained
    e('f7', 'report.exported', '2026-06-06T00:00:00Z'), // deleted user
    e('f8', 'report.exported', '2026-07-02T00:00:00Z'), // outside the cohort
  ]);
});
afterAll(async () => {
  await svc.close();
  await db.close();
});

it('gives time to first use and early users against the others at day 30, with intervals', async () => {
  const f = await query();
  expect(col(f, 'feature')).toEqual(FEATURES);
  expect(col(f, 'users')).toEqual([6, 6, 6]);
  expect(col(f, 'used')).toEqual([4, 2, 0]);
  expect(col(f, 'median_days_to_first_use')).toEqual([2.75, 1, null]); // report: 1/24, 2, 3.5, 17
  expect(col(f, 'compared')).toEqual([6, 6, 6]);
  // report early: f1 (kept), f2, f6 (kept); others: f3 (kept), f4, f5 (kept)
  expect(col(f, 'used_early')).toEqual([3, 2, 0]);
  expect(col(f, 'used_early_retained')).toEqual([2, 2, 0]);
  expect(col(f, 'not_used_early')).toEqual([3, 4, 6]);
  expect(col(f, 'not_used_early_retained')).toEqual([2, 2, 4]);
  expect(close(col(f, 'used_early_retention'))).toEqual(close([2 / 3, 1, null]));
  expect(close(col(f, 'used_early_ci_low'))).toEqual(close([0.2076596, 0.3423802, null]));
  expect(close(col(f, 'used_early_ci_high'))).toEqual(close([0.9385081, 1, null]));
  expect(close(col(f, 'not_used_early_ci_low'))).toEqual(close([0.2076596, 0.150039, 0.2999925]));
  // risk ratios: 1 with se sqrt(1/3); 2 with se 0.5; none without an early user
  expect(close(col(f, 'risk_ratio'))).toEqual(close([1, 2, null]));
  expect(close(col(f, 'risk_ratio_ci_low'))).toEqual(close([0.3225214, 0.7506357, null]));
  expect(close(col(f, 'risk_ratio_ci_high'))).toEqual(close([3.1005693, 5.3288165, null]));
});

it('leaves out users whose day N has not ended; one tenant; empty', async () => {
  // N = 40: only users with s + 40 complete by 08-01 (signup <= 06-21): f1-f5
  expect(col(await query({ retentionDay: 40 }), 'compared')).toEqual([5, 5, 5]);
  const one = await query({ filters: { tenant: ['tb'] }, features: ['invite.sent'] });
  expect(col(one, 'users')).toEqual([1]);
  expect(col(one, 'used_early_retention')).toEqual([1]);
  expect(col(one, 'risk_ratio')).toEqual([null]);
  const empty = await query({ from: '2025-01-01T00:00:00Z', to: '2025-02-01T00:00:00Z' });
  expect(col(empty, 'users')).toEqual([0, 0, 0]);
  expect(col(empty, 'used_early_retention')).toEqual([null, null, null]);
});

it('needs features, naming the field', async () => {
  const r = await postJson(`${svc.url}/api/v1/query`, { type: 'feature_impact', from: '2026-06-01T00:00:00Z', to: '2026-07-01T00:00:00Z' });
  expect(r.status).toBe(400);
  expect(r.body.error).toMatch(/^features/);
});

it('answers the same once pending deltas are compacted into the rollups and bit strings', async () => {
  const before = await query({ retentionDay: 30 });
  await db.pool.query('SELECT saasmon_compact_event_rollups()');
  expect(await query({ retentionDay: 30 })).toEqual(before);
});
