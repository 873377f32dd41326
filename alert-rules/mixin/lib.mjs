// Building blocks of the alert-rules generator: configuration loading, selectors, the annotations
// every alert carries (runbook, dashboard, audience), Prometheus template formatting (to predict the
// annotations promtool must see) and the threshold alert with its generated unit tests.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

// ---- configuration -------------------------------------------------------------------------------

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Deep merge: objects merge key by key, anything else (numbers, null, lists) replaces. */
export function merge(base, over) {
  if (!isObject(base) || !isObject(over)) return over === undefined ? base : over;
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = merge(base[k], v);
  return out;
}

/** The default config with each override file merged over it, in order. */
export function loadConfig(defaultsFile, overrideFiles = []) {
  return overrideFiles.reduce((cfg, f) => merge(cfg, parse(readFileSync(f, 'utf8')) ?? {}), parse(readFileSync(defaultsFile, 'utf8')));
}

/** The settings of one alert (thresholds per severity, `for`, enabled); throws on a missing one. */
export function alertConfig(cfg, name) {
  const a = cfg.alerts?.[name];
  if (!a) throw new Error(`config: alerts.${name} missing`);
  return a;
}

// ---- selectors -----------------------------------------------------------------------------------

/**
 * Labels that a series must carry to match a selector such as `job="node", cluster="prod"`, used to
 * build the unit tests' series. Non-equality matchers (=~, !=) cannot be turned into a series:
 * such a selector needs `test_labels` in the config next to it.
 */
export function selectorLabels(cfg, key) {
  const given = cfg.selectors?.test_labels?.[key];
  if (given) return given;
  const sel = cfg.selectors[key];
  const labels = {};
  for (const m of sel
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const eq = /^([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"([^"]*)"$/.exec(m);
    if (!eq) throw new Error(`config: selectors.${key} matcher ${m} is not name="value"; add selectors.test_labels.${key}`);
    labels[eq[1]] = eq[2];
  }
  return labels;
}

/** `{a="x", b="y"}` series text for promtool input_series. */
export function seriesText(metric, labels) {
  const inner = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ');
  return `${metric}{${inner}}`;
}

/** `metric{selector, extra}` with empty parts left out. */
export function select(metric, ...parts) {
  return `${metric}{${parts.filter(Boolean).join(', ')}}`;
}

// ---- annotations every alert carries ------------------------------------------------------------

export const runbookUrl = (cfg, alertname) => cfg.runbook_url_pattern.replaceAll('{alertname}', alertname);

export function dashboardUrl(cfg, dashboard) {
  const uid = cfg.dashboards[dashboard];
  if (!uid) throw new Error(`config: dashboards.${dashboard} missing`);
  return `${cfg.dashboard_url_base}${uid}`;
}

/** Audience of an alert: its own setting, else its domain's; decides routing in alertmanager.yml. */
export function audienceOf(cfg, alertname, domain) {
  return cfg.alerts?.[alertname]?.audience ?? cfg.audiences[domain] ?? cfg.audiences.default;
}

/**
 * Sets audience, runbook_url and dashboard_url of a rule from the config (the rule names its dashboard
 * by key in `annotations.dashboard`, or keeps the uid of an existing dashboard_url).
 */
export function annotate(cfg, rule) {
  if (!rule.alert) return rule;
  const labels = { ...rule.labels, audience: audienceOf(cfg, rule.alert, rule.labels.domain) };
  const { dashboard, ...annotations } = rule.annotations;
  annotations.runbook_url = runbookUrl(cfg, rule.alert);
  if (dashboard) annotations.dashboard_url = dashboardUrl(cfg, dashboard);
  else if (annotations.dashboard_url) {
    const key = Object.keys(cfg.dashboards).find(
      (k) => annotations.dashboard_url.endsWith(`/d/${cfg.dashboards[k]}`) || annotations.dashboard_url.endsWith(`/d/saasmon-${k}`),
    );
    if (key) annotations.dashboard_url = dashboardUrl(cfg, key);
  }
  return { ...rule, labels, annotations };
}

/** The expected alerts of a unit test with the labels and annotations annotate() gave the rules. */
export function annotateTest(cfg, test, rulesByName) {
  for (const t of test.alert_rule_test ?? []) {
    const rules = rulesByName.get(t.alertname) ?? [];
    for (const e of t.exp_alerts ?? []) {
      const rule = rules.find((r) => r.labels.severity === e.exp_labels?.severity) ?? rules[0];
      if (!rule) continue;
      e.exp_labels = { ...e.exp_labels, audience: rule.labels.audience };
      for (const key of ['runbook_url', 'dashboard_url'])
        if (e.exp_annotations?.[key] !== undefined) e.exp_annotations[key] = rule.annotations[key];
    }
  }
  return test;
}

// ---- Prometheus template formatting (predicting annotations in tests) ---------------------------

/** Go's %.4g for the values tests use (no exponent form). */
const g4 = (v) => String(Number(v.toPrecision(4)));
/** A number as a test writes it in a series: no float noise. */
export const num = (v) => String(Number(v.toPrecision(12)));
export const pct = (v) => `${g4(v * 100)}%`;

function humanizeDuration(v) {
  if (v === 0) return '0s';
  if (Math.abs(v) >= 1) {
    const s = Math.trunc(v);
    const [d, h, m, sec] = [Math.trunc(s / 86400), Math.trunc((s % 86400) / 3600), Math.trunc((s % 3600) / 60), s % 60];
    if (d) return `${d}d ${h}h ${m}m ${sec}s`;
    if (h) return `${h}h ${m}m ${sec}s`;
    if (m) return `${m}m ${sec}s`;
    return `${g4(v)}s`;
  }
  return `${g4(v * 1000)}ms`;
}

const FORMATTERS = {
  humanizePercentage: pct,
  humanizeDuration: humanizeDuration,
  'printf "%.0f"': (v) => v.toFixed(0),
  'printf "%.1f"': (v) => v.toFixed(1),
  'printf "%.2f"': (v) => v.toFixed(2),
  humanize: (v) => g4(v),
};

/** Renders `{{ $value | f }}` and `{{ $labels.x }}` the way Prometheus does, for test expectations. */
export function render(text, value, labels) {
  return text
    .replace(/\{\{ \$value \| ([^}]+?) \}\}/g, (_, f) => {
      if (!FORMATTERS[f]) throw new Error(`render: formatter ${f} unknown`);
      return FORMATTERS[f](value);
    })
    .replace(/\{\{ \$labels\.([a-zA-Z_0-9]+) \}\}/g, (_, l) => labels[l] ?? '');
}

// ---- series values -------------------------------------------------------------------------------

/** promtool values of a gauge from [value, samples] phases: '0.4 0.25x600' style. */
export function gaugeValues(phases) {
  return phases.map(([v, n]) => (n === 1 ? num(v) : `${num(v)}x${n - 1}`)).join(' ');
}

/** promtool values of a counter growing by `perMinute(v)` each sample in each phase, from 0. */
export function counterValues(phases, perMinute = (v) => v) {
  let at = 0;
  const parts = [];
  phases.forEach(([v, n], i) => {
    const inc = perMinute(v);
    const start = i === 0 ? 0 : at + inc;
    const steps = i === 0 ? n - 1 : n - 1;
    parts.push(`${num(start)}+${num(inc)}x${steps}`);
    at = start + inc * steps;
  });
  return parts.join(' ');
}

const minutes = (d) => {
  const m = /^(\d+)([smhd])$/.exec(d);
  if (!m) throw new Error(`duration ${d}`);
  return Number(m[1]) * { s: 1 / 60, m: 1, h: 60, d: 1440 }[m[2]];
};
export const dur = (min) => {
  const d = Math.floor(min / 1440);
  const h = Math.floor((min % 1440) / 60);
  const m = min % 60;
  return `${d ? `${d}d` : ''}${h ? `${h}h` : ''}${m || (!d && !h) ? `${m}m` : ''}`;
};

// ---- threshold alerts ----------------------------------------------------------------------------

/**
 * One alert name over `expr <op> threshold`, a rule per configured severity (critical, warning:
 * a null threshold leaves that severity out), optionally joined with a minimum-volume guard, and its
 * unit tests: for each severity quiet one evaluation before `for` and firing at it; with
 * keep_firing_for, held after recovery and let go one evaluation later; the guard at its boundary
 * (the minimum fires, one less stays quiet); a healthy value stays quiet.
 *
 * spec: { name, domain, dashboard, expr, op: '<'|'>', summary(sev, t), description(sev, t),
 *   labels?, keepFiringFor?, comment?,
 *   guard?: { record, on: [labels], min, series(n, samples) -> input_series, what },
 *   test: { labels, series(phases) -> input_series, healthy?, bad?(sev, t, other), onset? } }
 * config (alerts.<name>): { warning, critical, for: { warning, critical }, enabled }
 */
export function thresholdAlert(cfg, spec) {
  const a = alertConfig(cfg, spec.name);
  if (a.enabled === false) return { rules: [], tests: [] };
  const levels = ['warning', 'critical']
    .filter((s) => a[s] !== null && a[s] !== undefined)
    .map((sev) => ({ sev, t: a[sev], for: a.for?.[sev] ?? a.for }));
  if (!levels.length) return { rules: [], tests: [] };
  const guardJoin = spec.guard ? `\nand on(${spec.guard.on.join(', ')}) ${spec.guard.record}` : '';
  const keep = a.keep_firing_for ?? spec.keepFiringFor;
  const rules = levels.map(({ sev, t, for: f }) =>
    annotate(cfg, {
      alert: spec.name,
      expr: `${spec.expr} ${spec.op} ${num(t)}${guardJoin}${guardJoin ? '\n' : ''}`,
      for: f,
      ...(keep ? { keep_firing_for: keep } : {}),
      labels: { severity: sev, domain: spec.domain, ...spec.labels },
      annotations: { summary: spec.summary(sev, t), description: spec.description(sev, t), dashboard: spec.dashboard },
    }),
  );
  if (spec.comment) rules[0] = { ...rules[0], comment: spec.comment };
  return { rules, tests: thresholdTests(cfg, spec, levels, rules, keep) };
}

function thresholdTests(cfg, spec, levels, rules, keep) {
  const worse = (t, f) => (spec.op === '<' ? t * (1 - f) : t * (1 + f));
  const warn = levels.find((l) => l.sev === 'warning');
  const crit = levels.find((l) => l.sev === 'critical');
  const healthy = spec.test.healthy ?? (warn ?? crit).t * (spec.op === '<' ? 1.25 : 0.75);
  /** Bad value of a level: between warning and critical for the warning, beyond critical for it. */
  const bad = (l) => spec.test.bad?.(l.sev, l.t) ?? (l.sev === 'warning' && crit ? (warn.t + crit.t) / 2 : worse(l.t, 0.25));
  const onset = spec.test.onset ?? 1;
  // A guard over the alert's own series (requests of an HTTP error ratio) has no series of its own.
  const guarded = Boolean(spec.guard?.series);
  const guardOk = guarded ? spec.guard.min * 5 : 0;
  const expected = (l, value) => {
    const rule = rules.find((r) => r.labels.severity === l.sev);
    const labels = { ...rule.labels, ...spec.test.labels };
    return {
      exp_labels: labels,
      exp_annotations: {
        summary: rule.annotations.summary,
        description: render(rule.annotations.description, value, labels),
        runbook_url: rule.annotations.runbook_url,
        ...(rule.annotations.dashboard_url ? { dashboard_url: rule.annotations.dashboard_url } : {}),
      },
    };
  };
  const firingAt = (value, at) => levels.filter((l) => (spec.op === '<' ? value < l.t : value > l.t) && at >= onset + minutes(l.for));
  const evalAt = (value, at) => {
    const fired = firingAt(value, at);
    return { eval_time: dur(at), alertname: spec.name, exp_alerts: fired.map((l) => expected(l, value)) };
  };
  const input = (phases, guard) => [
    ...spec.test.series(phases),
    ...(guarded
      ? spec.guard.series(
          guard,
          phases.reduce((s, [, n]) => s + n, 0),
        )
      : []),
  ];
  const tests = [];
  for (const l of levels) {
    const v = bad(l);
    const f = minutes(l.for);
    const maxFor = Math.max(...levels.map((x) => minutes(x.for)));
    const guard = l.sev === 'critical' && guarded ? spec.guard.min : guardOk;
    const guardNote = l.sev === 'critical' && guarded ? ` at the minimum volume (${spec.guard.min} ${spec.guard.what})` : '';
    if (keep && l === levels[0]) {
      const badSamples = f + 240;
      const k = minutes(keep);
      const last = onset + badSamples - 1;
      tests.push({
        name: `${spec.name} ${l.sev} fires after ${l.for} and keeps firing ${keep} after recovery`,
        interval: '1m',
        input_series: input(
          [
            [healthy, onset],
            [v, badSamples],
            [healthy, k + 60],
          ],
          guard,
        ),
        alert_rule_test: [
          evalAt(v, onset + f - 1),
          evalAt(v, onset + f),
          { ...evalAt(v, last + k), eval_time: dur(last + k) },
          { eval_time: dur(last + k + 1), alertname: spec.name, exp_alerts: [] },
        ],
      });
    } else {
      const samples = maxFor + 60;
      const evals = [evalAt(v, onset + f - 1), evalAt(v, onset + f)];
      if (maxFor > f) evals.push(evalAt(v, onset + maxFor));
      tests.push({
        name: `${spec.name} ${l.sev} fires after ${l.for}${guardNote}`,
        interval: '1m',
        input_series: input(
          [
            [healthy, onset],
            [v, samples],
          ],
          guard,
        ),
        alert_rule_test: evals,
      });
    }
    if (guarded && l === levels[levels.length - 1]) {
      tests.push({
        name: `${spec.name} stays quiet below the minimum volume (${spec.guard.min - 1} ${spec.guard.what})`,
        interval: '1m',
        input_series: input(
          [
            [healthy, onset],
            [v, maxFor + 60],
          ],
          spec.guard.min - 1,
        ),
        alert_rule_test: [{ eval_time: dur(onset + maxFor + 30), alertname: spec.name, exp_alerts: [] }],
      });
    }
  }
  const maxFor = Math.max(...levels.map((x) => minutes(x.for)));
  tests.push({
    name: `${spec.name} stays quiet at a healthy ${num(healthy)}`,
    interval: '1m',
    input_series: input(
      [
        [healthy, onset],
        [healthy, maxFor + 60],
      ],
      guardOk,
    ),
    alert_rule_test: [{ eval_time: dur(onset + maxFor + 30), alertname: spec.name, exp_alerts: [] }],
  });
  return tests;
}

/** A gauge series for thresholdAlert tests. */
export const gauge = (metric, labels) => (phases) => [{ series: seriesText(metric, labels), values: gaugeValues(phases) }];
