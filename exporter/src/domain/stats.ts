/**
 * The few statistical functions the experiment query needs, implemented here rather than pulled
 * in as a dependency: the standard normal CDF (via erfc) and the chi-square survival function
 * (via the regularized upper incomplete gamma function, Numerical Recipes 6.2).
 */

/** Complementary error function, fractional error < 1.2e-7 everywhere (Numerical Recipes erfcc). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** P(Z > |z|) * 2 for a standard normal Z: the two-sided p-value of a z statistic. */
export function twoSidedPValue(z: number): number {
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

// Lanczos coefficients as published (Numerical Recipes gammln); the last digits are below double precision.
/* eslint-disable no-loss-of-precision */
function logGamma(x: number): number {
  const c = [76.18009172947146, -86.50532032941677, 24.01409824083091, -1.231739572450155, 0.1208650973866179e-2, -0.5395239384953e-5];
  let y = x;
  const tmp = x + 5.5 - (x + 0.5) * Math.log(x + 5.5);
  let ser = 1.000000000190015;
  for (const ci of c) ser += ci / ++y;
  return -tmp + Math.log((2.5066282746310005 * ser) / x);
}
/* eslint-enable no-loss-of-precision */

/** Regularized upper incomplete gamma Q(a, x). */
export function gammaQ(a: number, x: number): number {
  if (x < 0 || a <= 0) throw new Error('gammaQ: x must be >= 0 and a > 0');
  if (x === 0) return 1;
  const gln = logGamma(a);
  if (x < a + 1) {
    // series for P(a, x), then Q = 1 - P
    let ap = a;
    let sum = 1 / a;
    let del = sum;
    for (let n = 0; n < 1000; n++) {
      del *= x / ++ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * 1e-15) break;
    }
    return 1 - sum * Math.exp(-x + a * Math.log(x) - gln);
  }
  // continued fraction for Q(a, x) (modified Lentz)
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return Math.exp(-x + a * Math.log(x) - gln) * h;
}

/** P(X > stat) for X chi-square with `dof` degrees of freedom. */
export function chiSquarePValue(stat: number, dof: number): number {
  return gammaQ(dof / 2, stat / 2);
}

export interface Proportion {
  n: number;
  x: number;
}

/** Two-proportion z-test with pooled standard error; undefined when it cannot be computed. */
export function twoProportionZTest(control: Proportion, variant: Proportion): { z: number; pValue: number } | undefined {
  if (control.n === 0 || variant.n === 0) return undefined;
  const pooled = (control.x + variant.x) / (control.n + variant.n);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / control.n + 1 / variant.n));
  if (se === 0) return undefined;
  const z = (variant.x / variant.n - control.x / control.n) / se;
  return { z, pValue: twoSidedPValue(z) };
}

/** Chi-square goodness-of-fit of counts against an equal split (sample ratio mismatch). */
export function equalSplitChiSquare(counts: readonly number[]): { stat: number; pValue: number } | undefined {
  const total = counts.reduce((a, b) => a + b, 0);
  if (counts.length < 2 || total === 0) return undefined;
  const expected = total / counts.length;
  const stat = counts.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
  return { stat, pValue: chiSquarePValue(stat, counts.length - 1) };
}
