import type { TestSchema } from './db';

/**
 * Hand-computed tenant health fixture at T, shared by the collector test and the query API test.
 *
 * Event names in (T-30d, T] over all tenants: a, b, x, y = 4 ('c' sits exactly at T-30d, 'd'
 * after T, 'z' long before: none counts).
 *
 * ta business: users ua1..ua4 (ua5 deleted, ua6 created after T); active ua1, ua3 -> activity 50;
 *    names a, b -> adoption 50; active row in force (older past_due row ended) -> payment 100;
 *    open urgent + high (resolved after T) + normal -> support 100 - 50 - 10 = 40;
 *    score .4*50 + .2*50 + .25*100 + .15*40 = 61 (watch); last activity 11:00 (its T-day row also
 *    holds an event at 13:00, after T, so the raw events decide).
 * tb starter: ub1 active of ub1, ub2 -> 50; names a, x, y -> 75; past_due -> 0; no tickets -> 100;
 *    score 20 + 15 + 0 + 15 = 50 (watch, on the band edge); last activity T (an event at exactly T).
 * tc free: no users -> 0; system event y -> 25; no row in force (one starts after T) -> 100;
 *    one normal ticket (an urgent one was resolved exactly at T) -> 90;
 *    score 0 + 5 + 25 + 13.5 = 43.5 -> 44 (half up; at_risk); no last activity (no user event).
 * te starter, churned after T: ue1 idle in 30 d -> 0, nothing in 30 d -> 0; past_due row starting
 *    exactly at T -> 0; 5 urgent tickets -> max(0, -25) = 0; score 0 (critical);
 *    last activity 2026-04-01 (before the window).
 * th enterprise: uh1 active -> 100; a, b, x, y -> 100; active -> 100; no tickets -> 100; score 100.
 * td (churned before T) and tf (created after T) are not reported.
 */
export const T = new Date('2026-06-15T12:00:00Z');

export const EXPECTED = [
  {
    tenant: 'ta',
    name: 'Acme',
    plan: 'business',
    activity: 50,
    adoption: 50,
    payment: 100,
    support: 40,
    score: 61,
    risk: 'watch',
    last: '2026-06-15T11:00:00Z',
  },
  {
    tenant: 'tb',
    name: 'Bolt',
    plan: 'starter',
    activity: 50,
    adoption: 75,
    payment: 0,
    support: 100,
    score: 50,
    risk: 'watch',
    last: '2026-06-15T12:00:00Z',
  },
  {
    tenant: 'tc',
    name: 'Cargo',
    plan: 'free',
    activity: 0,
    adoption: 25,
    payment: 100,
    support: 90,
    score: 44,
    risk: 'at_risk',
    last: null,
  },
  {
    tenant: 'te',
    name: 'Echo',
    plan: 'starter',
    activity: 0,
    adoption: 0,
    payment: 0,
    support: 0,
    score: 0,
    risk: 'critical',
    last: '2026-04-01T00:00:00Z',
  },
  {
    tenant: 'th',
    name: 'Helix',
    plan: 'enterprise',
    activity: 100,
    adoption: 100,
    payment: 100,
    support: 100,
    score: 100,
    risk: 'healthy',
    last: '2026-06-14T00:00:00Z',
  },
] as const;

export async function insertTenantHealthFixture(db: TestSchema): Promise<void> {
  const created = '2026-01-01T00:00:00Z';
  await db.insert('tenants', [
    { id: 'ta', name: 'Acme', plan: 'business', segment: 'mid', acquisition_channel: 'paid', created_at: created },
    { id: 'tb', name: 'Bolt', plan: 'starter', segment: 'smb', acquisition_channel: 'organic', created_at: created },
    { id: 'tc', name: 'Cargo', plan: 'free', segment: 'smb', acquisition_channel: 'organic', created_at: created },
    {
      id: 'td',
      name: 'Delta',
      plan: 'starter',
      segment: 'smb',
      acquisition_channel: 'paid',
      created_at: created,
      churned_at: '2026-06-01T00:00:00Z',
    },
    {
      id: 'te',
      name: 'Echo',
      plan: 'starter',
      segment: 'smb',
      acquisition_channel: 'paid',
      created_at: created,
      churned_at: '2026-06-20T00:00:00Z',
    },
    { id: 'tf', name: 'Fresh', plan: 'starter', segment: 'smb', acquisition_channel: 'paid', created_at: '2026-06-15T12:00:01Z' },
    { id: 'th', name: 'Helix', plan: 'enterprise', segment: 'enterprise', acquisition_channel: 'partner', created_at: created },
  ]);
  const user = (id: string, tenant: string, extra: Record<string, unknown> = {}) => ({
    id,
    tenant_id: tenant,
    created_at: created,
    deleted_at: null,
    ...extra,
  });
  await db.insert('users', [
    user('ua1', 'ta'),
    user('ua2', 'ta'),
    user('ua3', 'ta'),
    user('ua4', 'ta'),
    user('ua5', 'ta', { deleted_at: '2026-06-12T00:00:00Z' }),
    user('ua6', 'ta', { created_at: '2026-06-16T00:00:00Z' }),
    user('ub1', 'tb'),
    user('ub2', 'tb'),
    user('ud1', 'td'),
    user('uf1', 'tf', { created_at: '2026-06-15T12:00:01Z' }),
    user('uh1', 'th'),
    user('ue1', 'te'),
  ]);
  let n = 0;
  const ev = (tenant: string, userId: string | null, name: string, at: string) => ({
    id: `e${++n}`,
    tenant_id: tenant,
    user_id: userId,
    name,
    occurred_at: at,
  });
  await db.insert('events', [
    ev('ta', 'ua1', 'a', '2026-06-10T00:00:00Z'),
    ev('ta', 'ua2', 'c', '2026-05-16T12:00:00Z'), // exactly T-30d: outside (T-30d, T]
    ev('ta', 'ua3', 'b', '2026-06-15T11:00:00Z'),
    ev('ta', 'ua3', 'b', '2026-06-15T13:00:00Z'), // same rollup row as 11:00, but after T
    ev('ta', 'ua4', 'd', '2026-06-15T13:00:00Z'), // after T only: ua4 is not active
    ev('ta', 'ua5', 'a', '2026-06-11T00:00:00Z'), // deleted user: not a user, not active
    ev('tb', 'ub1', 'a', '2026-06-01T00:00:00Z'),
    ev('tb', 'ub1', 'x', '2026-06-01T00:00:00Z'),
    ev('tb', 'ub1', 'y', '2026-06-15T12:00:00Z'), // exactly T: inside
    ev('tc', null, 'y', '2026-06-05T00:00:00Z'), // system event: counts for adoption, not for users
    ev('td', 'ud1', 'a', '2026-06-10T00:00:00Z'),
    ev('te', null, 'z', '2026-04-01T00:00:00Z'),
    ev('te', 'ue1', 'z', '2026-04-01T00:00:00Z'), // long before the window: the idle-tenant lookup
    ev('th', 'uh1', 'a', '2026-06-14T00:00:00Z'),
    ev('th', 'uh1', 'b', '2026-06-14T00:00:00Z'),
    ev('th', 'uh1', 'x', '2026-06-14T00:00:00Z'),
    ev('th', 'uh1', 'y', '2026-06-14T00:00:00Z'),
  ]);
  const sub = (id: string, tenant: string, status: string, from: string, to: string | null) => ({
    id,
    tenant_id: tenant,
    plan: 'p',
    status,
    amount: '100.00',
    interval_months: 1,
    valid_from: from,
    valid_to: to,
  });
  await db.insert('subscriptions', [
    sub('s1', 'ta', 'past_due', '2026-01-01T00:00:00Z', '2026-05-01T00:00:00Z'),
    sub('s2', 'ta', 'active', '2026-05-01T00:00:00Z', null),
    sub('s3', 'tb', 'past_due', '2026-06-01T00:00:00Z', null),
    sub('s4', 'te', 'active', '2026-05-01T00:00:00Z', '2026-06-15T12:00:00Z'), // ends exactly at T
    sub('s5', 'te', 'past_due', '2026-06-15T12:00:00Z', null), // starts exactly at T
    sub('s6', 'th', 'active', '2026-01-01T00:00:00Z', '2026-07-01T00:00:00Z'),
    sub('s7', 'tc', 'past_due', '2026-06-16T00:00:00Z', null), // after T
  ]);
  const ticket = (id: string, tenant: string, priority: string, opened: string, resolved: string | null) => ({
    id,
    tenant_id: tenant,
    priority,
    opened_at: opened,
    resolved_at: resolved,
  });
  await db.insert('support_tickets', [
    ticket('k1', 'ta', 'urgent', '2026-06-01T00:00:00Z', null),
    ticket('k2', 'ta', 'high', '2026-06-01T00:00:00Z', '2026-06-16T00:00:00Z'), // resolved after T: open at T
    ticket('k3', 'ta', 'normal', '2026-06-01T00:00:00Z', null),
    ticket('k4', 'ta', 'low', '2026-06-01T00:00:00Z', '2026-06-10T00:00:00Z'),
    ticket('k5', 'ta', 'urgent', '2026-06-15T13:00:00Z', null), // opened after T
    ticket('k6', 'tc', 'normal', '2026-06-01T00:00:00Z', null),
    ticket('k7', 'tc', 'urgent', '2026-06-01T00:00:00Z', '2026-06-15T12:00:00Z'), // resolved exactly at T
    ...[1, 2, 3, 4, 5].map((i) => ticket(`k${7 + i}`, 'te', 'urgent', '2026-06-01T00:00:00Z', null)),
  ]);
}
