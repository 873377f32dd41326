import { healthComponents, healthScore, riskLevel, TenantHealthInputs } from './tenant-health';

const weights = { activity: 0.4, adoption: 0.2, payment: 0.25, support: 0.15 };
const bands = { healthy: 75, watch: 50, atRisk: 25 };
const inputs: TenantHealthInputs = {
  users: 3,
  activeUsers30d: 1,
  eventNames30d: 2,
  allEventNames30d: 8,
  subscriptionStatus: 'active',
  urgentTickets: 1,
  otherTickets: 2,
};

it('computes the four components', () => {
  // 100 * 1/3, 100 * 2/8, active -> 100, 100 - 25 - 20
  expect(healthComponents(inputs)).toEqual({ activity: 100 / 3, adoption: 25, payment: 100, support: 55 });
});

it('gives 0 activity without users, 0 adoption without any event name, and floors support at 0', () => {
  const c = healthComponents({
    ...inputs,
    users: 0,
    activeUsers30d: 0,
    eventNames30d: 0,
    allEventNames30d: 0,
    urgentTickets: 2,
    otherTickets: 6,
  });
  expect(c).toEqual({ activity: 0, adoption: 0, payment: 100, support: 0 });
});

it('charges payment only for past_due; trialing and no subscription (free) are fine', () => {
  expect(healthComponents({ ...inputs, subscriptionStatus: 'past_due' }).payment).toBe(0);
  expect(healthComponents({ ...inputs, subscriptionStatus: 'trialing' }).payment).toBe(100);
  expect(healthComponents({ ...inputs, subscriptionStatus: undefined }).payment).toBe(100);
});

it('rounds the weighted mean to the nearest integer, halves up, whatever the float noise', () => {
  // .4 * 100/3 + .2 * 25 + .25 * 100 + .15 * 55 = 13.333 + 5 + 25 + 8.25 = 51.583 -> 52
  expect(healthScore(healthComponents(inputs), weights)).toBe(52);
  // 0 + 5 + 25 + 13.5 = 43.5 -> 44
  expect(healthScore({ activity: 0, adoption: 25, payment: 100, support: 90 }, weights)).toBe(44);
  // with these weights the mean of four 50.5s computes as 50.49999999999999: still 51
  const all = (v: number) => ({ activity: v, adoption: v, payment: v, support: v });
  expect(healthScore(all(50.5), { activity: 0.7, adoption: 0.1, payment: 0.1, support: 0.1 })).toBe(51);
  expect(healthScore(all(74.49), weights)).toBe(74);
});

it('divides by the sum of the weights, which need not be 1', () => {
  expect(healthScore({ activity: 100, adoption: 0, payment: 0, support: 0 }, { activity: 2, adoption: 2, payment: 0, support: 0 })).toBe(
    50,
  );
  expect(() =>
    healthScore({ activity: 1, adoption: 1, payment: 1, support: 1 }, { activity: 0, adoption: 0, payment: 0, support: 0 }),
  ).toThrow(/weights/);
});

it('maps scores to risk levels at the band edges', () => {
  expect([100, 75, 74, 50, 49, 25, 24, 0].map((s) => riskLevel(s, bands))).toEqual([
    'healthy',
    'healthy',
    'watch',
    'watch',
    'at_risk',
    'at_risk',
    'critical',
    'critical',
  ]);
});
