import { BOOLEAN_MAPPINGS, promVariable, thresholds, Variable } from '../grafana';

/** Shared PromQL pieces so that every dashboard computes the platform SLIs the same way. */

/**
 * The platform's HTTP job(s): standard http_requests_total / http_request_duration_seconds metrics
 * (`$job` is the saasmon exporter's job, on every dashboard).
 */
export const jobVariable = (): Variable =>
  promVariable('service', 'Service (job)', 'label_values(http_requests_total, job)', { multi: true, includeAll: true, allValue: '.+' });

export const HTTP = `job=~"$service"`;
/** 5xx answers are errors; 4xx are the client's fault and do not burn the SLO. */
export const HTTP_ERRORS = `${HTTP}, code=~"5.."`;

/**
 * 5xx share of requests. A service that never failed has no 5xx series at all, so the numerator
 * falls back to 0 (the ratio is then 0, not "no data"); no requests at all stays "no data".
 */
export const errorRatio = (range: string, by = ''): string => {
  const sum = by ? `sum by (${by})` : 'sum';
  const all = `${sum} (rate(http_requests_total{${HTTP}}[${range}]))`;
  return `(${sum} (rate(http_requests_total{${HTTP_ERRORS}}[${range}])) or ${all} * 0) / ${all}`;
};

export const latencyQuantile = (q: number, range: string): string =>
  `histogram_quantile(${q}, sum by (le) (rate(http_request_duration_seconds_bucket{${HTTP}}[${range}])))`;

/** Ratios (0..1) that are better when higher: red under a, yellow under b. */
export const higherIsBetter = (red: number, yellow: number) => thresholds('red', [red, 'yellow'], [yellow, 'green']);
/** Ratios that are better when lower: yellow from a, red from b. */
export const lowerIsBetter = (yellow: number, red: number) => thresholds('green', [yellow, 'yellow'], [red, 'red']);

/** Alignment status bands (docs/metrics.md): off track < 50, at risk 50-79, on track >= 80. */
export const ALIGNMENT_BANDS = thresholds('red', [50, 'yellow'], [80, 'green']);
/** Tenant health risk bands: critical < 25, at_risk < 50, watch < 75, healthy >= 75. */
export const HEALTH_BANDS = thresholds('dark-red', [25, 'orange'], [50, 'yellow'], [75, 'green']);

export const yesNo = BOOLEAN_MAPPINGS;

/** Money gauges carry `currency`: shown as "<value> <currency>", never mixed across currencies. */
export const byCurrency = (metric: string): string => `sum by (currency) (${metric})`;
