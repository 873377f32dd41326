import { readEngagementKpis } from '../reads/engagement';
import { engagementCollector } from './engagement';
import { ConfigInput } from '../config/schema';
import { withReadOnly } from '../db/pool';
import { collectLines, sampleLines } from '../testing/collect';
import { createTestSchema, TestSchema } from '../testing/db';

// Hand-computed fixtures at T = 2026-06-15 12:00 UTC, so T - 1d = 06-14 12:00, T - 7d = 06-08 12:00,
// T - 30d = 05-16 12:00, T - 37d = 05-09 12:00, T - 90d = 03-17 12:00, and D (the day of T) = 06-15.
const T = new Date('2026-06-15T12:00:00Z');
const OLD = '2026-01-01T00:00:00Z';

let seq = 0;
/** An event row; inserted through db.insert('events') so that the rollup trigger runs. */
const ev = (tenant: string, user: string | null, at: string, name = 'x') => ({
  id: `e${++seq}`,
  tenant_id: tenant,
  user_id: user,
  name,
  occurred_at: at,
});
const user = (id: string, tenant: string, created_at: string, extra: Record<string, unknown> = {}) => ({
  id,
  tenant_id: tenant,
  created_at,
  ...extra,
});
const tenant = (id: string, created_at = OLD) => ({ id, name: id, plan: 'starter', created_at });

async function kpis(db: TestSchema, now: Date, overrides: ConfigInput = {}) {
  return withReadOnly(db.pool, (client) => readEngagementKpis(client, now, db.config(overrides)));
}

describe('empty database, then events arriving', () => {
  let db: TestSchema;
  beforeAll(async () => {
    db = await createTestSchema('engage_empty');
  });
  afterAll(() => db.close());

  it('reports zero counts and leaves every ratio, NPS and adoption absent', async () => {
    expect(await collectLines(engagementCollector, db.config(), T)).toEqual([
      'saasmon_active_users_1h 0',
      'saasmon_active_users{window="1d"} 0',
      'saasmon_active_users{window="30d"} 0',
      'saasmon_active_users{window="7d"} 0',
      'saasmon_events_per_minute 0',
      'saasmon_signups{window="1d"} 0',
      'saasmon_signups{window="30d"} 0',
      'saasmon_signups{window="7d"} 0',
      'saasmon_support_tickets_open{priority="high"} 0',
      'saasmon_support_tickets_open{priority="low"} 0',
      'saasmon_support_tickets_open{priority="normal"} 0',
      'saasmon_support_tickets_open{priority="urgent"} 0',
    ]);
    expect(await kpis(db, T)).toEqual({
      activationRate: undefined,
      accountActivationRate: undefined,
      retentionD7: undefined,
      retentionD30: undefined,
      viralCoefficient: undefined,
    });
  });

  it('follows the rollups as more events arrive', async () => {
    const only = /^saasmon_(active_users\{|stickiness_ratio|feature_adoption_ratio)/;
    await db.insert('tenants', [tenant('ta'), tenant('tb')]);
    await db.insert('users', [user('v1', 'ta', OLD), user('v2', 'ta', OLD), user('v3', 'tb', OLD)]);
    await db.insert('events', [
      ev('ta', 'v1', '2026-06-15T13:00:00Z', 'a'), // after T: its day's first_at > T
      ev('ta', 'v2', '2026-06-14T10:00:00Z', 'a'), // before T - 1d
      ev('tb', 'v3', '2026-05-10T00:00:00Z', 'b'), // before T - 30d
    ]);
    // active: v2 in 7d and 30d; tenants active in 30d: ta (a)
    expect(await collectLines(engagementCollector, db.config(), T, only)).toEqual([
      'saasmon_active_users{window="1d"} 0',
      'saasmon_active_users{window="30d"} 1',
      'saasmon_active_users{window="7d"} 1',
      'saasmon_feature_adoption_ratio{feature="a"} 1',
      'saasmon_stickiness_ratio 0',
    ]);

    await db.insert('events', [
      ev('ta', 'v1', '2026-06-15T09:00:00Z', 'a'), // moves v1's first_at on T's day to before T
      ev('ta', 'v2', '2026-06-14T13:00:00Z', 'b'), // moves v2's last_at on 06-14 past T - 1d
      ev('tb', 'v3', '2026-06-10T00:00:00Z', 'b'),
    ]);
    // 1d: v1, v2; 7d and 30d: v1, v2, v3. Active tenants ta, tb: a used by ta, b by both.
    expect(await collectLines(engagementCollector, db.config(), T, only)).toEqual([
      'saasmon_active_users{window="1d"} 2',
      'saasmon_active_users{window="30d"} 3',
      'saasmon_active_users{window="7d"} 3',
      'saasmon_feature_adoption_ratio{feature="a"} 0.5',
      'saasmon_feature_adoption_ratio{feature="b"} 1',
      `saasmon_stickiness_ratio ${2 / 3}`,
    ]);
  });
});

describe('active users', () => {
  let db: TestSchema;
  const only = /^saasmon_(active_users\{|stickiness_ratio)/;
  beforeAll(async () => {
    db = await createTestSchema('engage_active');
    await db.insert('tenants', [tenant('ta')]);
    const live = ['a', 'b', 'c', 'd', 'e', 'g', 'h', 'i', 'j', 'm'];
    await db.insert('users', [...live.map((id) => user(id, 'ta', OLD)), user('k', 'ta', OLD, { deleted_at: '2026-06-01T00:00:00Z' })]);
    await db.insert('events', [
      ev('ta', 'a', '2026-06-15T00:00:00Z'), // 00:00:00 belongs to 06-15
      ev('ta', 'a', '2026-06-15T13:00:00Z'), // after T
      ev('ta', 'b', '2026-06-14T12:00:00Z'), // exactly T - 1d
      ev('ta', 'c', '2026-06-14T10:00:00Z'), // edge day 06-14: before and after T - 1d
      ev('ta', 'c', '2026-06-14T14:00:00Z'),
      ev('ta', 'd', '2026-06-14T10:00:00Z'), // edge day 06-14, before T - 1d only
      ev('ta', 'e', '2026-06-15T12:00:01Z'), // only after T
      ev('ta', 'g', '2026-06-08T12:00:00Z'), // exactly T - 7d
      ev('ta', 'h', '2026-06-08T12:00:01Z'),
      ev('ta', 'i', '2026-05-16T12:00:00Z'), // exactly T - 30d
      ev('ta', 'j', '2026-05-16T12:00:01Z'),
      ev('ta', 'm', '2026-06-14T00:00:00Z'),
      ev('ta', 'k', '2026-06-15T10:00:00Z'), // deleted user
      ev('ta', 'ghost', '2026-06-15T10:00:00Z'), // user id missing from users
      ev('ta', null, '2026-06-15T10:00:00Z'), // tenant-level event, no user
    ]);
  });
  afterAll(() => db.close());

  it('counts live users with an event in (T-w, T], edge days exact', async () => {
    // 1d: a (00:00:00 of T's day), c (14:00 on 06-14 > T - 1d). Not b (exactly T - 1d), not d, e, k, ghost.
    // 7d: a, b, c, d, h, m (g is exactly T - 7d). 30d: also g and j (i is exactly T - 30d).
    expect(await collectLines(engagementCollector, db.config(), T, only)).toEqual([
      'saasmon_active_users{window="1d"} 2',
      'saasmon_active_users{window="30d"} 8',
      'saasmon_active_users{window="7d"} 6',
      `saasmon_stickiness_ratio ${2 / 8}`,
    ]);
  });

  it('at exactly midnight UTC counts an event at T and not one at T - 1d', async () => {
    // T0 = 06-15 00:00: 1d = (06-14 00:00, 06-15 00:00]: a (at T0), b, c, d; not m (exactly T0 - 1d).
    // 7d = (06-08 00:00, T0]: also g, h, m. 30d = (05-16 00:00, T0]: also i, j.
    expect(await collectLines(engagementCollector, db.config(), new Date('2026-06-15T00:00:00Z'), only)).toEqual([
      'saasmon_active_users{window="1d"} 4',
      'saasmon_active_users{window="30d"} 9',
      'saasmon_active_users{window="7d"} 7',
      `saasmon_stickiness_ratio ${4 / 9}`,
    ]);
  });
});

describe('feature adoption', () => {
  let db: TestSchema;
  const only = /^saasmon_feature_adoption_ratio/;
  beforeAll(async () => {
    db = await createTestSchema('engage_adopt');
    await db.insert(
      'tenants',
      ['t1', 't2', 't3', 't4', 't5'].map((id) => tenant(id)),
    );
    await db.insert('events', [
      ev('t1', null, '2026-05-16T12:00:00Z', 'report.exported'), // exactly T - 30d: outside
      ev('t1', null, '2026-06-10T08:00:00Z', 'workflow.created'),
      ev('t2', null, '2026-05-16T11:00:00Z', 'report.exported'), // edge day: one before T - 30d,
      ev('t2', null, '2026-05-16T12:00:01Z', 'report.exported'), // one after
      ev('t3', null, '2026-06-15T12:00:00Z', 'workflow.created'), // exactly T: inside
      ev('t3', null, '2026-06-15T12:00:01Z', 'report.exported'), // after T
      ev('t4', null, '2026-06-15T00:00:00Z', 'billing.viewed'),
      ev('t5', null, '2026-05-01T00:00:00Z', 'old.feature'), // t5 not active
      ev('tx', null, '2026-06-14T00:00:00Z', 'workflow.created'), // tenant missing from tenants
    ]);
  });
  afterAll(() => db.close());

  it('reports the share of active tenants per event name, top names by default', async () => {
    // active tenants t1..t4: workflow.created t1, t3; report.exported t2; billing.viewed t4
    expect(await collectLines(engagementCollector, db.config(), T, only)).toEqual([
      'saasmon_feature_adoption_ratio{feature="billing.viewed"} 0.25',
      'saasmon_feature_adoption_ratio{feature="report.exported"} 0.25',
      'saasmon_feature_adoption_ratio{feature="workflow.created"} 0.5',
    ]);
  });

  it('keeps the top N by tenants using, ties by name', async () => {
    const config = db.config({ engagement: { adoptionTopN: 2 } });
    expect(await collectLines(engagementCollector, config, T, only)).toEqual([
      'saasmon_feature_adoption_ratio{feature="billing.viewed"} 0.25',
      'saasmon_feature_adoption_ratio{feature="workflow.created"} 0.5',
    ]);
  });

  it('reports configured features, unused ones as 0', async () => {
    const config = db.config({ engagement: { adoptionFeatures: ['report.exported', 'never.used'] } });
    expect(await collectLines(engagementCollector, config, T, only)).toEqual([
      'saasmon_feature_adoption_ratio{feature="never.used"} 0',
      'saasmon_feature_adoption_ratio{feature="report.exported"} 0.25',
    ]);
  });

  it('leaves configured features absent when no tenant is active', async () => {
    const config = db.config({ engagement: { adoptionFeatures: ['report.exported'] } });
    expect(await collectLines(engagementCollector, config, new Date('2026-01-01T00:00:00Z'), only)).toEqual([]);
  });
});

describe('signups, activation and virality', () => {
  let db: TestSchema;
  const only = /^saasmon_(signups|activation_ratio|account_activation_ratio|viral_coefficient)/;
  beforeAll(async () => {
    db = await createTestSchema('engage_signup');
    await db.insert('tenants', [
      tenant('ta'),
      tenant('tb', '2026-05-09T12:00:00Z'), // exactly T - 37d: first instant of the cohort
      tenant('tc', '2026-06-08T12:00:00Z'), // exactly T - 7d: after the cohort
      tenant('td', '2026-05-20T00:00:00Z'),
      tenant('te', '2026-05-25T00:00:00Z'), // its only activated user is deleted
      tenant('tf', '2026-05-09T11:59:59Z'), // before the cohort
      tenant('tg', '2026-05-30T00:00:00Z'), // its user activates 7d + 1s after the tenant's sign-up
    ]);
    const deleted = { deleted_at: '2026-06-15T11:00:00Z' };
    await db.insert('users', [
      user('o1', 'ta', OLD),
      user('o2', 'ta', OLD),
      user('o3', 'ta', OLD),
      user('o4', 'ta', OLD, deleted),
      user('u1', 'tb', '2026-05-09T12:00:00Z', { activated_at: '2026-05-16T12:00:00Z' }), // exactly 7d
      user('u2', 'tb', '2026-05-10T00:00:00Z', { activated_at: '2026-05-17T00:00:01Z' }), // 7d + 1s
      user('u3', 'td', '2026-05-20T00:00:00Z', { activated_at: '2026-05-21T00:00:00Z', referred_by: 'o1' }),
      user('u4', 'td', '2026-06-01T00:00:00Z', { referred_by: '' }),
      user('u5', 'tc', '2026-06-08T12:00:00Z', { activated_at: '2026-06-08T12:00:00Z', referred_by: 'o2' }),
      user('u6', 'ta', '2026-06-08T12:00:01Z'),
      user('u7', 'ta', '2026-06-14T12:00:00Z'), // exactly T - 1d
      user('u8', 'ta', '2026-06-15T00:00:00Z', { referred_by: 'o1' }),
      user('u9', 'ta', '2026-06-15T12:00:00Z'), // exactly T
      user('u10', 'ta', '2026-06-15T12:00:01Z', { referred_by: 'o1' }), // after T
      user('u11', 'tf', '2026-05-09T11:59:59Z', { activated_at: '2026-05-09T11:59:59Z' }),
      user('u12', 'ta', '2026-05-16T12:00:00Z', { referred_by: 'o3' }), // exactly T - 30d
      user('u13', 'ta', '2026-06-08T11:59:59Z', { activated_at: '2026-06-08T12:00:00Z' }),
      user('u14', 'tg', '2026-06-01T00:00:00Z', { activated_at: '2026-06-06T00:00:01Z' }),
      user('d1', 'te', '2026-05-26T00:00:00Z', { activated_at: '2026-05-26T00:00:00Z', referred_by: 'o1', ...deleted }),
      user('d2', 'ta', '2026-06-15T06:00:00Z', deleted),
    ]);
  });
  afterAll(() => db.close());

  it('counts signups, activation within N days, account activation and the viral coefficient', async () => {
    // signups 1d (06-14 12:00, T]: u8, u9. 7d (06-08 12:00, T]: u6..u9. 30d (05-16 12:00, T]: u3..u9, u13, u14.
    // activation cohort [05-09 12:00, 06-08 12:00): u1, u2, u3, u4, u12, u13, u14; activated: u1, u3, u13, u14.
    // accounts tb, td, te, tg: activated tb (u1 at exactly 7d), td (u3).
    // viral: referred u3, u5, u8 over o1, o2, o3, u1, u2, u11, u12 (created at or before T - 30d).
    expect(await collectLines(engagementCollector, db.config(), T, only)).toEqual([
      'saasmon_account_activation_ratio 0.5',
      `saasmon_activation_ratio ${4 / 7}`,
      'saasmon_signups{window="1d"} 2',
      'saasmon_signups{window="30d"} 9',
      'saasmon_signups{window="7d"} 4',
      `saasmon_viral_coefficient ${3 / 7}`,
    ]);
  });

  it('moves the activation cohort with the configured activation window', async () => {
    // N = 1: cohort [05-15 12:00, 06-14 12:00): u3, u4, u5, u6, u12, u13, u14; activated within 1d: u3, u5, u13.
    // accounts td, te, tg, tc: activated td (u3 at exactly 1d), tc (u5).
    const config = db.config({ engagement: { activationWindowDays: 1 } });
    expect(await collectLines(engagementCollector, config, T, /^saasmon_(account_)?activation_ratio/)).toEqual([
      'saasmon_account_activation_ratio 0.5',
      `saasmon_activation_ratio ${3 / 7}`,
    ]);
  });

  it('gives the alignment KPIs the same values', async () => {
    // no events: the D7 cohort (signup days 05-09..06-07) and D30 cohort (04-16..05-15) never return
    expect(await kpis(db, T)).toEqual({
      activationRate: 4 / 7,
      accountActivationRate: 0.5,
      retentionD7: 0,
      retentionD30: 0,
      viralCoefficient: 3 / 7,
    });
  });
});

describe('D_N retention', () => {
  let db: TestSchema;
  const only = /^saasmon_retention_ratio/;
  beforeAll(async () => {
    db = await createTestSchema('engage_ret');
    await db.insert('tenants', [tenant('ta')]);
    // Cohort signup days at D = 06-15: D1 05-15..06-13, D7 05-09..06-07, D30 04-16..05-15.
    await db.insert('users', [
      user('r1', 'ta', '2026-06-13T23:59:59Z'), // s 06-13 (last D1 day)
      user('r2', 'ta', '2026-06-14T00:00:00Z'), // s 06-14: in no cohort
      user('r3', 'ta', '2026-05-15T00:00:00Z'), // s 05-15: first D1 day, in D7, last D30 day
      user('r4', 'ta', '2026-05-14T23:59:59Z'), // s 05-14: D7, D30
      user('r5', 'ta', '2026-05-09T00:00:00Z'), // s 05-09: first D7 day, D30
      user('r6', 'ta', '2026-06-07T12:00:00Z'), // s 06-07: D1, last D7 day
      user('r7', 'ta', '2026-06-08T00:00:00Z'), // s 06-08: D1 only
      user('r8', 'ta', '2026-04-16T00:00:00Z'), // s 04-16: first D30 day
      user('r9', 'ta', '2026-04-15T23:59:59Z'), // s 04-15: in no cohort
      user('r10', 'ta', '2026-06-01T00:00:00Z', { deleted_at: '2026-06-10T00:00:00Z' }),
      user('r11', 'ta', '2026-06-10T00:00:00Z'), // D1, never returns
    ]);
    await db.insert('events', [
      ev('ta', 'r1', '2026-06-14T00:00:00Z'), // s+1, at 00:00:00
      ev('ta', 'r2', '2026-06-15T10:00:00Z'),
      ev('ta', 'r3', '2026-05-16T10:00:00Z'), // s+1
      ev('ta', 'r3', '2026-06-14T00:00:00Z'), // s+30
      ev('ta', 'r4', '2026-05-15T10:00:00Z'), // s+1, but r4 is not in the D1 cohort
      ev('ta', 'r4', '2026-06-13T23:59:59Z'), // s+30
      ev('ta', 'r5', '2026-05-16T00:00:00Z'), // s+7
      ev('ta', 'r5', '2026-05-17T00:00:00Z'),
      ev('ta', 'r6', '2026-06-09T00:00:00Z'), // s+2 only for D1
      ev('ta', 'r6', '2026-06-14T12:00:00Z'), // s+7
      ev('ta', 'r7', '2026-06-09T00:00:00Z'), // s+1
      ev('ta', 'r7', '2026-06-15T00:00:00Z'),
      ev('ta', 'r8', '2026-05-16T00:00:00Z'), // s+30
      ev('ta', 'r9', '2026-05-15T00:00:00Z'), // s+30, outside the cohort
      ev('ta', 'r10', '2026-06-02T00:00:00Z'), // deleted user
    ]);
  });
  afterAll(() => db.close());

  // D1: r1, r3, r6, r7, r11 -> r1, r3, r7 returned. D7: r3, r4, r5, r6 -> r5, r6.
  // D30: r3, r4, r5, r8 -> r3, r4, r8.
  const expected = [
    'saasmon_retention_ratio{day="1"} 0.6',
    'saasmon_retention_ratio{day="30"} 0.75',
    'saasmon_retention_ratio{day="7"} 0.5',
  ];

  it('reports the share of each cohort that returned on day s + N', async () => {
    expect(await collectLines(engagementCollector, db.config(), T, only)).toEqual(expected);
  });

  it('depends only on the UTC day of T', async () => {
    for (const at of ['2026-06-15T00:00:00Z', '2026-06-15T23:59:59Z']) {
      expect(await collectLines(engagementCollector, db.config(), new Date(at), only)).toEqual(expected);
    }
  });

  it('gives the alignment KPIs D7 and D30', async () => {
    expect(await kpis(db, T)).toMatchObject({ retentionD7: 0.5, retentionD30: 0.75 });
  });
});

describe('NPS and support tickets', () => {
  let db: TestSchema;
  const only = /^saasmon_(nps_90d|support_tickets_open)/;
  const nps = (id: string, score: number, responded_at: string) => ({ id, tenant_id: 'ta', score, responded_at });
  const ticket = (id: string, priority: string, resolved_at: string | null = null) => ({
    id,
    tenant_id: 'ta',
    priority,
    opened_at: '2026-06-01T00:00:00Z',
    resolved_at,
  });
  beforeAll(async () => {
    db = await createTestSchema('engage_voc');
    await db.insert('nps_responses', [
      nps('n1', 10, '2026-06-15T12:00:00Z'), // exactly T: inside
      nps('n2', 9, '2026-06-01T00:00:00Z'),
      nps('n3', 9, '2026-04-01T00:00:00Z'),
      nps('n4', 8, '2026-06-01T00:00:00Z'),
      nps('n5', 7, '2026-06-01T00:00:00Z'),
      nps('n6', 6, '2026-06-01T00:00:00Z'),
      nps('n7', 0, '2026-03-17T12:00:01Z'),
      nps('n8', 0, '2026-03-17T12:00:00Z'), // exactly T - 90d: outside
      nps('n9', 10, '2026-06-15T12:00:01Z'), // after T
    ]);
    await db.insert('support_tickets', [
      ticket('s1', 'urgent'),
      ticket('s2', 'high', '2026-06-02T00:00:00Z'),
      ticket('s3', 'normal'),
      ticket('s4', 'normal'),
      ticket('s5', 'p1'),
    ]);
  });
  afterAll(() => db.close());

  it('scores NPS over (T-90d, T] and counts open tickets for every priority', async () => {
    // 3 promoters (n1-n3), 2 passives (n4, n5), 2 detractors (n6, n7): 100 * (3 - 2) / 7
    expect(await collectLines(engagementCollector, db.config(), T, only)).toEqual([
      `saasmon_nps_90d ${100 / 7}`,
      'saasmon_support_tickets_open{priority="high"} 0',
      'saasmon_support_tickets_open{priority="low"} 0',
      'saasmon_support_tickets_open{priority="normal"} 2',
      'saasmon_support_tickets_open{priority="p1"} 1',
      'saasmon_support_tickets_open{priority="urgent"} 1',
    ]);
  });

  it('leaves NPS absent when no response falls in the window', async () => {
    const lines = await collectLines(engagementCollector, db.config(), new Date('2026-01-01T00:00:00Z'), /^saasmon_nps/);
    expect(lines).toEqual([]);
  });
});

describe('session time zone', () => {
  let db: TestSchema;
  // 2026-03-29 is a DST change in Europe/Berlin: there '30 days' before T is 721 hours, not 720.
  const T2 = new Date('2026-04-20T12:00:00Z');
  const only = /^saasmon_(active_users\{|signups|activation_ratio)/;
  beforeAll(async () => {
    db = await createTestSchema('engage_tz');
    await db.insert('tenants', [tenant('ta')]);
    await db.insert('users', [
      // 6 d 23.5 h after sign-up, across the DST change: within 7 x 24 h
      user('z1', 'ta', '2026-03-25T12:00:00Z', { activated_at: '2026-04-01T11:30:00Z' }),
      // 30 min after T2 - 30 x 24 h
      user('z2', 'ta', '2026-03-21T12:30:00Z'),
    ]);
    await db.insert('events', [ev('ta', 'z2', '2026-03-21T12:30:00Z')]);
  });
  afterAll(() => db.close());

  it('counts windows in 24 h days whatever the session time zone', async () => {
    const client = await db.pool.connect();
    try {
      await client.query("SET TIME ZONE 'Europe/Berlin'");
      const families = await engagementCollector.collect({ db: client, now: T2, config: db.config() });
      expect(await sampleLines(families, only)).toEqual([
        'saasmon_activation_ratio 0.5',
        'saasmon_active_users{window="1d"} 0',
        'saasmon_active_users{window="30d"} 1',
        'saasmon_active_users{window="7d"} 0',
        'saasmon_signups{window="1d"} 0',
        'saasmon_signups{window="30d"} 2',
        'saasmon_signups{window="7d"} 0',
      ]);
    } finally {
      await client.query('RESET TIME ZONE');
      client.release();
    }
  });
});

describe('real-time activity', () => {
  let db: TestSchema;
  const only = /^saasmon_(active_users_1h|events_per_minute)/;
  beforeAll(async () => {
    db = await createTestSchema('engage_recent');
    await db.insert('tenants', [tenant('ta')]);
    await db.insert('users', [
      ...['a', 'b', 'c', 'd'].map((id) => user(id, 'ta', OLD)),
      user('k', 'ta', OLD, { deleted_at: '2026-06-01T00:00:00Z' }),
    ]);
    await db.insert('events', [
      ev('ta', 'a', '2026-06-15T12:00:00Z'), // exactly T: in both windows
      ev('ta', 'a', '2026-06-15T11:58:00Z'), // a again: one user; in the 5 minutes
      ev('ta', 'b', '2026-06-15T11:55:00Z'), // exactly T - 5m: in the hour, not in the 5 minutes
      ev('ta', 'c', '2026-06-15T11:00:00Z'), // exactly T - 1h: in neither
      ev('ta', 'd', '2026-06-15T12:00:01Z'), // after T
      ev('ta', 'k', '2026-06-15T11:59:00Z'), // deleted user: not active, event not counted
      ev('ta', null, '2026-06-15T11:59:30Z'), // tenant-level event: counted, no user
      ev('ta', 'ghost', '2026-06-15T11:57:00Z'), // unknown user id: event counted, no active user
    ]);
  });
  afterAll(() => db.close());

  it('counts live users with an event in (T-1h, T] and events in (T-5m, T] per minute', async () => {
    // active 1h: a, b. Events in (11:55, 12:00]: a 12:00, a 11:58, null 11:59:30, ghost 11:57 = 4 -> 0.8/min
    expect(await collectLines(engagementCollector, db.config(), T, only)).toEqual([
      'saasmon_active_users_1h 2',
      'saasmon_events_per_minute 0.8',
    ]);
  });
});
