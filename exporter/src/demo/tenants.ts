import {
  CHANNEL_WEIGHTS,
  Channel,
  CHURN_REASON_WEIGHTS,
  INTERVAL_DISCOUNT,
  INTERVAL_WEIGHTS,
  MONTHLY_LIST_CENTS,
  PAID_PLANS,
  PaidPlan,
  Plan,
  PLAN_RANK,
  REGION_WEIGHTS,
  Segment,
  SEGMENT_MONTHLY_CHURN,
  SEGMENT_PLAN_WEIGHTS,
  SEGMENT_UNITS,
  SEGMENT_WEIGHTS,
} from './catalog';
import { Random } from './random';
import { addMonths, DAY_MS } from './time';

export interface SubscriptionModel {
  id: string;
  tenantId: string;
  plan: PaidPlan;
  status: 'trialing' | 'active' | 'past_due';
  amountCents: number;
  intervalMonths: number;
  fromMs: number;
  toMs: number | null;
}

export interface TenantModel {
  id: string;
  name: string;
  plan: Plan;
  segment: Segment;
  channel: Channel;
  region: string;
  createdMs: number;
  churnedMs: number | null;
  churnReason: string | null;
  subscriptions: SubscriptionModel[];
  /** Spans in which the tenant is a customer (free or paying): its users are active only then. */
  aliveSpans: Array<[number, number]>;
  /** First instant with MRR > 0 (CAC counts the tenant in that month). */
  firstPaidMs: number | null;
}

const TRIAL_DAYS = 14;
/** Sign-ups grow over the history: the last month has about this many times the first month's. */
const SIGNUP_GROWTH = 2.6;

const NAME_A = ['Blue', 'Bright', 'North', 'Silver', 'Rapid', 'Green', 'Iron', 'Clear', 'Urban', 'Summit', 'Nova', 'Cedar'];
const NAME_B = ['Harbor', 'Peak', 'Field', 'Stone', 'River', 'Pixel', 'Forge', 'Bridge', 'Orbit', 'Maple', 'Signal', 'Lane'];
const NAME_C = ['Labs', 'Systems', 'Studio', 'Group', 'Works', 'Analytics', 'Partners', 'Logistics', 'Health', 'Retail'];

/** Tenants with their full subscription history, in sign-up order (ids follow that order). */
export function generateTenants(seed: number, count: number, startMs: number, nowMs: number): TenantModel[] {
  const r = Random.stream(seed, 'tenants');
  const span = nowMs - startMs;
  const g = Math.log(SIGNUP_GROWTH);
  const created = Array.from({ length: count }, () => {
    const x = Math.log(1 + r.next() * (Math.exp(g) - 1)) / g;
    return startMs + Math.floor(x * span * 0.999);
  }).sort((a, b) => a - b);
  return created.map((createdMs, i) => {
    const segment = r.weighted(SEGMENT_WEIGHTS);
    const tenant: TenantModel = {
      id: `tn_${String(i + 1).padStart(5, '0')}`,
      name: `${r.pick(NAME_A)} ${r.pick(NAME_B)} ${r.pick(NAME_C)}`,
      plan: 'free',
      segment,
      channel: r.weighted(CHANNEL_WEIGHTS),
      region: r.weighted(REGION_WEIGHTS),
      createdMs,
      churnedMs: null,
      churnReason: null,
      subscriptions: [],
      aliveSpans: [],
      firstPaidMs: null,
    };
    new Lifecycle(r, tenant, nowMs).run();
    return tenant;
  });
}

/**
 * One tenant's story: an optional 14-day trial, conversion or the free plan, then at each billing
 * boundary a chance of cancellation, a failed payment (past_due), an upgrade, a downgrade or a
 * seat change; cancelled tenants sometimes come back.
 */
class Lifecycle {
  private plan: PaidPlan;
  private units: number;
  private intervalMonths: number;
  private readonly priceFactor: number;
  private aliveFrom: number;

  constructor(
    private readonly r: Random,
    private readonly t: TenantModel,
    private readonly nowMs: number,
  ) {
    this.plan = r.weighted(SEGMENT_PLAN_WEIGHTS[t.segment]);
    const [lo, hi] = SEGMENT_UNITS[t.segment];
    this.units = r.int(lo, hi);
    this.intervalMonths = Number(r.weighted(INTERVAL_WEIGHTS));
    // Discounts for some, negotiated prices for enterprise deals.
    this.priceFactor = (r.chance(0.25) ? r.pick([0.9, 0.8]) : 1) * (this.plan === 'enterprise' ? r.between(0.8, 1.6) : 1);
    this.aliveFrom = t.createdMs;
  }

  run(): void {
    const { r, t, nowMs } = this;
    let at = t.createdMs;
    if (r.chance(0.7)) {
      this.open('trialing', at, r.chance(0.5) ? 0 : this.priceCents());
      const trialEnd = at + TRIAL_DAYS * DAY_MS;
      if (trialEnd > nowMs) return this.finish();
      this.close(trialEnd);
      at = trialEnd;
      if (r.chance(t.segment === 'smb' ? 0.55 : 0.7)) return this.paid(at);
    } else if (r.chance(0.35)) {
      return this.paid(at);
    }
    this.free(at);
  }

  private free(from: number): void {
    const { r, nowMs } = this;
    for (let at = addMonths(from, 1); at <= nowMs; at = addMonths(at, 1)) {
      if (r.chance(0.035)) {
        this.plan = 'starter';
        this.units = 1;
        return this.paid(at);
      }
      if (r.chance(0.03)) return this.churn(at, r.weighted({ no_longer_needed: 3, missing_feature: 1, switched_competitor: 1 }), false);
    }
    this.finish();
  }

  private paid(from: number): void {
    const { r, t, nowMs } = this;
    this.open('active', from, this.priceCents());
    t.firstPaidMs ??= from;
    const hazard = SEGMENT_MONTHLY_CHURN[t.segment];
    for (let at = addMonths(from, this.intervalMonths); at <= nowMs; at = addMonths(at, this.intervalMonths)) {
      const k = this.intervalMonths;
      if (r.chance(1 - Math.pow(1 - hazard, k))) return this.churn(at, r.weighted(CHURN_REASON_WEIGHTS), true);
      if (r.chance(0.03)) {
        // Failed renewal: past_due for a few days, then paid again or cancelled.
        this.change('past_due', at);
        const settled = at + r.int(3, 20) * DAY_MS;
        if (settled > nowMs) return this.finish();
        if (r.chance(0.2)) return this.churn(settled, 'payment_failed', true);
        this.change('active', settled);
        continue;
      }
      const rank = PLAN_RANK[this.plan];
      if (rank < 3 && r.chance(0.03 * Math.sqrt(k))) {
        this.plan = PAID_PLANS[rank] as PaidPlan;
        this.change('active', at);
      } else if (rank > 1 && r.chance(0.012 * Math.sqrt(k))) {
        this.plan = PAID_PLANS[rank - 2] as PaidPlan;
        this.change('active', at);
      } else if (r.chance(0.05)) {
        this.units++;
        this.change('active', at);
      } else if (this.units > 1 && r.chance(0.02)) {
        this.units--;
        this.change('active', at);
      }
    }
    this.finish();
  }

  private churn(at: number, reason: string, wasPaying: boolean): void {
    const { r, t, nowMs } = this;
    this.close(at);
    t.aliveSpans.push([this.aliveFrom, at]);
    t.churnedMs = at;
    t.churnReason = reason;
    const back = at + r.int(20, 180) * DAY_MS;
    if (wasPaying && r.chance(0.15) && back <= nowMs) {
      t.churnedMs = null;
      t.churnReason = null;
      this.aliveFrom = back;
      if (this.plan !== 'starter' && r.chance(0.4)) this.plan = PAID_PLANS[PLAN_RANK[this.plan] - 2] as PaidPlan;
      this.intervalMonths = 1;
      this.paid(back);
      return;
    }
    this.finishPlan();
  }

  private finish(): void {
    this.t.aliveSpans.push([this.aliveFrom, Number.POSITIVE_INFINITY]);
    this.finishPlan();
  }

  /** The tenant's `plan`: the plan in force now, else the last paid plan (churned), else free. */
  private finishPlan(): void {
    const subs = this.t.subscriptions;
    const last = subs[subs.length - 1];
    const everPaid = this.t.firstPaidMs !== null;
    this.t.plan = last && (last.toMs === null || everPaid) ? last.plan : 'free';
  }

  private priceCents(): number {
    const k = this.intervalMonths;
    const discount = INTERVAL_DISCOUNT[k] ?? 1;
    return Math.round(MONTHLY_LIST_CENTS[this.plan] * this.units * k * discount * this.priceFactor);
  }

  private open(status: SubscriptionModel['status'], from: number, amountCents: number): void {
    const subs = this.t.subscriptions;
    subs.push({
      id: `sub_${this.t.id.slice(3)}_${subs.length + 1}`,
      tenantId: this.t.id,
      plan: this.plan,
      status,
      amountCents,
      intervalMonths: this.intervalMonths,
      fromMs: from,
      toMs: null,
    });
  }

  private close(at: number): void {
    const last = this.t.subscriptions[this.t.subscriptions.length - 1];
    if (last && last.toMs === null) last.toMs = at;
  }

  /** Ends the current row and starts the next priced state at the same instant. */
  private change(status: SubscriptionModel['status'], at: number): void {
    this.close(at);
    this.open(status, at, this.priceCents());
  }
}

/** True when the tenant is a customer at `ms`. */
export function isAlive(t: TenantModel, ms: number): boolean {
  for (const [from, to] of t.aliveSpans) if (ms >= from && ms < to) return true;
  return false;
}
