// Platform health of the SaaS application (platform.rules.yml) over the standard HTTP metrics of
// client libraries (client_golang promhttp, prom-client): a request counter with a status-code label
// and a request-duration histogram. Selector, metric and label names: config `selectors.app`, `http`.
import { annotate, counterValues, num, pct, render, select, selectorLabels, seriesText } from './lib.mjs';

const INSTANCE = { instance: 'app-1:8080' };

/** Counter per minute of requests in a test: 1000 a minute, `errorRatio` of them with code 500. */
function httpSeries(cfg, { perMinute = 1000, errorRatio = 0, samples = 31, labels }) {
  const h = cfg.http;
  const ok = [[perMinute * (1 - errorRatio), samples]];
  const err = [[perMinute * errorRatio, samples]];
  const series = [{ series: seriesText(h.requests_metric, { ...labels, ...INSTANCE, [h.code_label]: '200' }), values: counterValues(ok) }];
  if (errorRatio > 0)
    series.push({ series: seriesText(h.requests_metric, { ...labels, ...INSTANCE, [h.code_label]: '500' }), values: counterValues(err) });
  return series;
}

/**
 * A histogram in which every request of a minute takes between `lo` and `hi` seconds: with all
 * observations in one bucket, histogram_quantile(q) = lo + (hi - lo) * q exactly.
 */
function latencySeries(cfg, labels, lo, hi, samples) {
  const h = cfg.http;
  [lo, hi] = [lo, hi].map((v) => Number(num(v)));
  const bounds = [...new Set([lo / 2, lo, hi, hi * 2].map(num))].map(Number).sort((a, b) => a - b);
  return [
    ...bounds.map((le) => ({
      series: seriesText(h.duration_bucket_metric, { ...labels, ...INSTANCE, le: num(le) }),
      values: counterValues([[le >= hi ? 1000 : 0, samples]]),
    })),
    { series: seriesText(h.duration_bucket_metric, { ...labels, ...INSTANCE, le: '+Inf' }), values: counterValues([[1000, samples]]) },
  ];
}

export const platform = {
  file: 'platform.rules.yml',
  header: `Platform health of the SaaS application over the standard HTTP metrics of client libraries
(client_golang promhttp, prom-client): the request counter with its status-code label and the
request-duration histogram. Selector, metric and label names come from the config (selectors.app,
http.*); thresholds from alerts.SaasPlatform*; the SLO from slo.*.
- SLO: requests not answered with an error code over 30 days; error budget = 1 - objective.
- Multi-window multi-burn-rate alerts (Google SRE workbook, ch. 5): page on 14.4x burn over 1h
  confirmed over 5m (2% of the monthly budget in an hour) or 6x over 6h confirmed over 30m (5% in
  6 h); warn on 1x over 3d confirmed over 6h (the budget would be gone at the end of the month).
- Minimum volume (volume_guards.http_requests_1h) requests in the last hour, so a quiet service's
  single error does not page.
- Availability (uptime) and error budget remaining over 30 days are recorded for dashboards and the
  status page; counters rise every minute in the tests, rates need two samples, so every condition
  first holds at 1m.
Recording rules are named level:metric:operation.`,
  groupName: 'saasmon-platform-slo',
  ruleFiles: ['platform.rules.yml'],
  groups(cfg) {
    const h = cfg.http;
    const app = cfg.selectors.app;
    const errSel = `${h.code_label}=~"${h.error_codes}"`;
    const budget = 1 - cfg.slo.objective;
    const sloPct = pct(cfg.slo.objective);
    const ratio = (w) =>
      `sum by (job) (rate(${select(h.requests_metric, app, errSel)}[${w}]))\n/ sum by (job) (rate(${select(h.requests_metric, app)}[${w}]))\n`;
    const guard = cfg.volume_guards.http_requests_1h;
    const recording = [
      ...['5m', '30m', '1h', '6h', '3d'].map((w) => ({ record: `job:http_request_errors:ratio_rate${w}`, expr: ratio(w) })),
      {
        // A service without a single error has no error series: count it as 0, not as "no data".
        record: 'job:http_request_errors:ratio_rate30d',
        expr: `(sum by (job) (rate(${select(h.requests_metric, app, errSel)}[30d])) or sum by (job) (rate(${select(h.requests_metric, app)}[30d])) * 0)\n/ sum by (job) (rate(${select(h.requests_metric, app)}[30d]))\n`,
      },
      { record: 'job:slo_availability:ratio_rate30d', expr: '1 - job:http_request_errors:ratio_rate30d' },
      { record: 'job:slo_error_budget_remaining:ratio_rate30d', expr: `1 - job:http_request_errors:ratio_rate30d / ${num(budget)}` },
      { record: 'job:up:avg_over_time30d', expr: `avg by (job) (avg_over_time(${select('up', app)}[30d]))` },
      { record: 'job:http_requests:volume_guard1h', expr: `sum by (job) (increase(${select(h.requests_metric, app)}[1h])) >= ${guard}` },
      {
        record: 'job:http_request_duration_seconds:p99_rate5m',
        expr: `histogram_quantile(0.99,\n  sum by (job, le) (rate(${select(h.duration_bucket_metric, app)}[5m])))\n`,
      },
    ];
    const burn = (factor, long, short, sev, f, summary, text) =>
      annotate(cfg, {
        alert: 'SaasPlatformErrorBudgetBurn',
        expr: `job:http_request_errors:ratio_rate${long} > (${factor === 1 ? num(budget) : `${factor} * ${num(budget)}`})\nand job:http_request_errors:ratio_rate${short} > (${factor === 1 ? num(budget) : `${factor} * ${num(budget)}`})\nand on(job) job:http_requests:volume_guard1h\n`,
        for: f,
        labels: { severity: sev, domain: 'platform', long_window: long },
        annotations: { summary, description: text, dashboard: 'platform' },
      });
    const alerts = [
      burn(
        14.4,
        '1h',
        '5m',
        'critical',
        '2m',
        'Error budget burning 14.4x too fast',
        `{{ $labels.job }} answered {{ $value | humanizePercentage }} of requests with errors over the last hour (and still over the last 5 minutes): at this rate the 30-day ${sloPct} SLO budget is gone in about 2 days.`,
      ),
      burn(
        6,
        '6h',
        '30m',
        'critical',
        '2m',
        'Error budget burning 6x too fast',
        `{{ $labels.job }} answered {{ $value | humanizePercentage }} of requests with errors over the last 6 hours (and still over the last 30 minutes): at this rate the 30-day ${sloPct} SLO budget is gone in 5 days.`,
      ),
      burn(
        1,
        '3d',
        '6h',
        'warning',
        '15m',
        'Error budget burning faster than the SLO allows',
        `{{ $labels.job }} answered {{ $value | humanizePercentage }} of requests with errors over the last 3 days (and still over the last 6 hours): the 30-day ${sloPct} SLO budget will not last the month.`,
      ),
    ];
    return [{ name: 'saasmon-platform-slo', rules: [...recording, ...alerts] }];
  },
  specs(cfg) {
    const labels = selectorLabels(cfg, 'app');
    return [
      {
        name: 'SaasPlatformErrorRatioHigh',
        domain: 'platform',
        dashboard: 'platform',
        expr: 'job:http_request_errors:ratio_rate5m',
        op: '>',
        guard: {
          record: 'job:http_requests:volume_guard1h',
          on: ['job'],
          min: cfg.volume_guards.http_requests_1h,
          what: 'requests an hour',
          inline: true,
        },
        summary: (sev, t) => `Error ratio above ${pct(t)}`,
        description: (sev, t) =>
          `{{ $labels.job }} answered {{ $value | humanizePercentage }} of requests with errors over the last 5 minutes; ${sev} above ${pct(t)}.`,
        test: {
          labels,
          series: (phases) => {
            const samples = phases.reduce((s, [, n]) => s + n, 0);
            const v = phases[phases.length - 1][0];
            return httpSeries(cfg, { errorRatio: v, samples, labels });
          },
        },
      },
      {
        name: 'SaasPlatformLatencyHigh',
        domain: 'platform',
        dashboard: 'platform',
        expr: 'job:http_request_duration_seconds:p99_rate5m',
        op: '>',
        guard: {
          record: 'job:http_requests:volume_guard1h',
          on: ['job'],
          min: cfg.volume_guards.http_requests_1h,
          what: 'requests an hour',
          inline: true,
        },
        summary: (sev, t) => `p99 latency above ${render('{{ $value | humanizeDuration }}', t, {})}`,
        description: (sev, t) =>
          `{{ $labels.job }} p99 request latency over the last 5 minutes is {{ $value | humanizeDuration }} (${sev} above ${render('{{ $value | humanizeDuration }}', t, {})}).`,
        test: {
          labels,
          // Every request between t and 2t seconds (bad: p99 = 1.99 t), or between v/2 and v for a healthy v.
          bad: (sev, t) => t + t * 0.99,
          series: (phases) => {
            const samples = phases.reduce((s, [, n]) => s + n, 0);
            const v = phases[phases.length - 1][0];
            const t = v / 1.99;
            const healthy = v < cfg.alerts.SaasPlatformLatencyHigh.warning;
            const [lo, hi] = healthy ? [v / 2, v] : [t, 2 * t];
            return [...httpSeries(cfg, { samples, labels }), ...latencySeries(cfg, labels, lo, hi, samples)];
          },
        },
      },
    ];
  },
  /** Burn-rate and SLO record tests, hand-written per case, scaled to the configured budget. */
  tests(cfg, rulesByName) {
    const labels = selectorLabels(cfg, 'app');
    const budget = 1 - cfg.slo.objective;
    const sloPct = pct(cfg.slo.objective);
    const rule = (long) => rulesByName.get('SaasPlatformErrorBudgetBurn').find((r) => r.labels.long_window === long);
    const exp = (long, v) => {
      const r = rule(long);
      const l = { ...r.labels, ...labels };
      return {
        exp_labels: l,
        exp_annotations: {
          summary: r.annotations.summary,
          description: render(r.annotations.description, v, l),
          runbook_url: r.annotations.runbook_url,
          dashboard_url: r.annotations.dashboard_url,
        },
      };
    };
    const name = 'SaasPlatformErrorBudgetBurn';
    const other = selectorLabels(cfg, 'app').job === 'other-app' ? 'another-app' : 'other-app';
    return [
      {
        name: `${name} pages on both fast and slow burn at ${pct(20 * budget)} errors (20x the budget)`,
        interval: '1m',
        input_series: httpSeries(cfg, { errorRatio: 20 * budget, labels }),
        alert_rule_test: [
          { eval_time: '2m', alertname: name, exp_alerts: [] },
          { eval_time: '3m', alertname: name, exp_alerts: [exp('1h', 20 * budget), exp('6h', 20 * budget)] },
        ],
      },
      {
        name: `${name} at ${pct(10 * budget)} errors pages on the slow burn only (under 14.4x)`,
        interval: '1m',
        input_series: httpSeries(cfg, { errorRatio: 10 * budget, labels }),
        alert_rule_test: [{ eval_time: '3m', alertname: name, exp_alerts: [exp('6h', 10 * budget)] }],
      },
      {
        name: `${name} at ${pct(5 * budget)} errors warns after 15m and does not page`,
        interval: '1m',
        input_series: httpSeries(cfg, { errorRatio: 5 * budget, labels }),
        alert_rule_test: [
          { eval_time: '15m', alertname: name, exp_alerts: [] },
          { eval_time: '16m', alertname: name, exp_alerts: [exp('3d', 5 * budget)] },
        ],
      },
      {
        name: `${name} stays quiet under ${cfg.volume_guards.http_requests_1h} requests an hour, and for other jobs`,
        interval: '1m',
        input_series: [
          ...httpSeries(cfg, { perMinute: (cfg.volume_guards.http_requests_1h * 0.3) / 60, errorRatio: 0.5, samples: 121, labels }),
          {
            series: seriesText(cfg.http.requests_metric, { job: other, instance: 'other:8080', [cfg.http.code_label]: '500' }),
            values: '0+1000x120',
          },
        ],
        alert_rule_test: [{ eval_time: '2h', alertname: name, exp_alerts: [] }],
      },
      {
        name: `Availability and error budget remaining over 30 days at ${pct(budget / 2)} errors`,
        interval: '1m',
        input_series: [
          ...httpSeries(cfg, { errorRatio: budget / 2, samples: 61, labels }),
          { series: seriesText('up', { ...labels, ...INSTANCE }), values: '1x29 0x29 1' },
        ],
        promql_expr_test: [
          {
            expr: 'job:slo_availability:ratio_rate30d',
            eval_time: '1h',
            exp_samples: [{ labels: seriesText('job:slo_availability:ratio_rate30d', { job: labels.job }), value: 1 - budget / 2 }],
          },
          {
            expr: 'job:slo_error_budget_remaining:ratio_rate30d',
            eval_time: '1h',
            exp_samples: [{ labels: seriesText('job:slo_error_budget_remaining:ratio_rate30d', { job: labels.job }), value: 0.5 }],
          },
          // up for the first 30 samples, down for the next 30: half of the time.
          {
            expr: 'job:up:avg_over_time30d',
            eval_time: '59m',
            exp_samples: [{ labels: seriesText('job:up:avg_over_time30d', { job: labels.job }), value: 30 / 60 }],
          },
        ],
      },
      {
        name: `Availability is 100% and the whole budget remains without a single error (${sloPct} SLO)`,
        interval: '1m',
        input_series: httpSeries(cfg, { samples: 61, labels }),
        promql_expr_test: [
          {
            expr: 'job:slo_error_budget_remaining:ratio_rate30d',
            eval_time: '1h',
            exp_samples: [{ labels: seriesText('job:slo_error_budget_remaining:ratio_rate30d', { job: labels.job }), value: 1 }],
          },
        ],
      },
    ];
  },
};
