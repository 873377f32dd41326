import { PLAN_ENGAGEMENT, USER_ROLE_WEIGHTS, SEGMENT_USER_WEIGHT } from './catalog';
import { DemoExperiment, assignExperiments, ExperimentAssignment } from './experiments';
import { Random } from './random';
import { isAlive, TenantModel } from './tenants';
import { DAY_MS, MINUTE_MS } from './time';

export interface UserModel {
  id: string;
  tenant: TenantModel;
  email: string | null;
  role: string;
  createdMs: number;
  activatedMs: number | null;
  referredBy: string | null;
  deletedMs: number | null;
  /** The user stops using the product at this instant (lost interest, left, erased). */
  endMs: number;
  /** Daily activity multiplier (plan and person). */
  engagement: number;
}

export interface UsersAndAssignments {
  users: UserModel[];
  assignments: ExperimentAssignment[];
}

// About 40% of a cohort activates within 7 days (the KPI target), clear of the 30% alert.
const BASE_ACTIVATION = 0.56;
const OWNER_ACTIVATION = 0.72;
/** Mean days an activated user keeps coming back; a user who never activates drifts off sooner. */
const ACTIVATED_LIFETIME_DAYS = 170;
const UNACTIVATED_LIFETIME_DAYS = 20;
const DELETED_SHARE = 0.005;

/**
 * Users per tenant (bigger segments and older tenants have more), sign-ups spread over the
 * tenant's life (front-loaded: teams invite early), activation within days for a share of them,
 * and experiment assignments at sign-up: the onboarding experiment's treatment really activates
 * more users, which is the lift its result shows.
 */
export function generateUsers(
  seed: number,
  tenants: readonly TenantModel[],
  total: number,
  experiments: readonly DemoExperiment[],
  nowMs: number,
): UsersAndAssignments {
  const r = Random.stream(seed, 'users');
  const weights = tenants.map((t) => {
    const lastAlive = Math.min(nowMs, aliveEnd(t));
    const ageYears = Math.max(0, lastAlive - t.createdMs) / (365 * DAY_MS);
    return SEGMENT_USER_WEIGHT[t.segment] * r.logNormal(0.5) * (0.3 + Math.sqrt(ageYears));
  });
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const users: UserModel[] = [];
  const assignments: ExperimentAssignment[] = [];
  const ownersSoFar: string[] = [];

  tenants.forEach((t, ti) => {
    const n = Math.max(1, Math.round((total * (weights[ti] as number)) / weightSum));
    const end = Math.min(nowMs, aliveEnd(t));
    const createdTimes = [t.createdMs + r.int(0, 10) * MINUTE_MS];
    for (let k = 1; k < n; k++) createdTimes.push(intoAliveSpan(t, t.createdMs + (end - t.createdMs) * Math.pow(r.next(), 1.6)));
    // Never in the future, even when a comeback starts right before now.
    createdTimes.sort((a, b) => a - b).forEach((ms, k) => (createdTimes[k] = Math.min(ms, nowMs - MINUTE_MS)));
    let ownerId = '';
    createdTimes.forEach((createdMs, k) => {
      const id = `u_${String(users.length + 1).padStart(6, '0')}`;
      const owner = k === 0;
      if (owner) ownerId = id;
      const referredBy = owner
        ? t.channel === 'referral' && ownersSoFar.length
          ? r.pick(ownersSoFar)
          : null
        : r.chance(0.35)
          ? ownerId
          : null;
      const lift = assignExperiments(r, experiments, id, createdMs, nowMs, assignments);
      const activationChance = (owner ? OWNER_ACTIVATION : BASE_ACTIVATION) * lift * (t.plan === 'free' ? 0.85 : 1);
      let activatedMs: number | null = null;
      if (r.chance(activationChance)) {
        const delay = r.chance(0.8) ? r.exponential(0.8 * DAY_MS) : r.between(2, 25) * DAY_MS;
        activatedMs = createdMs + Math.round(delay);
      }
      const lifetime = r.exponential((activatedMs ? ACTIVATED_LIFETIME_DAYS : UNACTIVATED_LIFETIME_DAYS) * DAY_MS);
      let endMs = Math.min(createdMs + Math.max(lifetime, DAY_MS), aliveEnd(t));
      let deletedMs: number | null = null;
      if (r.chance(DELETED_SHARE)) {
        deletedMs = Math.min(nowMs, createdMs + Math.round(r.between(1, 200) * DAY_MS));
        endMs = Math.min(endMs, deletedMs);
      }
      if (activatedMs !== null && (activatedMs > Math.min(endMs, nowMs) || !isAlive(t, activatedMs))) activatedMs = null;
      users.push({
        id,
        tenant: t,
        email: deletedMs === null ? `user${users.length + 1}@${t.id.replace('_', '')}.example.com` : null,
        role: owner ? 'owner' : r.weighted(USER_ROLE_WEIGHTS),
        createdMs,
        activatedMs,
        referredBy,
        deletedMs,
        endMs,
        engagement: PLAN_ENGAGEMENT[t.plan] * r.between(0.8, 1.2),
      });
    });
    ownersSoFar.push(ownerId);
  });
  return { users, assignments };
}

function aliveEnd(t: TenantModel): number {
  const last = t.aliveSpans[t.aliveSpans.length - 1];
  return last ? last[1] : t.createdMs;
}

/** Moves an instant that falls between two alive spans to the start of the next one. */
function intoAliveSpan(t: TenantModel, ms: number): number {
  for (const [from, to] of t.aliveSpans) {
    if (ms < from) return from + 3_600_000;
    if (ms < to) return ms;
  }
  return ms;
}
