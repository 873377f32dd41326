import { NPS_COMMENTS } from './catalog';
import { CopyRow } from './copy';
import { Random } from './random';
import { isAlive, TenantModel } from './tenants';
import { addMonths, DAY_MS, HOUR_MS, iso } from './time';
import { UserModel } from './users';

const NPS_RESPONSE_SHARE = 0.15;
/** Tickets per tenant per month, by segment. */
const TICKETS_PER_MONTH = { smb: 0.3, mid: 1, enterprise: 2.5 } as const;
const PRIORITY_WEIGHTS = { urgent: 5, high: 15, normal: 55, low: 25 } as const;
/** Mean hours to resolve, by priority. */
const RESOLUTION_HOURS = { urgent: 5, high: 14, normal: 50, low: 120 } as const;

/** NPS responses from a share of users some weeks after sign-up; engaged users score higher. */
export function* npsRows(seed: number, users: readonly UserModel[], nowMs: number): Generator<CopyRow> {
  const r = Random.stream(seed, 'nps');
  let n = 0;
  for (const u of users) {
    if (!r.chance(NPS_RESPONSE_SHARE)) continue;
    const at = u.createdMs + Math.round(r.between(14, 120) * DAY_MS);
    if (at > Math.min(nowMs, u.endMs)) continue;
    const promoter = u.activatedMs !== null ? 0.55 : 0.35;
    const x = r.next();
    const score = x < promoter ? r.int(9, 10) : x < promoter + 0.3 ? r.int(7, 8) : r.int(0, 6);
    const comment = r.chance(0.2) ? r.pick(NPS_COMMENTS) : null;
    yield [`nps_${++n}`, u.tenant.id, u.id, score, comment, iso(at)];
  }
}

/** Support tickets over each tenant's life; recent ones are often still open. */
export function* ticketRows(seed: number, tenants: readonly TenantModel[], nowMs: number): Generator<CopyRow> {
  const r = Random.stream(seed, 'tickets');
  let n = 0;
  for (const t of tenants) {
    for (let month = t.createdMs; month <= nowMs; month = addMonths(month, 1)) {
      const count = r.poisson(TICKETS_PER_MONTH[t.segment]);
      for (let k = 0; k < count; k++) {
        const opened = month + r.int(0, 30 * DAY_MS);
        if (opened > nowMs || !isAlive(t, opened)) continue;
        const priority = r.weighted(PRIORITY_WEIGHTS);
        // A few tickets get stuck; the rest are resolved after an exponential wait.
        const resolved = r.chance(0.01) ? null : opened + Math.round(r.exponential(RESOLUTION_HOURS[priority] * HOUR_MS));
        yield [`tkt_${++n}`, t.id, priority, iso(opened), resolved !== null && resolved <= nowMs ? iso(resolved) : null];
      }
    }
  }
}
