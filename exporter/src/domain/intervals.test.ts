import { riskRatioKatz, wilsonInterval } from './intervals';

it('Wilson interval matches published values', () => {
  // 81 of 263 (Wilson 1927 style check, as computed by statsmodels proportion_confint method="wilson")
  const w = wilsonInterval(81, 263);
  expect(w?.low).toBeCloseTo(0.2553, 4);
  expect(w?.high).toBeCloseTo(0.3662, 4);
  expect(wilsonInterval(0, 10)?.low).toBe(0);
  expect(wilsonInterval(10, 10)?.high).toBe(1);
  expect(wilsonInterval(0, 0)).toBeUndefined();
});

it('Katz risk ratio interval', () => {
  // 30/100 vs 10/100: RR 3, se = sqrt(1/30 - 1/100 + 1/10 - 1/100) = sqrt(0.113333)
  const r = riskRatioKatz(30, 100, 10, 100);
  const se = Math.sqrt(1 / 30 - 1 / 100 + 1 / 10 - 1 / 100);
  expect(r?.ratio).toBeCloseTo(3, 12);
  expect(r?.low).toBeCloseTo(3 * Math.exp(-1.959963984540054 * se), 12);
  expect(r?.low).toBeCloseTo(1.5508, 3);
  expect(r?.high).toBeCloseTo(5.8033, 3);
  expect(riskRatioKatz(0, 10, 3, 10)).toBeUndefined();
  expect(riskRatioKatz(3, 10, 3, 0)).toBeUndefined();
});
