import { ACTIVATION_EVENT, FEATURES, PLAN_RANK, SESSION_EVENT, SYSTEM_EVENT } from './catalog';
import { Random } from './random';
import { isAlive } from './tenants';
import { DAY_MS, HOUR_MS, MINUTE_MS, startOfDay } from './time';
import { UserModel } from './users';

/**
 * Daily return probability by user age in days: activated users settle on a plateau, the others
 * fade within days. Calibrated for D7 ~0.27 and D30 ~0.17 on a typical cohort (targets 0.25 and
 * 0.15, alerts below 0.20 and 0.12).
 */
export function returnProbability(u: UserModel, ageDays: number): number {
  const base = u.activatedMs !== null ? 0.45 + 0.4 * Math.exp(-ageDays / 8) : 0.03 + 0.3 * Math.exp(-ageDays / 3);
  return Math.min(1, base * u.engagement);
}

/** Share of active days that also carry a tenant-level background event (no user). */
const SYSTEM_EVENT_SHARE = 0.03;
/** Relative sessions per hour of the UTC day (a business-hours hump). */
const HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 3, 6, 9, 10, 10, 9, 8, 9, 10, 9, 8, 6, 4, 3, 2, 2, 1, 1];

function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => (out[i] = sum += w));
  return out.map((x) => x / sum);
}

function pickIndex(cum: Float64Array, x: number): number {
  let i = 0;
  while (i < cum.length - 1 && (cum[i] as number) <= x) i++;
  return i;
}

const HOUR_CUM = cumulative(HOUR_WEIGHTS);
/** Per plan rank, the features it has and their cumulative weights. */
const FEATURES_BY_RANK = [0, 1, 2, 3].map((rank) => {
  const list = FEATURES.filter((f) => !f.minPlan || PLAN_RANK[f.minPlan] <= Math.max(rank, 1));
  return { names: list.map((f) => f.name), cum: cumulative(list.map((f) => f.weight)) };
});

/** Whether day number `d` (0 = sign-up day) starting at `day` can be active: the tenant is alive. */
function mayBeActive(u: UserModel, d: number, day: number): boolean {
  return d === 0 || isAlive(u.tenant, day + DAY_MS / 2);
}

/** Expected number of active days over all users: the generator scales events per day from it. */
export function expectedActiveDays(users: readonly UserModel[], nowMs: number): number {
  let sum = 0;
  for (const u of users) {
    const last = Math.min(u.endMs, nowMs);
    for (let d = 0, day = startOfDay(u.createdMs); day <= last; d++, day += DAY_MS) {
      if (mayBeActive(u, d, day)) sum += d === 0 ? 1 : returnProbability(u, d);
    }
  }
  return sum;
}

export interface EventCounter {
  rows: number;
}

const YIELD_CHARS = 1 << 16;

/**
 * Event rows (COPY text), day by day in time order (so each day's rows go to one monthly partition
 * and its indexes grow at the end), users in sign-up order within a day. A user's active day is a
 * session that starts with a login at a business-hours time, then features of the tenant's plan
 * a few minutes apart. Each user draws from their own random stream, so the rows do not depend on
 * the iteration order. Only the list of currently active users is held, never the rows.
 */
export function* eventLines(
  seed: number,
  users: readonly UserModel[],
  nowMs: number,
  eventsPerActiveDay: number,
  counter: EventCounter,
): Generator<string> {
  const order = users.map((_, i) => i).sort((a, b) => (users[a] as UserModel).createdMs - (users[b] as UserModel).createdMs || a - b);
  const streams = new Map<number, Random>();
  let active: number[] = [];
  let next = 0;
  let seq = 0;
  const extra = Math.max(0, eventsPerActiveDay - 1);
  const line = (tenantId: string, userId: string, name: string, ms: number, props: string) => {
    counter.rows++;
    return `ev_${(++seq).toString(36).padStart(7, '0')}\t${tenantId}\t${userId}\t${name}\t${new Date(ms).toISOString()}\t${props}\n`;
  };
  const firstUser = users[order[0] ?? -1];
  if (!firstUser) return;
  let out = '';
  for (let day = startOfDay(firstUser.createdMs); day <= nowMs; day += DAY_MS) {
    for (; next < order.length && startOfDay((users[order[next] as number] as UserModel).createdMs) <= day; next++) {
      const i = order[next] as number;
      active.push(i);
      streams.set(i, Random.stream(seed, `events:${(users[i] as UserModel).id}`));
    }
    const still: number[] = [];
    for (const i of active) {
      const u = users[i] as UserModel;
      if (day > Math.min(u.endMs, nowMs)) {
        streams.delete(i);
        continue;
      }
      still.push(i);
      const d = Math.round((day - startOfDay(u.createdMs)) / DAY_MS);
      if (!mayBeActive(u, d, day)) continue;
      out += userDay(streams.get(i) as Random, u, d, day, nowMs, extra, line);
      if (out.length >= YIELD_CHARS) {
        yield out;
        out = '';
      }
    }
    active = still;
  }
  if (out) yield out;
}

type LineFn = (tenantId: string, userId: string, name: string, ms: number, props: string) => string;

/** One user's rows for one day (empty when they do not come back that day). */
function userDay(r: Random, u: UserModel, d: number, day: number, nowMs: number, extra: number, line: LineFn): string {
  const t = u.tenant;
  const activationDay = u.activatedMs === null ? -1 : startOfDay(u.activatedMs);
  if (d > 0 && day !== activationDay && !r.chance(returnProbability(u, d))) return '';
  const features = FEATURES_BY_RANK[PLAN_RANK[t.plan]] as { names: string[]; cum: Float64Array };
  const dayEnd = Math.min(day + DAY_MS, nowMs + 1);
  let out = '';
  let at =
    d === 0 ? u.createdMs + Math.round(r.exponential(3 * MINUTE_MS)) : day + pickIndex(HOUR_CUM, r.next()) * HOUR_MS + r.int(0, 3_599_999);
  const count = 1 + r.poisson(extra);
  for (let i = 0; i < count && at < dayEnd; i++) {
    let name = i === 0 ? SESSION_EVENT : (features.names[pickIndex(features.cum, r.next())] as string);
    // Nobody builds a workflow before their activation moment (which is their first one).
    if (name === ACTIVATION_EVENT && (u.activatedMs === null || at <= u.activatedMs)) name = 'dashboard.viewed';
    out += line(t.id, u.id, name, at, propertiesOf(r, name));
    at += 1_000 + Math.round(r.exponential(4 * MINUTE_MS));
  }
  if (day === activationDay && u.activatedMs !== null) out += line(t.id, u.id, ACTIVATION_EVENT, u.activatedMs, '{}');
  if (r.chance(SYSTEM_EVENT_SHARE)) {
    const sysAt = day + r.int(0, DAY_MS - 1);
    if (sysAt <= nowMs) out += line(t.id, '\\N', SYSTEM_EVENT, sysAt, '{}');
  }
  return out;
}

function propertiesOf(r: Random, name: string): string {
  switch (name) {
    case 'report.exported':
      return `{"format": "${r.pick(['pdf', 'csv', 'xlsx'])}"}`;
    case 'api.called':
      return `{"status": ${r.chance(0.97) ? 200 : 500}}`;
    default:
      return '{}';
  }
}
