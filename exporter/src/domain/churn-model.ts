/**
 * Churn risk model (docs/metrics.md "Churn risk"): L2-penalised logistic regression on
 * standardised features, fitted by Newton's method (IRLS), and the measures it is judged by:
 * AUC (Mann-Whitney, ties counted half), Brier score and calibration by probability bins. Plain
 * functions over arrays: the model has a dozen features, so the Newton steps solve a dozen-by-a-
 * dozen system.
 */

export interface Standardiser {
  means: number[];
  sds: number[];
}

/** Column means and standard deviations (a constant column gets sd 1: it standardises to 0). */
export function fitStandardiser(rows: readonly number[][]): Standardiser {
  const k = rows[0]?.length ?? 0;
  const means = new Array<number>(k).fill(0);
  const sds = new Array<number>(k).fill(0);
  for (const r of rows) for (let j = 0; j < k; j++) means[j] = (means[j] as number) + (r[j] as number) / rows.length;
  for (const r of rows)
    for (let j = 0; j < k; j++) sds[j] = (sds[j] as number) + ((r[j] as number) - (means[j] as number)) ** 2 / rows.length;
  return { means, sds: sds.map((v) => (v > 1e-12 ? Math.sqrt(v) : 1)) };
}

export function standardise(s: Standardiser, row: readonly number[]): number[] {
  return row.map((v, j) => (v - (s.means[j] as number)) / (s.sds[j] as number));
}

export interface LogisticModel {
  intercept: number;
  /** Coefficients on the standardised features. */
  coefficients: number[];
  standardiser: Standardiser;
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Solves A x = b (A symmetric positive definite) by Gaussian elimination with partial pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs((m[r] as number[])[c] as number) > Math.abs((m[p] as number[])[c] as number)) p = r;
    [m[c], m[p]] = [m[p] as number[], m[c] as number[]];
    const pivot = (m[c] as number[])[c] as number;
    if (Math.abs(pivot) < 1e-300) continue;
    for (let r = c + 1; r < n; r++) {
      const f = ((m[r] as number[])[c] as number) / pivot;
      for (let j = c; j <= n; j++) (m[r] as number[])[j] = ((m[r] as number[])[j] as number) - f * ((m[c] as number[])[j] as number);
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = (m[r] as number[])[n] as number;
    for (let j = r + 1; j < n; j++) s -= ((m[r] as number[])[j] as number) * (x[j] as number);
    const d = (m[r] as number[])[r] as number;
    x[r] = Math.abs(d) < 1e-300 ? 0 : s / d;
  }
  return x;
}

/**
 * Maximises sum log-likelihood - (l2 / 2) * |coefficients|^2 (the intercept is not penalised) over
 * standardised features. Newton steps until the largest change is < 1e-8 (or 50 steps).
 */
export function fitLogistic(rows: readonly number[][], labels: readonly boolean[], l2: number): LogisticModel {
  const standardiser = fitStandardiser(rows);
  const x = rows.map((r) => [1, ...standardise(standardiser, r)]);
  const k = x[0]?.length ?? 1;
  let beta = new Array<number>(k).fill(0);
  const positives = labels.filter(Boolean).length;
  // Start at the base rate: the intercept alone.
  if (positives > 0 && positives < labels.length) beta[0] = Math.log(positives / (labels.length - positives));
  for (let iter = 0; iter < 50; iter++) {
    const grad = new Array<number>(k).fill(0);
    const hess = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    x.forEach((xi, i) => {
      const p = sigmoid(xi.reduce((s, v, j) => s + v * (beta[j] as number), 0));
      const w = Math.max(p * (1 - p), 1e-12);
      const err = (labels[i] ? 1 : 0) - p;
      for (let a = 0; a < k; a++) {
        grad[a] = (grad[a] as number) + err * (xi[a] as number);
        const row = hess[a] as number[];
        for (let b = a; b < k; b++) row[b] = (row[b] as number) + w * (xi[a] as number) * (xi[b] as number);
      }
    });
    for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) (hess[a] as number[])[b] = (hess[b] as number[])[a] as number;
    for (let a = 1; a < k; a++) {
      grad[a] = (grad[a] as number) - l2 * (beta[a] as number);
      (hess[a] as number[])[a] = ((hess[a] as number[])[a] as number) + l2;
    }
    const step = solve(hess, grad);
    beta = beta.map((b, j) => b + (step[j] as number));
    if (Math.max(...step.map(Math.abs)) < 1e-8) break;
  }
  return { intercept: beta[0] as number, coefficients: beta.slice(1), standardiser };
}

/** P(label) for one raw feature row. */
export function predict(m: LogisticModel, row: readonly number[]): number {
  const z = standardise(m.standardiser, row).reduce((s, v, j) => s + v * (m.coefficients[j] as number), m.intercept);
  return sigmoid(z);
}

/** Per feature: coefficient x standardised value (its push on the log-odds for this row). */
export function contributions(m: LogisticModel, row: readonly number[]): number[] {
  return standardise(m.standardiser, row).map((v, j) => v * (m.coefficients[j] as number));
}

/** Area under the ROC curve (Mann-Whitney U over pairs, ties half); undefined without both classes. */
export function auc(scores: readonly number[], labels: readonly boolean[]): number | undefined {
  const idx = scores.map((_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let rankSumPos = 0;
  let pos = 0;
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1] as number] === scores[idx[i] as number]) j++;
    const midRank = (i + j) / 2 + 1; // average 1-based rank of the tie group
    for (let t = i; t <= j; t++)
      if (labels[idx[t] as number]) {
        rankSumPos += midRank;
        pos++;
      }
    i = j + 1;
  }
  const neg = labels.length - pos;
  if (pos === 0 || neg === 0) return undefined;
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Mean squared error of probabilities against outcomes; undefined when empty. */
export function brier(probabilities: readonly number[], labels: readonly boolean[]): number | undefined {
  if (probabilities.length === 0) return undefined;
  return probabilities.reduce((s, p, i) => s + (p - (labels[i] ? 1 : 0)) ** 2, 0) / probabilities.length;
}

export interface CalibrationBin {
  /** Upper bound of predicted probability in the bin (bins of width 1 / bins). */
  upTo: number;
  samples: number;
  meanPredicted: number | undefined;
  observed: number | undefined;
}

/** Reliability table: per probability bin, mean prediction against the observed rate. */
export function calibration(probabilities: readonly number[], labels: readonly boolean[], bins = 10): CalibrationBin[] {
  const acc = Array.from({ length: bins }, () => ({ n: 0, p: 0, y: 0 }));
  probabilities.forEach((p, i) => {
    const b = acc[Math.min(bins - 1, Math.floor(p * bins))] as { n: number; p: number; y: number };
    b.n++;
    b.p += p;
    if (labels[i]) b.y++;
  });
  return acc.map((b, i) => ({
    upTo: (i + 1) / bins,
    samples: b.n,
    meanPredicted: b.n ? b.p / b.n : undefined,
    observed: b.n ? b.y / b.n : undefined,
  }));
}
