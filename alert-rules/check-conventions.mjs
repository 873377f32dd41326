#!/usr/bin/env node
// Checks the conventions promtool cannot: every alert has `for`, severity and domain labels, a name
// with its domain's prefix, summary/description/runbook_url (a runbook page that exists),
// dashboard_url on a known dashboard uid, and a unit test where it fires and one where it stays quiet.
// Also: an audience label (ops|business) on every alert, and dashboard links only to provisioned
// dashboards (provisioning/dashboards/json). Links and audiences come from config.yml.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const DIR = dirname(fileURLToPath(import.meta.url));
const CONFIG = parse(readFileSync(join(DIR, 'config.yml'), 'utf8'));
const RUNBOOK_URL = (name) => CONFIG.runbook_url_pattern.replaceAll('{alertname}', name);
const DASHBOARD_BASE = CONFIG.dashboard_url_base;
const DASHBOARDS_DIR = join(DIR, '..', 'provisioning', 'dashboards', 'json');
const DASHBOARD_UIDS = readdirSync(DASHBOARDS_DIR).map((f) => JSON.parse(readFileSync(join(DASHBOARDS_DIR, f), 'utf8')).uid);
const PREFIX = {
  kpi: 'SaasKpi',
  revenue: 'SaasRevenue',
  dr: 'SaasDr',
  platform: 'SaasPlatform',
  data_quality: 'SaasDataQuality',
  saasmon: 'Saasmon',
  ai: 'SaasAi',
};
const SEVERITIES = ['critical', 'warning', 'info'];
const AUDIENCES = ['ops', 'business'];

const problems = [];
const alerts = new Map(); // name -> rules
for (const file of readdirSync(DIR).filter((f) => f.endsWith('.rules.yml'))) {
  for (const group of parse(readFileSync(join(DIR, file), 'utf8')).groups) {
    for (const rule of group.rules.filter((r) => r.alert)) {
      const where = `${file}: ${rule.alert} (${rule.labels?.severity})`;
      alerts.set(rule.alert, [...(alerts.get(rule.alert) ?? []), rule]);
      if (rule.for === undefined) problems.push(`${where}: no for`);
      const { severity, domain, audience } = rule.labels ?? {};
      if (!SEVERITIES.includes(severity)) problems.push(`${where}: severity must be one of ${SEVERITIES}`);
      if (!AUDIENCES.includes(audience)) problems.push(`${where}: audience must be one of ${AUDIENCES}`);
      if (!(domain in PREFIX)) problems.push(`${where}: unknown domain ${domain}`);
      else if (rule.alert !== 'Watchdog' && !rule.alert.startsWith(PREFIX[domain]))
        problems.push(`${where}: name must start with ${PREFIX[domain]}`);
      const a = rule.annotations ?? {};
      for (const key of ['summary', 'description', 'runbook_url']) if (!a[key]) problems.push(`${where}: no ${key}`);
      if (a.runbook_url !== RUNBOOK_URL(rule.alert)) problems.push(`${where}: runbook_url must be ${RUNBOOK_URL(rule.alert)}`);
      if (!existsSync(join(DIR, 'runbooks', `${rule.alert}.md`))) problems.push(`${where}: runbooks/${rule.alert}.md missing`);
      if (a.dashboard_url !== undefined && !DASHBOARD_UIDS.some((uid) => a.dashboard_url === `${DASHBOARD_BASE}${uid}`)) {
        problems.push(`${where}: dashboard_url ${a.dashboard_url} is not a known dashboard`);
      }
    }
  }
}

// Unit-test coverage: each alertname needs an eval with exp_alerts and one with none.
const fired = new Set();
const quiet = new Set();
for (const file of readdirSync(join(DIR, 'tests')).filter((f) => f.endsWith('.test.yml'))) {
  for (const test of parse(readFileSync(join(DIR, 'tests', file), 'utf8')).tests) {
    for (const t of test.alert_rule_test ?? []) (t.exp_alerts?.length ? fired : quiet).add(t.alertname);
  }
}
for (const name of alerts.keys()) {
  if (!fired.has(name)) problems.push(`${name}: no unit test where it fires`);
  // Watchdog fires by design, always.
  if (!quiet.has(name) && name !== 'Watchdog') problems.push(`${name}: no unit test where it stays quiet`);
}

if (problems.length) {
  console.error(problems.map((p) => `convention: ${p}`).join('\n'));
  process.exit(1);
}
console.log(`conventions: ${alerts.size} alerts (${[...alerts.values()].flat().length} rules) ok`);
