/**
 * Confidence intervals for shares and their ratio (docs/metrics.md "Features and retention"), so
 * that "3x more likely to retain" comes with the range the data supports.
 */

/** The 97.5% quantile of the standard normal: 95% two-sided intervals. */
export const Z_95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/** Wilson score interval of x successes out of n; undefined when n is 0. */
export function wilsonInterval(x: number, n: number, z = Z_95): Interval | undefined {
  if (n === 0) return undefined;
  const p = x / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At x = 0 and x = n the bounds are exactly 0 and 1 (rounding would leave 1e-16 off).
  return { low: x === 0 ? 0 : Math.max(0, centre - half), high: x === n ? 1 : Math.min(1, centre + half) };
}

export interface RiskRatio extends Interval {
  ratio: number;
}

/**
 * Risk ratio (a/n1) / (c/n2) with the Katz log interval: ln RR +- z * sqrt(1/a - 1/n1 + 1/c - 1/n2).
 * Undefined when either group is empty or has no success (the log interval does not exist).
 */
export function riskRatioKatz(a: number, n1: number, c: number, n2: number, z = Z_95): RiskRatio | undefined {
  if (n1 === 0 || n2 === 0 || a === 0 || c === 0) return undefined;
  const ratio = a / n1 / (c / n2);
  const se = Math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2);
  return { ratio, low: Math.exp(Math.log(ratio) - z * se), high: Math.exp(Math.log(ratio) + z * se) };
}
