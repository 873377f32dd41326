import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureFailure = { reason: 'signature' | 'timestamp'; message: string };

/**
 * Stripe's webhook signature: the header "t=<unix seconds>,v1=<hex>[,v1=...]" where each v1 is
 * HMAC-SHA256(secret, "<t>.<raw body>"). Valid when some v1 matches some configured secret (two
 * during a secret roll) and t is within the tolerance of now (a replayed old delivery is refused).
 * Returns the timestamp, or why the request is refused.
 */
export function verifyStripeSignature(
  rawBody: Buffer,
  header: string | undefined,
  secrets: readonly string[],
  toleranceSeconds: number,
  nowMs: number,
): { ok: true; timestamp: number } | ({ ok: false } & SignatureFailure) {
  if (secrets.length === 0) {
    return { ok: false, reason: 'signature', message: 'no Stripe webhook secret configured (integrations.stripe.webhookSecrets)' };
  }
  if (!header) return { ok: false, reason: 'signature', message: 'missing Stripe-Signature header' };
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d+$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(Buffer.from(value, 'hex'));
  }
  if (timestamp === undefined || signatures.length === 0) {
    return { ok: false, reason: 'signature', message: 'Stripe-Signature header has no timestamp or no v1 signature' };
  }
  const signedPayload = Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), rawBody]);
  let matched = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(signedPayload).digest();
    // Every pair is compared so that the time taken does not say which secret or signature was close.
    for (const s of signatures) if (timingSafeEqual(expected, s)) matched = true;
  }
  if (!matched) return { ok: false, reason: 'signature', message: 'no Stripe signature matches the payload and a configured secret' };
  const ageSeconds = Math.abs(nowMs / 1000 - timestamp);
  if (ageSeconds > toleranceSeconds) {
    return {
      ok: false,
      reason: 'timestamp',
      message: `Stripe signature timestamp is ${Math.round(ageSeconds)} s from now, over the ${toleranceSeconds} s tolerance`,
    };
  }
  return { ok: true, timestamp };
}
