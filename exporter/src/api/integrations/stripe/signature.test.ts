import { verifyStripeSignature } from './signature';
import { stripe, WEBHOOK_SECRET } from './stripe-fixtures';

const body = JSON.stringify({ id: 'evt_1', object: 'event', type: 'customer.created' });
const now = 1_780_000_000;
const header = (opts: { payload?: string; secret?: string; timestamp?: number; scheme?: string } = {}) =>
  stripe.webhooks.generateTestHeaderString({
    payload: opts.payload ?? body,
    secret: opts.secret ?? WEBHOOK_SECRET,
    timestamp: opts.timestamp ?? now,
    scheme: opts.scheme,
  });
const verify = (h: string | undefined, raw = body, secrets = [WEBHOOK_SECRET], at = now) =>
  verifyStripeSignature(Buffer.from(raw), h, secrets, 300, at * 1000);

it('accepts what Stripe signs, as Stripe itself verifies it', () => {
  const h = header();
  expect(stripe.webhooks.constructEvent(body, h, WEBHOOK_SECRET, 300, undefined, now).id).toBe('evt_1');
  expect(verify(h)).toEqual({ ok: true, timestamp: now });
});

it('refuses a changed body, another secret, an old or future timestamp, and a v0-only header', () => {
  expect(verify(header(), body.replace('evt_1', 'evt_2'))).toMatchObject({ ok: false, reason: 'signature' });
  expect(verify(header({ secret: 'whsec_other' }))).toMatchObject({ ok: false, reason: 'signature' });
  expect(verify(header({ timestamp: now - 301 }))).toMatchObject({ ok: false, reason: 'timestamp' });
  expect(verify(header({ timestamp: now + 301 }))).toMatchObject({ ok: false, reason: 'timestamp' });
  expect(verify(header({ scheme: 'v0' }))).toMatchObject({ ok: false, reason: 'signature' });
  expect(verify(undefined)).toMatchObject({ ok: false, message: 'missing Stripe-Signature header' });
  expect(verify(header(), body, [])).toMatchObject({ ok: false, message: expect.stringMatching(/no Stripe webhook secret configured/) });
});

it('accepts any of several signatures and secrets (a secret being rolled)', () => {
  const other = header({ secret: 'whsec_new_one' }).split(',')[1];
  expect(verify(`${header()},${other}`, body, ['whsec_new_one'])).toMatchObject({ ok: true });
  expect(verify(header(), body, ['whsec_new_one', WEBHOOK_SECRET])).toMatchObject({ ok: true });
});
