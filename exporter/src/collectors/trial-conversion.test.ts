import { revenueCollector } from './revenue';
import { collectLines } from '../testing/collect';
import { createTestSchema, TestSchema } from '../testing/db';

// saasmon_trial_conversion_ratio: trials (first row trialing) that ended in [T-37d, T-7d] =
// [2026-05-25, 2026-06-24], converted when the tenant pays at some instant within 7 days of the end.
const T = new Date('2026-07-01T00:00:00Z');
let db: TestSchema;
let n = 0;
const sub = (tenantId: string, status: string, amount: string, from: string, to: string | null = null) => ({
  id: `s${++n}`,
  tenant_id: tenantId,
  plan: 'pro',
  status,
  amount,
  interval_months: 1,
  valid_from: from,
  valid_to: to,
});
const metric = async () => (await collectLines(revenueCollector, db.config(), T, /trial_conversion/))[0];

beforeAll(async () => {
  db = await createTestSchema('trials');
});
afterAll(() => db.close());

it('is absent with no decided trial', async () => {
  expect(await metric()).toBeUndefined();
});

it('is converted / decided trials of the window', async () => {
  const ids = ['ta', 'tb', 'tc', 'td', 'te', 'tf', 'tg', 'th', 'ti'];
  await db.insert(
    'tenants',
    ids.map((id) => ({ id, name: id, plan: 'pro', created_at: '2026-01-01T00:00:00Z' })),
  );
  await db.insert('subscriptions', [
    sub('ta', 'trialing', '0.00', '2026-05-01T00:00:00Z', '2026-05-30T00:00:00Z'),
    sub('ta', 'active', '50.00', '2026-06-03T00:00:00Z'), // 4 days after: converted
    sub('tb', 'trialing', '0.00', '2026-05-01T00:00:00Z', '2026-06-01T00:00:00Z'),
    sub('tb', 'active', '50.00', '2026-06-08T00:00:01Z'), // just over 7 days: not converted
    sub('tc', 'trialing', '0.00', '2026-05-01T00:00:00Z', '2026-06-10T00:00:00Z'), // never pays
    sub('td', 'trialing', '0.00', '2026-05-01T00:00:00Z', '2026-06-24T00:00:01Z'), // not decided yet
    sub('te', 'trialing', '0.00', '2026-05-01T00:00:00Z', '2026-05-24T23:59:59Z'), // before the window
    sub('te', 'active', '50.00', '2026-05-24T23:59:59Z'),
    sub('tf', 'active', '50.00', '2026-05-01T00:00:00Z', '2026-06-01T00:00:00Z'), // no trial
    sub('tf', 'trialing', '0.00', '2026-06-01T00:00:00Z', '2026-06-05T00:00:00Z'), // not its first row
    sub('tg', 'trialing', '0.00', '2026-05-01T00:00:00Z', '2026-06-15T00:00:00Z'),
    sub('tg', 'active', '50.00', '2026-06-10T00:00:00Z'), // paid before the trial ended: converted
    sub('th', 'trialing', '0.00', '2026-05-01T00:00:00Z', '2026-06-15T00:00:00Z'),
    sub('th', 'active', '0.00', '2026-06-15T00:00:00Z'), // a free plan is not paying
    sub('ti', 'trialing', '0.00', '2026-05-01T00:00:00Z'), // still trialing
  ]);
  // decided: ta, tb, tc, tg, th; converted: ta, tg
  expect(await metric()).toBe('saasmon_trial_conversion_ratio 0.4');
});
