import { Channel, CHANNEL_CAC_CENTS, CHANNEL_WEIGHTS } from './catalog';
import { CopyRow } from './copy';
import { Random } from './random';
import { TenantModel } from './tenants';
import { addMonths, startOfMonth } from './time';

/** Fixed monthly spend per channel (content, tooling, partner fees) on top of acquisition cost. */
const BASE_SPEND_CENTS: Record<Channel, number> = { organic: 150_000, paid: 300_000, referral: 50_000, partner: 100_000 };

/**
 * Spend per channel per month, from history start to the current month: the channel's cost per
 * new paying tenant times the tenants that first paid that month (so CAC lands near the
 * channel's CHANNEL_CAC_CENTS), with noise, plus a base.
 */
export function* marketingSpendRows(seed: number, tenants: readonly TenantModel[], startMs: number, nowMs: number): Generator<CopyRow> {
  const r = Random.stream(seed, 'marketing');
  const newPaying = new Map<string, number>();
  for (const t of tenants) {
    if (t.firstPaidMs === null) continue;
    const key = `${t.channel}|${startOfMonth(t.firstPaidMs)}`;
    newPaying.set(key, (newPaying.get(key) ?? 0) + 1);
  }
  const scale = tenants.length / 1_000;
  for (let month = startOfMonth(startMs); month <= nowMs; month = addMonths(month, 1)) {
    for (const channel of Object.keys(CHANNEL_WEIGHTS) as Channel[]) {
      const acquired = newPaying.get(`${channel}|${month}`) ?? 0;
      const cents = Math.round(
        BASE_SPEND_CENTS[channel] * scale * r.between(0.8, 1.2) + acquired * CHANNEL_CAC_CENTS[channel] * r.between(0.8, 1.25),
      );
      yield [channel, new Date(month).toISOString().slice(0, 10), centsText(cents)];
    }
  }
}

/** Exact two-decimal text of an integer number of cents. */
export function centsText(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
