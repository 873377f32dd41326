import { studentTQuantile } from './student-t';

/**
 * MRR forecast (docs/metrics.md "MRR forecast"): ordinary least squares of ln MRR on the month
 * index over the month-end MRR of the last 12 complete months (months with MRR 0 are left out:
 * ln 0 does not exist), projected 1..12 months ahead with 80% and 95% prediction intervals from
 * the residual standard error (Student's t, n - 2 degrees of freedom), transformed back. The
 * point is exp of the fitted log (the median MRR, not the mean). Undefined with fewer than 6
 * months of positive MRR.
 */

export const FIT_MONTHS = 12;
export const MIN_POSITIVE_MONTHS = 6;
export const BACKTEST_ORIGINS = 6;

export interface LogLinearFit {
  /** ln MRR at index 0. */
  intercept: number;
  /** Growth of ln MRR per month: exp(slope) - 1 is the monthly growth rate. */
  slope: number;
  /** Residual standard error of ln MRR. */
  sigma: number;
  n: number;
  meanX: number;
  sxx: number;
}

/** Fits ln y on x = 0..values.length-1 over the positive values. */
export function fitLogLinear(values: readonly number[]): LogLinearFit | undefined {
  const points = values.flatMap((y, x) => (y > 0 ? [{ x, ly: Math.log(y) }] : []));
  const n = points.length;
  if (n < MIN_POSITIVE_MONTHS) return undefined;
  const meanX = points.reduce((s, p) => s + p.x, 0) / n;
  const meanY = points.reduce((s, p) => s + p.ly, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.x - meanX) ** 2;
    sxy += (p.x - meanX) * (p.ly - meanY);
  }
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  const sse = points.reduce((s, p) => s + (p.ly - intercept - slope * p.x) ** 2, 0);
  return { intercept, slope, sigma: Math.sqrt(sse / (n - 2)), n, meanX, sxx };
}

export interface ForecastPoint {
  /** Months after the last fitted month (1 = next month-end). */
  ahead: number;
  point: number;
  lower80: number;
  upper80: number;
  lower95: number;
  upper95: number;
}

/** Projections at x = lastIndex + ahead, for ahead = 1..horizon. */
export function project(fit: LogLinearFit, lastIndex: number, horizon: number): ForecastPoint[] {
  const t80 = studentTQuantile(0.9, fit.n - 2);
  const t95 = studentTQuantile(0.975, fit.n - 2);
  return Array.from({ length: horizon }, (_, i) => {
    const ahead = i + 1;
    const x = lastIndex + ahead;
    const mean = fit.intercept + fit.slope * x;
    const se = fit.sigma * Math.sqrt(1 + 1 / fit.n + (x - fit.meanX) ** 2 / fit.sxx);
    return {
      ahead,
      point: Math.exp(mean),
      lower80: Math.exp(mean - t80 * se),
      upper80: Math.exp(mean + t80 * se),
      lower95: Math.exp(mean - t95 * se),
      upper95: Math.exp(mean + t95 * se),
    };
  });
}

/**
 * The alternative model (`model: 'drift'`): a random walk with drift on the monthly log growth
 * ln(MRR_t / MRR_{t-1}) of the last 12 monthly movements (13 month-ends): the point starts from
 * the last month-end and grows by the mean movement; the h-month-ahead log variance is
 * s^2 (h + h^2 / n) (future movements plus the uncertainty of their mean), with Student's t at
 * n - 1 degrees of freedom. Pairs with a month-end of 0 are left out.
 */
export interface DriftFit {
  last: number;
  meanGrowth: number;
  sigma: number;
  n: number;
}

export function fitDrift(values: readonly number[]): DriftFit | undefined {
  const growth: number[] = [];
  for (let i = 1; i < values.length; i++) {
    const a = values[i - 1] as number;
    const b = values[i] as number;
    if (a > 0 && b > 0) growth.push(Math.log(b / a));
  }
  const last = values[values.length - 1] as number;
  const n = growth.length;
  if (n < MIN_POSITIVE_MONTHS - 1 || !(last > 0)) return undefined;
  const meanGrowth = growth.reduce((s, g) => s + g, 0) / n;
  const sigma = Math.sqrt(growth.reduce((s, g) => s + (g - meanGrowth) ** 2, 0) / (n - 1));
  return { last, meanGrowth, sigma, n };
}

export function projectDrift(fit: DriftFit, horizon: number): ForecastPoint[] {
  const t80 = studentTQuantile(0.9, fit.n - 1);
  const t95 = studentTQuantile(0.975, fit.n - 1);
  return Array.from({ length: horizon }, (_, i) => {
    const ahead = i + 1;
    const mean = Math.log(fit.last) + ahead * fit.meanGrowth;
    const se = fit.sigma * Math.sqrt(ahead + (ahead * ahead) / fit.n);
    return {
      ahead,
      point: Math.exp(mean),
      lower80: Math.exp(mean - t80 * se),
      upper80: Math.exp(mean + t80 * se),
      lower95: Math.exp(mean - t95 * se),
      upper95: Math.exp(mean + t95 * se),
    };
  });
}

export type ForecastModel = 'trend' | 'drift';

/** Month-ends each model reads before its origin. */
export const WINDOW_MONTHS: Record<ForecastModel, number> = { trend: FIT_MONTHS, drift: FIT_MONTHS + 1 };

export interface Forecast {
  points: ForecastPoint[];
  /** Fitted month-end MRR over the window (trend only). */
  fitted: Array<number | undefined>;
  monthlyGrowth: number;
  sigma: number;
  n: number;
}

/** Fits `model` on the window (oldest first, the last value the origin) and projects `horizon` months. */
export function forecastMrr(model: ForecastModel, window: readonly number[], horizon: number): Forecast | undefined {
  if (model === 'trend') {
    const fit = fitLogLinear(window);
    if (!fit) return undefined;
    return {
      points: project(fit, window.length - 1, horizon),
      fitted: window.map((_, x) => Math.exp(fit.intercept + fit.slope * x)),
      monthlyGrowth: Math.exp(fit.slope) - 1,
      sigma: fit.sigma,
      n: fit.n,
    };
  }
  const fit = fitDrift(window);
  if (!fit) return undefined;
  return {
    points: projectDrift(fit, horizon),
    fitted: window.map(() => undefined),
    monthlyGrowth: Math.exp(fit.meanGrowth) - 1,
    sigma: fit.sigma,
    n: fit.n,
  };
}

export interface BacktestPoint {
  /** Index into the month-end series of the month predicted. */
  index: number;
  actual: number;
  predicted: number | undefined;
  /** |predicted - actual| / actual; undefined when either is missing or actual is 0. */
  ape: number | undefined;
}

/**
 * For each of the last `origins` months of `series` (oldest first): fit on the model's window of
 * month-ends before it and predict it one month ahead. MAPE = mean APE where it is defined.
 */
export function backtest(
  series: readonly number[],
  origins = BACKTEST_ORIGINS,
  model: ForecastModel = 'trend',
): { points: BacktestPoint[]; mape: number | undefined } {
  const w = WINDOW_MONTHS[model];
  const points: BacktestPoint[] = [];
  for (let index = Math.max(w, series.length - origins); index < series.length; index++) {
    const predicted = forecastMrr(model, series.slice(index - w, index), 1)?.points[0]?.point;
    const actual = series[index] as number;
    const ape = predicted === undefined || actual <= 0 ? undefined : Math.abs(predicted - actual) / actual;
    points.push({ index, actual, predicted, ape });
  }
  const apes = points.flatMap((p) => (p.ape === undefined ? [] : [p.ape]));
  return { points, mape: apes.length ? apes.reduce((s, a) => s + a, 0) / apes.length : undefined };
}
