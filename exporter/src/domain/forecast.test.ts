import { backtest, fitLogLinear, forecastMrr, project } from './forecast';
import { Random } from '../demo/random';
import { studentTQuantile } from './student-t';

it('t quantiles match the tables', () => {
  expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228139, 5);
  expect(studentTQuantile(0.9, 10)).toBeCloseTo(1.372184, 5);
  expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.776445, 5);
  expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062, 3);
  expect(studentTQuantile(0.025, 10)).toBeCloseTo(-2.228139, 5);
});

it('recovers exact exponential growth: zero-width intervals and zero backtest error', () => {
  const series = Array.from({ length: 18 }, (_, k) => 1000 * 1.05 ** k);
  const fit = fitLogLinear(series.slice(6));
  expect(Math.exp(fit?.slope ?? 0) - 1).toBeCloseTo(0.05, 12);
  expect(fit?.sigma).toBeCloseTo(0, 12);
  const [p1] = project(fit!, 11, 12);
  expect(p1?.point).toBeCloseTo(1000 * 1.05 ** 18, 6);
  expect(p1?.lower95).toBeCloseTo(p1?.upper95 ?? 0, 6);
  const bt = backtest(series);
  expect(bt.points.map((p) => p.index)).toEqual([12, 13, 14, 15, 16, 17]);
  expect(bt.mape).toBeCloseTo(0, 12);
});

it('hand-computed fit with noise: slope, residual error and a prediction interval', () => {
  // ln y = x + e with e = [+0.1, -0.1, -0.1, +0.1, +0.1, -0.1] at x = 0..5
  const e = [0.1, -0.1, -0.1, 0.1, 0.1, -0.1];
  const fit = fitLogLinear(e.map((d, x) => Math.exp(x + d)))!;
  // mean x 2.5, sxx 17.5; sxy = sum (x - 2.5)(x + e - mean) = 17.5 + sum (x - 2.5) e = 17.5 + (-0.25 + 0.15 + 0.05 + 0.05 + 0.15 - 0.25) = 17.4
  expect(fit.slope).toBeCloseTo(17.4 / 17.5, 12);
  const residuals = e.map((d, x) => x + d - fit.intercept - fit.slope * x);
  expect(fit.sigma).toBeCloseTo(Math.sqrt(residuals.reduce((s, r) => s + r * r, 0) / 4), 12);
  const [p] = project(fit, 5, 1);
  const se = fit.sigma * Math.sqrt(1 + 1 / 6 + (6 - 2.5) ** 2 / 17.5);
  expect(Math.log(p!.upper95) - Math.log(p!.point)).toBeCloseTo(2.776445 * se, 5);
  expect(Math.log(p!.upper80) - Math.log(p!.point)).toBeCloseTo(1.533206 * se, 5);
});

it('is undefined with fewer than 6 positive months, skipping zeros', () => {
  expect(fitLogLinear([0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5])).toBeUndefined();
  expect(fitLogLinear([0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6])?.n).toBe(6);
  expect(backtest(new Array(18).fill(0)).mape).toBeUndefined();
});

it('on data where the truth is known, the prediction intervals cover it as often as they say', () => {
  // ln MRR = ln 10000 + 0.03 x + N(0, 0.05): 2,000 companies, 12 months fitted, the true value 1
  // and 12 months ahead drawn from the same process.
  const rng = new Random(7);
  const normal = () => rng.normal();
  const trials = 2000;
  const covered = { h1: { p80: 0, p95: 0 }, h12: { p80: 0, p95: 0 } };
  for (let i = 0; i < trials; i++) {
    const truth = (x: number) => Math.exp(Math.log(10_000) + 0.03 * x + 0.05 * normal());
    const fit = fitLogLinear(Array.from({ length: 12 }, (_, x) => truth(x)))!;
    const ahead = project(fit, 11, 12);
    for (const [key, h] of [
      ['h1', 1],
      ['h12', 12],
    ] as const) {
      const p = ahead[h - 1]!;
      const y = truth(11 + h);
      if (y >= p.lower80 && y <= p.upper80) covered[key].p80++;
      if (y >= p.lower95 && y <= p.upper95) covered[key].p95++;
    }
  }
  for (const key of ['h1', 'h12'] as const) {
    expect(covered[key].p80 / trials).toBeGreaterThan(0.77);
    expect(covered[key].p80 / trials).toBeLessThan(0.83);
    expect(covered[key].p95 / trials).toBeGreaterThan(0.93);
    expect(covered[key].p95 / trials).toBeLessThan(0.97);
  }
});

it('the drift model covers the truth of a random walk with drift as often as it says', () => {
  // ln MRR_t = ln MRR_{t-1} + 0.03 + N(0, 0.05): 13 month-ends fitted (12 movements), truth 1 and 12 ahead.
  const rng = new Random(11);
  const trials = 2000;
  const covered = { h1: 0, h12: 0 };
  for (let i = 0; i < trials; i++) {
    const path = [10_000];
    for (let t = 1; t < 13 + 12; t++) path.push((path[t - 1] as number) * Math.exp(0.03 + 0.05 * rng.normal()));
    const fc = forecastMrr('drift', path.slice(0, 13), 12)!;
    for (const [key, h] of [
      ['h1', 1],
      ['h12', 12],
    ] as const) {
      const p = fc.points[h - 1]!;
      const y = path[12 + h] as number;
      if (y >= p.lower95 && y <= p.upper95) covered[key]++;
    }
  }
  expect(covered.h1 / trials).toBeGreaterThan(0.93);
  expect(covered.h1 / trials).toBeLessThan(0.97);
  expect(covered.h12 / trials).toBeGreaterThan(0.93);
  expect(covered.h12 / trials).toBeLessThan(0.97);
});
