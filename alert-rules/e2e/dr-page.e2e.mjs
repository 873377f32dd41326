#!/usr/bin/env node
// End-to-end: Postgres -> saasmon serve -> Prometheus 2.42 (the real rule files) -> Alertmanager 0.25
// (the real alertmanager.yml, receivers pointed at a local webhook) -> the pager receives
// SaasDrRpoExposureHigh, then resolves it.
//
// Driven by data only: an old succeeded backup puts RPO exposure over the target (config
// dr.rpoTargetSeconds: 60), a fresh backup brings it back. The rules are used unchanged; the test copy
// of alertmanager.yml changes only where notifications go (local URLs, temporary secret files) and
// shortens the grouping timers.
//
// Real binaries on free ports chosen at run time, temporary storage, every child process and the
// database schema cleaned up, the whole run bounded by DEADLINE_MS.
//
// Environment: SAASMON_E2E_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/test),
// PROMETHEUS_BIN (prometheus), ALERTMANAGER_BIN (prometheus-alertmanager, else alertmanager),
// SAASMON_E2E_KEEP=1 keeps the temporary folder (logs) for debugging.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

const HERE = dirname(fileURLToPath(import.meta.url));
const RULES_DIR = resolve(HERE, '..');
const REPO = resolve(RULES_DIR, '..');
const CLI = join(REPO, 'exporter/dist/cli.js');
const ADMIN_URL = process.env.SAASMON_E2E_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DEADLINE_MS = 110_000;
const ALERT = 'SaasDrRpoExposureHigh';
const RPO_TARGET_SECONDS = 60;
const ROUTING_KEY = 'e2e-routing-key';
const HEARTBEAT_TOKEN = 'e2e-heartbeat-token';

const started = Date.now();
const tmp = mkdtempSync(join(tmpdir(), 'saasmon-e2e-'));
const schema = `e2e_${randomBytes(5).toString('hex')}`;
const children = [];
const log = (msg) => console.log(`[e2e +${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}`);

// ---- helpers -------------------------------------------------------------------------------------

function freePort() {
  return new Promise((res, rej) => {
    const s = createNetServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

function binary(...candidates) {
  for (const c of candidates.filter(Boolean)) {
    if (spawnSync('sh', ['-c', `command -v "${c}"`]).status === 0) return c;
  }
  throw new Error(`none of ${candidates.filter(Boolean).join(', ')} is installed`);
}

/** Starts a child whose stdout+stderr go to <tmp>/<name>.log; `onLine` sees stdout lines. */
function start(name, cmd, args, env = {}, onLine) {
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks = [];
  const keep = (b) => chunks.push(b);
  child.stdout.on('data', (b) => {
    keep(b);
    if (onLine) for (const line of b.toString().split('\n')) onLine(line);
  });
  child.stderr.on('data', keep);
  child.on('exit', () => writeFileSync(join(tmp, `${name}.log`), Buffer.concat(chunks)));
  child.logText = () => Buffer.concat(chunks).toString();
  child.label = name;
  children.push(child);
  return child;
}

async function waitFor(what, check, timeoutMs = DEADLINE_MS - (Date.now() - started), stepMs = 250) {
  const until = Date.now() + Math.max(0, timeoutMs);
  for (;;) {
    for (const c of children) {
      if (c.exitCode !== null) throw new Error(`${c.label} exited (${c.exitCode}) while waiting for ${what}:\n${c.logText().slice(-2000)}`);
    }
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

async function httpOk(url) {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

function assert(cond, message) {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}

// ---- the local notification receiver -------------------------------------------------------------

const received = []; // { path, headers, body }
const webhook = createServer((req, res) => {
  const parts = [];
  req.on('data', (b) => parts.push(b));
  req.on('end', () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(parts).toString() || 'null');
    } catch {
      body = Buffer.concat(parts).toString();
    }
    received.push({ path: req.url, headers: req.headers, body });
    res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"success"}');
  });
});

// ---- test copies of the configuration ------------------------------------------------------------

/** alertmanager.yml with every receiver pointed at the local webhook and short grouping timers. */
function alertmanagerTestConfig(hookUrl) {
  const am = parseYaml(readFileSync(join(RULES_DIR, 'alertmanager.yml'), 'utf8'));
  const secret = (name, value) => {
    const file = join(tmp, name);
    writeFileSync(file, value);
    return file;
  };
  delete am.global.slack_api_url_file;
  am.global.smtp_smarthost = '127.0.0.1:1';
  am.global.smtp_require_tls = false;
  am.global.smtp_auth_password_file = secret('smtp-password', 'unused');
  am.templates = am.templates.map((t) => resolve(RULES_DIR, t));
  const shorten = (route) => {
    if (route.group_wait !== undefined || route === am.route) route.group_wait = '1s';
    if (route.group_interval !== undefined || route === am.route) route.group_interval = '1s';
    for (const child of route.routes ?? []) shorten(child);
  };
  shorten(am.route);
  for (const r of am.receivers) {
    for (const c of r.pagerduty_configs ?? []) {
      c.url = `${hookUrl}/pagerduty/${r.name}`;
      c.routing_key_file = secret('pagerduty-routing-key', ROUTING_KEY);
    }
    for (const c of r.slack_configs ?? []) c.api_url = `${hookUrl}/slack/${r.name}`;
    for (const c of r.webhook_configs ?? []) {
      c.url = `${hookUrl}/webhook/${r.name}`;
      if (c.http_config?.authorization?.credentials_file) {
        c.http_config.authorization.credentials_file = secret('heartbeat-token', HEARTBEAT_TOKEN);
      }
    }
  }
  return stringifyYaml(am);
}

function prometheusConfig(exporterHostPort, alertmanagerHostPort) {
  const ruleFiles = readdirSync(RULES_DIR)
    .filter((f) => f.endsWith('.rules.yml'))
    .map((f) => join(RULES_DIR, f));
  return stringifyYaml({
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    rule_files: ruleFiles,
    alerting: { alertmanagers: [{ static_configs: [{ targets: [alertmanagerHostPort] }] }] },
    scrape_configs: [{ job_name: 'saasmon', static_configs: [{ targets: [exporterHostPort] }] }],
  });
}

// ---- the run -------------------------------------------------------------------------------------

async function insertBackup(db, id, completedAgoSeconds) {
  await db.query(
    `INSERT INTO ${schema}.backups (id, kind, location, started_at, completed_at, status, size_bytes)
     VALUES ($1, 'full', 'e2e-region', now() - make_interval(secs => $2 + 60), now() - make_interval(secs => $2), 'succeeded', 1024)`,
    [id, completedAgoSeconds],
  );
}

const pagerEvents = (action) =>
  received.filter(
    (r) => r.path === '/pagerduty/pager' && r.body?.event_action === action && String(r.body?.payload?.summary).includes(ALERT),
  );

async function run(db) {
  const prometheusBin = binary(process.env.PROMETHEUS_BIN, 'prometheus');
  const alertmanagerBin = binary(process.env.ALERTMANAGER_BIN, 'prometheus-alertmanager', 'alertmanager');
  assert(readdirSync(dirname(CLI)).includes('cli.js'), `${CLI} exists (run npm run build first)`);

  await new Promise((r) => webhook.listen(0, '127.0.0.1', r));
  const hookUrl = `http://127.0.0.1:${webhook.address().port}`;

  // 1. Schema and data: a backup completed a day ago, far over the 60 s RPO target.
  const env = {
    DATABASE_URL: ADMIN_URL,
    SAASMON_SCHEMA: schema,
    SAASMON_PORT: '0',
    SAASMON_CONFIG: join(tmp, 'saasmon.yml'),
  };
  writeFileSync(
    env.SAASMON_CONFIG,
    stringifyYaml({
      server: { host: '127.0.0.1' },
      dr: { rpoTargetSeconds: RPO_TARGET_SECONDS, serverStatsFromSaasDb: false },
      // Only the DR collector, every second: the test is about DR, and the machine is shared.
      collectors: {
        revenue: { enabled: false },
        engagement: { enabled: false },
        tenant_health: { enabled: false },
        alignment: { enabled: false },
        dr: { intervalSeconds: 1 },
        operations: { enabled: false },
        data_quality: { enabled: false },
      },
    }),
  );
  const migrate = spawnSync(process.execPath, [CLI, 'migrate'], { env: { ...process.env, ...env }, encoding: 'utf8' });
  assert(migrate.status === 0, `saasmon migrate: ${migrate.stderr}`);
  await insertBackup(db, 'e2e-old', 86_400);
  log(`schema ${schema} migrated, old backup inserted`);

  // 2. The exporter on a port it picks itself.
  let exporterUrl;
  start('saasmon', process.execPath, [CLI, 'serve', '--no-migrate'], env, (line) => {
    const m = /serving on (http:\/\/\S+)\/metrics/.exec(line);
    if (m) exporterUrl = m[1];
  });
  await waitFor('the exporter to listen', () => exporterUrl);
  await waitFor('the first DR snapshot', async () => {
    const text = await (await fetch(`${exporterUrl}/metrics`)).text();
    return /^saasmon_dr_rpo_exposure_seconds \d/m.test(text);
  });
  log(`exporter at ${exporterUrl}`);

  // 3. Alertmanager and Prometheus on free ports.
  const amPort = await freePort();
  writeFileSync(join(tmp, 'alertmanager.yml'), alertmanagerTestConfig(hookUrl));
  start('alertmanager', alertmanagerBin, [
    `--config.file=${join(tmp, 'alertmanager.yml')}`,
    `--storage.path=${join(tmp, 'am-data')}`,
    `--web.listen-address=127.0.0.1:${amPort}`,
    '--cluster.listen-address=',
    '--log.level=warn',
  ]);
  const promPort = await freePort();
  writeFileSync(join(tmp, 'prometheus.yml'), prometheusConfig(new URL(exporterUrl).host, `127.0.0.1:${amPort}`));
  start('prometheus', prometheusBin, [
    `--config.file=${join(tmp, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(tmp, 'prom-data')}`,
    `--web.listen-address=127.0.0.1:${promPort}`,
    '--rules.alert.resend-delay=1s',
    '--log.level=warn',
  ]);
  await waitFor('Alertmanager ready', () => httpOk(`http://127.0.0.1:${amPort}/-/ready`));
  await waitFor('Prometheus ready', () => httpOk(`http://127.0.0.1:${promPort}/-/ready`));
  log(`prometheus :${promPort}, alertmanager :${amPort}, webhook ${hookUrl}`);

  // 4. The page arrives at the pager receiver (PagerDuty Events v2 payload), and in chat.
  const [trigger] = await waitFor(`${ALERT} paged`, () => {
    const t = pagerEvents('trigger');
    return t.length > 0 && t;
  });
  log(`${ALERT} paged`);
  const p = trigger.body;
  assert(p.routing_key === ROUTING_KEY, 'routing key read from routing_key_file');
  assert(p.payload.severity === 'critical', `PagerDuty severity critical, got ${p.payload.severity}`);
  assert(p.payload.summary === `[FIRING:1] ${ALERT} (critical) - No backup within the RPO target`, `summary: ${p.payload.summary}`);
  const details = p.payload.custom_details;
  for (const label of [`alertname=${ALERT}`, 'domain=dr', 'severity=critical', 'job=saasmon', `instance=${new URL(exporterUrl).host}`]) {
    assert(details.labels.includes(label), `labels detail has ${label}: ${details.labels}`);
  }
  assert(
    /The newest successful backup \(full, incremental or WAL archive\) is 1d 0h \d+m \d+s old, over the RPO target of 1m 0s\./.test(
      details.alerts,
    ),
    `description in details: ${details.alerts}`,
  );
  const runbook = `https://github.com/saasmon/saasmon/blob/main/alert-rules/runbooks/${ALERT}.md`;
  assert(details.runbook_url === runbook && p.links?.[0]?.href === runbook, 'runbook_url in details and links');
  assert(details.dashboard_url === 'http://localhost:3000/d/saasmon-dr', 'dashboard_url in details');
  await waitFor('the chat copy of the page', () =>
    received.some((r) => r.path === '/slack/pager' && String(r.body?.attachments?.[0]?.title).includes(ALERT)),
  );

  // The same alert as Alertmanager holds it: exact labels and annotations.
  const alerts = await (await fetch(`http://127.0.0.1:${amPort}/api/v2/alerts?filter=alertname%3D%22${ALERT}%22`)).json();
  assert(alerts.length === 1, `one ${ALERT} in Alertmanager, got ${alerts.length}`);
  const expectedLabels = {
    alertname: ALERT,
    domain: 'dr',
    severity: 'critical',
    audience: 'ops',
    instance: new URL(exporterUrl).host,
    job: 'saasmon',
  };
  const sorted = (o) => JSON.stringify(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
  assert(sorted(alerts[0].labels) === sorted(expectedLabels), `labels ${JSON.stringify(alerts[0].labels)}`);
  assert(
    JSON.stringify(Object.keys(alerts[0].annotations).sort()) ===
      JSON.stringify(['dashboard_url', 'description', 'runbook_url', 'summary']),
    `annotation keys ${Object.keys(alerts[0].annotations)}`,
  );
  const a = alerts[0].annotations;
  assert(a.summary === 'No backup within the RPO target', `summary annotation: ${a.summary}`);
  assert(a.runbook_url === runbook && a.dashboard_url === 'http://localhost:3000/d/saasmon-dr', 'url annotations');
  assert(/over the RPO target of 1m 0s\.$/.test(a.description), `description annotation: ${a.description}`);
  assert(alerts[0].receivers.map((r) => r.name).join() === 'pager', `receivers ${JSON.stringify(alerts[0].receivers)}`);

  // The Watchdog reached the heartbeat with the bearer token from its credentials file.
  const beat = received.find((r) => r.path === '/webhook/heartbeat');
  assert(beat?.body?.commonLabels?.alertname === 'Watchdog', 'Watchdog heartbeat received');
  assert(beat.headers.authorization === `Bearer ${HEARTBEAT_TOKEN}`, 'heartbeat bearer token');

  // 5. A fresh backup: exposure drops under the target and the page resolves (same dedup key).
  await insertBackup(db, 'e2e-new', 0);
  log('fresh backup inserted');
  const [resolveEvent] = await waitFor(`${ALERT} resolved`, () => {
    const r = pagerEvents('resolve');
    return r.length > 0 && r;
  });
  assert(resolveEvent.body.dedup_key === p.dedup_key, 'resolve carries the trigger dedup_key');
  log(`${ALERT} resolved`);
}

async function cleanup(db) {
  await Promise.all(
    children.map(
      (c) =>
        new Promise((res) => {
          if (c.exitCode !== null || c.signalCode !== null) return res();
          const kill = setTimeout(() => c.kill('SIGKILL'), 5_000);
          c.once('exit', () => {
            clearTimeout(kill);
            res();
          });
          c.kill('SIGTERM');
        }),
    ),
  );
  webhook.close();
  await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch((e) => log(`drop schema: ${e.message}`));
  await db.end();
}

const db = new pg.Client({ connectionString: ADMIN_URL });
let failure;
const deadline = setTimeout(() => {
  failure ??= new Error(`e2e exceeded ${DEADLINE_MS / 1000}s`);
  for (const c of children) c.kill('SIGKILL');
  process.exit(1);
}, DEADLINE_MS + 10_000);
try {
  await db.connect();
  await run(db);
} catch (err) {
  failure = err;
} finally {
  await cleanup(db).catch(() => undefined);
  clearTimeout(deadline);
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (failure) {
  console.error(`e2e FAILED after ${seconds}s: ${failure.stack ?? failure}`);
  console.error(`logs kept in ${tmp}`);
  for (const c of children) console.error(`--- ${c.label} (last lines)\n${c.logText().split('\n').slice(-15).join('\n')}`);
  process.exit(1);
}
if (!process.env.SAASMON_E2E_KEEP) rmSync(tmp, { recursive: true, force: true });
console.log(`e2e passed in ${seconds}s: ${ALERT} paged with its labels and annotations, then resolved`);
