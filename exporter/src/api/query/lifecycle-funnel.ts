import { lifecycleFunnel as contract } from '@saasmon/contract';
import { lifecycleByCohort, LifecycleSummary } from '../../domain/lifecycle';
import { readLifecycleTenants } from '../../reads/lifecycle';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';

// Lifecycle of accounts per signup cohort (docs/metrics.md "Lifecycle of accounts"): signup ->
// activated -> first paid -> retained at day N, with trial-to-paid and median times between
// stages; from tenants, users and subscriptions, as known at the query instant.

const rate = { unit: 'percentunit', min: 0, max: 1 };
const days = { unit: 'd', decimals: 1 };

export const lifecycleFunnelQuery = defineQuery({
  ...contract,
  async run(q, { db, now }) {
    const tenants = await readLifecycleTenants(db, now, q);
    const summaries = lifecycleByCohort(tenants);
    const frame = frameFromRows<LifecycleSummary>('lifecycle_funnel', summaries, [
      { name: 'cohort', type: 'time', value: (s) => s.cohortMs },
      { name: 'tenants', type: 'number', value: (s) => s.tenants },
      { name: 'activated', type: 'number', value: (s) => s.activated },
      { name: 'paid', type: 'number', value: (s) => s.paid },
      { name: 'retained', type: 'number', value: (s) => s.retained },
      { name: 'retained_eligible', type: 'number', value: (s) => s.retainedEligible },
      { name: 'activation_rate', type: 'number', value: (s) => s.activationRate, config: rate },
      { name: 'paid_rate', type: 'number', value: (s) => s.paidRate, config: rate },
      { name: 'paid_from_activated', type: 'number', value: (s) => s.paidFromActivated, config: rate },
      { name: 'retained_rate', type: 'number', value: (s) => s.retainedRate, config: rate },
      { name: 'trials', type: 'number', value: (s) => s.trials },
      { name: 'trials_converted', type: 'number', value: (s) => s.trialsConverted },
      { name: 'trial_to_paid', type: 'number', value: (s) => s.trialToPaid, config: rate },
      { name: 'median_days_to_activation', type: 'number', value: (s) => s.medianDaysToActivation, config: days },
      { name: 'median_days_to_paid', type: 'number', value: (s) => s.medianDaysToPaid, config: days },
      { name: 'median_days_activation_to_paid', type: 'number', value: (s) => s.medianDaysActivationToPaid, config: days },
    ]);
    frame.meta = { custom: { retainedDays: q.retainedDays, interval: q.interval } };
    return { frames: [frame] };
  },
});
