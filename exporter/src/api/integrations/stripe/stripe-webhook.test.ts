import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStripeBackfill } from './backfill-command';
import { SQL_TENANT_MRR_AT } from '../../../reads/revenue';
import { moneyToString, parseMoney } from '../../../domain/money';
import { RunningService } from '../../../service';
import { createTestSchema, TestSchema } from '../../../testing/db';
import { postJson, startTestService } from '../../../testing/service';
import { TEST_TOKENS } from '../../../testing/tokens';
import { at, customer, deliver, event, price, subscription, WEBHOOK_SECRET } from './stripe-fixtures';

let db: TestSchema;
let svc: RunningService;

beforeAll(async () => {
  db = await createTestSchema('stripe');
  svc = await startTestService(db, {
    currency: 'USD',
    api: { rateLimit: { requestsPerSecond: 1000, burst: 1000 } },
    integrations: { stripe: { webhookSecrets: ['whsec_old_secret_rolled', WEBHOOK_SECRET], currencyRates: { EUR: 1.1 } } },
  });
});
afterAll(async () => {
  await svc.close();
  await db.close();
});

/** Total MRR at each instant, from the rows the webhook wrote, by the project's own MRR read. */
async function mrrAt(instants: string[]): Promise<string[]> {
  const r = await db.pool.query<{ idx: number; mrr: string }>(SQL_TENANT_MRR_AT, [instants.map((i) => new Date(i))]);
  const totals = instants.map(() => 0n);
  for (const row of r.rows) totals[row.idx] = (totals[row.idx] as bigint) + parseMoney(row.mrr);
  return totals.map(moneyToString);
}

const ok = async (payload: unknown) => {
  const r = await deliver(svc.url, payload);
  expect(r).toEqual({ status: 200, body: expect.objectContaining({ received: true }) });
  return r.body.outcome;
};

const starter = price({ id: 'price_starter', amount: 2900, plan: 'starter' });
const pro = price({ id: 'price_pro', amount: 9900, plan: 'pro' });
const growth = price({ id: 'price_growth', amount: 4900, plan: 'growth' });
const annual = price({ id: 'price_business_year', amount: 120000, interval: 'year', plan: 'business' });
const team = price({ id: 'price_team', amount: 10000, plan: 'team' });
const euro = price({ id: 'price_eu', amount: 5000, currency: 'eur', plan: 'starter-eu' });
const weekly = price({ id: 'price_weekly', amount: 1000, interval: 'week', plan: 'weekly' });

describe('signature', () => {
  const payload = event('customer.created', customer('cus_sig', at('2026-01-01T00:00:00Z')), at('2026-01-01T00:00:00Z'));

  it('refuses a tampered body with 400 and stores nothing', async () => {
    const r = await deliver(svc.url, payload, { tamper: (b) => b.replace('Customer cus_sig', 'Customer evil') });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/no Stripe signature matches/);
    expect((await db.pool.query(`SELECT 1 FROM tenants WHERE id = 'cus_sig'`)).rowCount).toBe(0);
  });

  it('refuses a stale signature (timestamp outside the tolerance) with 400', async () => {
    const r = await deliver(svc.url, payload, { timestamp: Math.floor(Date.now() / 1000) - 301 });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/tolerance/);
  });

  it('refuses a signature made with another secret, and a request without the header', async () => {
    expect((await deliver(svc.url, payload, { secret: 'whsec_someone_else' })).status).toBe(400);
    const res = await fetch(`${svc.url}/api/v1/integrations/stripe/webhook`, { method: 'POST', body: JSON.stringify(payload) });
    expect(res.status).toBe(400);
  });

  it('accepts the old secret while it is rolled, and counts every outcome in /metrics', async () => {
    expect((await deliver(svc.url, payload, { secret: 'whsec_old_secret_rolled' })).status).toBe(200);
    const metrics = await (await fetch(`${svc.url}/metrics`)).text();
    expect(metrics).toContain('saasmon_stripe_webhook_rejected_total{reason="signature"} 3');
    expect(metrics).toContain('saasmon_stripe_webhook_rejected_total{reason="timestamp"} 1');
    expect(metrics).toContain('saasmon_stripe_webhook_events_total{type="customer.created",outcome="applied"} 1');
    expect(metrics).toMatch(/saasmon_stripe_webhook_lag_seconds \d/);
  });
});

describe('a Stripe account through its webhook', () => {
  beforeAll(async () => {
    for (const [id, created] of [
      ['cus_A', '2026-01-10T00:00:00Z'],
      ['cus_B', '2026-01-05T00:00:00Z'],
      ['cus_C', '2026-02-01T00:00:00Z'],
      ['cus_D', '2026-01-01T00:00:00Z'],
      ['cus_E', '2026-01-01T00:00:00Z'],
      ['cus_F', '2026-01-01T00:00:00Z'],
    ] as const) {
      await ok(
        event(
          'customer.created',
          customer(id, at(created), id === 'cus_D' ? { metadata: { saasmon_tenant_id: 'acme' } } : {}),
          at(created),
        ),
      );
    }
  });

  const subA = (patch: Partial<Parameters<typeof subscription>[0]>) =>
    subscription({ id: 'sub_A', customer: 'cus_A', created: at('2026-01-10T00:00:00Z'), items: [{ price: starter }], ...patch });
  const upgradeA = event('customer.subscription.updated', subA({ items: [{ price: pro, quantity: 3 }] }), at('2026-02-15T00:00:00Z'));

  it('maps upgrade, downgrade, cancel at period end, trial, annual plan, coupons, currency and weekly billing to hand-computed MRR', async () => {
    // A: starter $29, upgraded to 3 x pro $99 = $297, downgraded to 2 seats = $198, cancelled at period end (Apr 20).
    expect(await ok(event('customer.subscription.created', subA({}), at('2026-01-10T00:00:00Z')))).toBe('applied');
    await ok(upgradeA);
    await ok(event('customer.subscription.updated', subA({ items: [{ price: pro, quantity: 2 }] }), at('2026-03-20T00:00:00Z')));
    await ok(
      event(
        'customer.subscription.updated',
        subA({ items: [{ price: pro, quantity: 2 }], cancelAtPeriodEnd: true, periodEnd: at('2026-04-20T00:00:00Z') }),
        at('2026-04-01T00:00:00Z'),
      ),
    );
    // B: 14-day trial on growth $49, converting on Jan 19.
    const subB = (status: string) =>
      subscription({
        id: 'sub_B',
        customer: 'cus_B',
        status,
        created: at('2026-01-05T00:00:00Z'),
        items: [{ price: growth }],
        trialStart: at('2026-01-05T00:00:00Z'),
        trialEnd: at('2026-01-19T00:00:00Z'),
      });
    await ok(event('customer.subscription.created', subB('trialing'), at('2026-01-05T00:00:00Z')));
    await ok(event('customer.subscription.updated', subB('active'), at('2026-01-19T00:00:00Z')));
    // C: business at $1,200 a year: $100 MRR.
    await ok(
      event(
        'customer.subscription.created',
        subscription({ id: 'sub_C', customer: 'cus_C', created: at('2026-02-01T00:00:00Z'), items: [{ price: annual }] }),
        at('2026-02-01T00:00:00Z'),
      ),
    );
    // D (tenant "acme" by metadata): team $100 with 20% off for 3 months (repeating): $80 until Apr 1, then $100.
    const coupon = {
      id: 'SAVE20',
      object: 'coupon',
      percent_off: 20,
      amount_off: null,
      currency: null,
      duration: 'repeating',
      duration_in_months: 3,
    };
    await ok(
      event(
        'customer.subscription.created',
        subscription({
          id: 'sub_D',
          customer: 'cus_D',
          created: at('2026-01-01T00:00:00Z'),
          items: [{ price: team }],
          discount: { coupon, start: at('2026-01-01T00:00:00Z'), end: at('2026-04-01T00:00:00Z') },
        }),
        at('2026-01-01T00:00:00Z'),
      ),
    );
    // E: EUR 50 with EUR 10 off forever, at 1.10 USD per EUR: (50 - 10) x 1.1 = $44.
    const off10 = { id: 'TENOFF', object: 'coupon', percent_off: null, amount_off: 1000, currency: 'eur', duration: 'forever' };
    await ok(
      event(
        'customer.subscription.created',
        subscription({
          id: 'sub_E',
          customer: 'cus_E',
          currency: 'eur',
          created: at('2026-01-01T00:00:00Z'),
          items: [{ price: euro }],
          discount: { coupon: off10, start: at('2026-01-01T00:00:00Z') },
        }),
        at('2026-01-01T00:00:00Z'),
      ),
    );
    // F: $10 a week: 10 x 52 / 12 = $43.33 a month.
    await ok(
      event(
        'customer.subscription.created',
        subscription({ id: 'sub_F', customer: 'cus_F', created: at('2026-01-01T00:00:00Z'), items: [{ price: weekly }] }),
        at('2026-01-01T00:00:00Z'),
      ),
    );

    expect(
      await mrrAt(['2026-01-15T00:00:00Z', '2026-02-10T00:00:00Z', '2026-03-01T00:00:00Z', '2026-04-10T00:00:00Z', '2026-05-01T00:00:00Z']),
    ).toEqual([
      // A 29 + B 0 (trial) + D 80 + E 44 + F 43.33
      '196.33',
      // A 29 + B 49 + C 100 + D 80 + E 44 + F 43.33
      '345.33',
      // A 297 + B 49 + C 100 + D 80 + E 44 + F 43.33
      '613.33',
      // A 198 + B 49 + C 100 + D 100 (coupon over) + E 44 + F 43.33
      '534.33',
      // A ended Apr 20
      '336.33',
    ]);
    const rows = await db.pool.query(
      `SELECT id, tenant_id, plan, status, amount::text, interval_months FROM subscriptions WHERE tenant_id IN ('acme', 'cus_C', 'cus_F') ORDER BY valid_from`,
    );
    expect(rows.rows).toEqual([
      { id: 'sub_D@1767225600', tenant_id: 'acme', plan: 'team', status: 'active', amount: '80.00', interval_months: 1 },
      { id: 'sub_F@1767225600', tenant_id: 'cus_F', plan: 'weekly', status: 'active', amount: '43.33', interval_months: 1 },
      { id: 'sub_C@1769904000', tenant_id: 'cus_C', plan: 'business', status: 'active', amount: '1200.00', interval_months: 12 },
      { id: 'sub_D@1775001600', tenant_id: 'acme', plan: 'team', status: 'active', amount: '100.00', interval_months: 1 },
    ]);
  });

  it('is idempotent on the event id and never lets an earlier event overwrite a later one', async () => {
    const before = await db.pool.query(`SELECT * FROM subscriptions ORDER BY id`);
    expect((await deliver(svc.url, upgradeA)).body.outcome).toBe('duplicate');
    // The upgrade's state sent again as a new event created before the downgrade: stale.
    const late = event('customer.subscription.updated', subA({ items: [{ price: pro, quantity: 3 }] }), at('2026-02-16T00:00:00Z'));
    expect((await deliver(svc.url, late)).body.outcome).toBe('stale');
    expect((await db.pool.query(`SELECT * FROM subscriptions ORDER BY id`)).rows).toEqual(before.rows);
  });

  it('ends the tenant at the end of its cancelled period and keeps the reason', async () => {
    const ended = subA({
      status: 'canceled',
      items: [{ price: pro, quantity: 2 }],
      cancelAtPeriodEnd: true,
      periodEnd: at('2026-04-20T00:00:00Z'),
      endedAt: at('2026-04-20T00:00:00Z'),
    });
    expect(await ok(event('customer.subscription.deleted', ended, at('2026-04-20T00:00:05Z')))).toBe('applied');
    const t = await db.pool.query(`SELECT plan, churned_at, churn_reason FROM tenants WHERE id = 'cus_A'`);
    expect(t.rows[0]).toEqual({
      plan: 'pro',
      churned_at: new Date('2026-04-20T00:00:00Z'),
      churn_reason: 'stripe: cancellation_requested',
    });
    // A's $198 stops at Apr 20: 534.33 -> 336.33 (the others unchanged).
    expect(await mrrAt(['2026-04-19T23:59:59Z', '2026-04-20T00:00:00Z'])).toEqual(['534.33', '336.33']);
  });

  it('refuses what it cannot map with 422 and a reason, storing nothing, so that Stripe retries', async () => {
    await ok(event('customer.created', customer('cus_G', at('2026-01-01T00:00:00Z')), at('2026-01-01T00:00:00Z')));
    const gbp = price({ id: 'price_gbp', amount: 1000, currency: 'gbp' });
    const e = event(
      'customer.subscription.created',
      subscription({ id: 'sub_G', customer: 'cus_G', currency: 'gbp', created: at('2026-01-01T00:00:00Z'), items: [{ price: gbp }] }),
      at('2026-01-01T00:00:00Z'),
    );
    const r = await deliver(svc.url, e);
    expect(r.status).toBe(422);
    expect(r.body.error).toMatch(/currency GBP has no rate to USD/);
    const unknown = event(
      'customer.subscription.created',
      subscription({ id: 'sub_X', customer: 'cus_nobody', created: at('2026-01-01T00:00:00Z'), items: [{ price: starter }] }),
      at('2026-01-01T00:00:00Z'),
    );
    expect((await deliver(svc.url, unknown)).body.error).toMatch(/customer cus_nobody is not known yet/);
    expect((await db.pool.query(`SELECT 1 FROM saasmon_stripe_events WHERE event_id = ANY($1)`, [[e.id, unknown.id]])).rowCount).toBe(0);
    expect((await db.pool.query(`SELECT 1 FROM subscriptions WHERE tenant_id = 'cus_G'`)).rowCount).toBe(0);
  });

  it('backfills a Stripe export (list JSON) behind the stripe scope', async () => {
    const list = {
      object: 'list',
      data: [
        customer('cus_H', at('2025-11-01T00:00:00Z')),
        subscription({
          id: 'sub_H',
          customer: 'cus_H',
          status: 'trialing',
          created: at('2026-04-25T00:00:00Z'),
          items: [{ price: starter }],
          trialStart: at('2026-04-25T00:00:00Z'),
          trialEnd: at('2026-05-09T00:00:00Z'),
        }),
      ],
    };
    expect((await postJson(`${svc.url}/api/v1/integrations/stripe/backfill`, list, TEST_TOKENS.query)).status).toBe(403);
    const r = await postJson(`${svc.url}/api/v1/integrations/stripe/backfill?as_of=2026-05-01T00:00:00Z`, list, TEST_TOKENS.admin);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ objects: 2, outcomes: { applied: 2 }, refused: [] });
    const rows = await db.pool.query(`SELECT status, valid_from, valid_to FROM subscriptions WHERE tenant_id = 'cus_H'`);
    expect(rows.rows).toEqual([
      { status: 'trialing', valid_from: new Date('2026-04-25T00:00:00Z'), valid_to: new Date('2026-05-09T00:00:00Z') },
    ]);
    // The same export again changes nothing.
    expect(
      (await postJson(`${svc.url}/api/v1/integrations/stripe/backfill?as_of=2026-05-01T00:00:00Z`, list, TEST_TOKENS.admin)).body,
    ).toMatchObject({ outcomes: { duplicate: 2 } });
  });

  it('saasmon stripe-backfill reads export files, history from events first, and reports what it refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stripe-export-'));
    const created = at('2026-03-01T00:00:00Z');
    const subJ = subscription({ id: 'sub_J', customer: 'cus_J', created, items: [{ price: starter }] });
    writeFileSync(
      join(dir, 'customers.json'),
      JSON.stringify({ object: 'list', data: [customer('cus_J', created), customer('cus_K', created)], has_more: false }),
    );
    writeFileSync(
      join(dir, 'events.json'),
      JSON.stringify({
        object: 'list',
        data: [event('customer.subscription.created', subJ, created), event('invoice.paid', { id: 'in_1', object: 'invoice' }, created)],
      }),
    );
    writeFileSync(
      join(dir, 'subscriptions.json'),
      JSON.stringify({
        object: 'list',
        data: [
          subscription({ id: 'sub_J', customer: 'cus_J', created, items: [{ price: pro }] }),
          subscription({
            id: 'sub_K',
            customer: 'cus_K',
            currency: 'chf',
            created,
            items: [{ price: price({ id: 'price_chf', amount: 100, currency: 'chf' }) }],
          }),
        ],
      }),
    );
    const report = await runStripeBackfill(
      db.pool,
      db.config({ integrations: { stripe: { currencyRates: { EUR: 1.1 } } } }),
      ['customers.json', 'events.json', 'subscriptions.json'].map((f) => join(dir, f)),
      '2026-03-10T00:00:00Z',
    );
    expect(report).toMatch(/^stripe-backfill: 6 objects as of 2026-03-10T00:00:00.000Z: applied 4, recorded 1, refused 1$/m);
    expect(report).toMatch(/refused sub_K: currency CHF has no rate/);
    // The event's starter state from Mar 1, the export's pro state from the export's instant.
    const rows = await db.pool.query(
      `SELECT plan, amount::text, valid_from, valid_to FROM subscriptions WHERE tenant_id = 'cus_J' ORDER BY valid_from`,
    );
    expect(rows.rows).toEqual([
      { plan: 'starter', amount: '29.00', valid_from: new Date('2026-03-01T00:00:00Z'), valid_to: new Date('2026-03-10T00:00:00Z') },
      { plan: 'pro', amount: '99.00', valid_from: new Date('2026-03-10T00:00:00Z'), valid_to: null },
    ]);
  });

  it('applies one of several concurrent deliveries of an event, and continues the row when nothing priced changed', async () => {
    await ok(event('customer.created', customer('cus_L', at('2026-02-01T00:00:00Z')), at('2026-02-01T00:00:00Z')));
    const subL = (metadata: Record<string, string>) => ({
      ...subscription({ id: 'sub_L', customer: 'cus_L', created: at('2026-02-01T00:00:00Z'), items: [{ price: starter }] }),
      metadata,
    });
    const created = event('customer.subscription.created', subL({}), at('2026-02-01T00:00:00Z'));
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => deliver(svc.url, created).then((r) => r.body.outcome)));
    expect(outcomes.sort()).toEqual(['applied', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
    // A metadata-only update: same plan, amount, status: still one row, from Feb 1.
    expect(await ok(event('customer.subscription.updated', subL({ note: 'vip' }), at('2026-03-01T00:00:00Z')))).toBe('applied');
    const rows = await db.pool.query(`SELECT valid_from, valid_to FROM subscriptions WHERE tenant_id = 'cus_L'`);
    expect(rows.rows).toEqual([{ valid_from: new Date('2026-02-01T00:00:00Z'), valid_to: null }]);
  });

  it('stores tracking events that waited for a tenant once Stripe brings the customer', async () => {
    const r = await fetch(`${svc.url}/api/v1/integrations/segment/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${TEST_TOKENS.admin}:`).toString('base64')}` },
      body: JSON.stringify({
        batch: [
          {
            type: 'track',
            messageId: 'early-1',
            userId: 'u-m',
            event: 'report.exported',
            timestamp: new Date().toISOString(),
            context: { groupId: 'cus_M' },
          },
        ],
      }),
    });
    expect(await r.json()).toMatchObject({ rejected: 1, rejections: [{ reason: 'unknown_tenant', tenantId: 'cus_M' }] });
    await ok(event('customer.created', customer('cus_M', at('2026-02-01T00:00:00Z')), at('2026-02-01T00:00:00Z')));
    expect((await db.pool.query(`SELECT tenant_id FROM events WHERE id = 'segment:early-1'`)).rows).toEqual([{ tenant_id: 'cus_M' }]);
  });
});
