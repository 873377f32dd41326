#!/usr/bin/env node
// Checks the conventions promtool cannot: every alert has `for`, severity and domain labels, a name
// with its domain's prefix, summary/description/runbook_url (a runbook page that exists),
// dashboard_url on a known dashboard uid, and a unit test where it fires and one where it stays quiet.
// Also: platform.rules.yml selects a single job everywhere (the one knob to retarget it).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const DIR = dirname(fileURLToPath(import.meta.url));
const RUNBOOK_BASE = 'https://github.com/saasmon/saasmon/blob/main/alert-rules/runbooks/';
const DASHBOARD_BASE = 'http://localhost:3000/d/';
const DASHBOARD_UIDS = ['saasmon-executive', 'saasmon-revenue', 'saasmon-engagement', 'saasmon-tenants', 'saasmon-dr', 'saasmon-operations'];
const PREFIX = { kpi: 'SaasKpi', revenue: 'SaasRevenue', dr: 'SaasDr', platform: 'SaasPlatform', data_quality: 'SaasDataQuality', saasmon: 'Saasmon' };
const SEVERITIES = ['critical', 'warning', 'info'];

const problems = [];
const alerts = new Map(); // name -> rules
for (const file of readdirSync(DIR).filter((f) => f.endsWith('.rules.yml'))) {
  for (const group of parse(readFileSync(join(DIR, file), 'utf8')).groups) {
    for (const rule of group.rules.filter((r) => r.alert)) {
      const where = `${file}: ${rule.alert} (${rule.labels?.severity})`;
      alerts.set(rule.alert, [...(alerts.get(rule.alert) ?? []), rule]);
      if (rule.for === undefined) problems.push(`${where}: no for`);
      const { severity, domain } = rule.labels ?? {};
      if (!SEVERITIES.includes(severity)) problems.push(`${where}: severity must be one of ${SEVERITIES}`);
      if (!(domain in PREFIX)) problems.push(`${where}: unknown domain ${domain}`);
      else if (rule.alert !== 'Watchdog' && !rule.alert.startsWith(PREFIX[domain])) problems.push(`${where}: name must start with ${PREFIX[domain]}`);
      const a = rule.annotations ?? {};
      for (const key of ['summary', 'description', 'runbook_url']) if (!a[key]) problems.push(`${where}: no ${key}`);
      if (a.runbook_url !== `${RUNBOOK_BASE}${rule.alert}.md`) problems.push(`${where}: runbook_url must be ${RUNBOOK_BASE}${rule.alert}.md`);
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

const platformRules = readFileSync(join(DIR, 'platform.rules.yml'), 'utf8').split('\n').filter((l) => !/^\s*#/.test(l));
const jobs = new Set(platformRules.join('\n').match(/job="[^"]*"/g));
if (jobs.size !== 1) problems.push(`platform.rules.yml: job matchers differ: ${[...jobs].join(', ')}`);

if (problems.length) {
  console.error(problems.map((p) => `convention: ${p}`).join('\n'));
  process.exit(1);
}
console.log(`conventions: ${alerts.size} alerts (${[...alerts.values()].flat().length} rules) ok`);
