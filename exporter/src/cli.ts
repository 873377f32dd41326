#!/usr/bin/env node
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify as stringifyYaml } from 'yaml';
import { describeErase, eraseUser } from './admin/erase-user';
import { exportUser, isEmptyExport } from './admin/export-user';
import { runStripeBackfill } from './api/integrations/stripe/backfill-command';
import { newToken, TokenScope } from './admin/tokens';
import { ConfigError, loadConfig } from './config/load';
import { redactSecrets } from './config/redact';
import { Config } from './config/schema';
import { startEmbeddedPostgres } from './db/embedded';
import { createPool, withReadOnly } from './db/pool';
import { migrate } from './db/migrate';
import { retryWhileUnreachable } from './db/wait-for-database';
import { loadDemoData } from './demo';
import { hasAnyTenant } from './demo/detect';
import { startLiveDemo } from './demo/live';
import { Scale, SCALES } from './demo/scales';
import { createLogger } from './logger';
import { readExecutiveSummary } from './reports/executive-summary';
import { renderSummaryText } from './reports/format';
import { buildReport } from './reports/build';
import { metricSnapshot, metricsCsv, framesCsv, runQuery } from './reports/export';
import { REPORT_KINDS, ReportKind } from './reports/periods';
import { failedSections } from './reports/report';
import { renderHtml } from './reports/render-html';
import { renderMarkdown } from './reports/render-markdown';
import { renderSlack } from './reports/render-slack';
import { ReportRunner } from './reports/runner';
import { isTimeZone } from './reports/zoned-time';
import { startService } from './service';

const USAGE = `usage: saasmon <command> [options]

commands:
  start                 serve; without DATABASE_URL, on an embedded Postgres with S demo data
  serve [--no-migrate]  serve /metrics and the APIs from DATABASE_URL (migrates unless --no-migrate)
  migrate               create or upgrade the saasmon schema (never drops data)
  demo --scale S|M|L [--seed N]
                        write generated demo data into an empty schema
  check-config          validate SAASMON_CONFIG and the environment, print the effective config
  token --name N --scopes ingest,query,admin,stripe,tracking
                        make an API token; prints it once and the config entry (sha256) to add
  erase-user --user ID  GDPR erase: remove a user's personal data (email, event properties, NPS
                        comments) and keep them out (tombstone); user-level counts then leave the
                        user out, past days included; tenant-level numbers are unchanged
  export-user --user ID GDPR export: everything stored about a user, as JSON on stdout
  stripe-backfill --file F [--file F2 ...] [--as-of ISO]
                        load a Stripe export (JSON of the list endpoints) into tenants and subscriptions
  summary [--format text|json]
                        the executive summary now: MRR, growth, users, churn, uptime, status, alerts
  report daily|weekly|monthly [--format md|html|slack|json] [--out FILE] [--zone TZ] [--at ISO]
         [--send [--receivers a,b]]
                        the report of the last closed period; --send delivers it to the receivers
                        (default all in reports.receivers) and records each delivery
  export [--format csv|json] [--query JSON|@FILE] [--out FILE]
                        the current metric snapshot, or the answer of a query (same body as the API)

environment: SAASMON_CONFIG (YAML file), DATABASE_URL, SAASMON_SCHEMA, SAASMON_PORT,
             SAASMON_DATA_DIR (embedded Postgres folder, default <repo>/.data/postgres)`;

const log = createLogger();

function requireUrl(config: Config): string {
  if (!config.database.url) {
    throw new ConfigError('database.url: not set (set DATABASE_URL, or run `saasmon start` for the embedded demo)');
  }
  return config.database.url;
}

async function serve(config: Config, onClose: () => Promise<void> = async () => undefined): Promise<void> {
  const service = await startService({ config, log });
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    log.info('shutting down', { signal });
    void service
      .close()
      .then(onClose)
      .then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  console.log(`saasmon: serving on ${service.url}/metrics`);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      scale: { type: 'string' },
      seed: { type: 'string' },
      'no-migrate': { type: 'boolean' },
      name: { type: 'string' },
      scopes: { type: 'string' },
      user: { type: 'string' },
      file: { type: 'string', multiple: true },
      'as-of': { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      zone: { type: 'string' },
      at: { type: 'string' },
      send: { type: 'boolean' },
      receivers: { type: 'string' },
      query: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (!command || values.help || command === 'help') {
    console.log(USAGE);
    return;
  }
  const config = loadConfig();
  switch (command) {
    case 'check-config':
      console.log(JSON.stringify(redactSecrets(config), null, 2));
      console.log('config ok');
      return;
    case 'token': {
      const scopes = (values.scopes ?? '').split(',').filter(Boolean);
      const bad = scopes.filter((x) => !['ingest', 'query', 'admin', 'stripe', 'tracking'].includes(x));
      if (!values.name || scopes.length === 0 || bad.length) {
        throw new ConfigError('token: needs --name NAME --scopes ingest,query,admin,stripe,tracking (one or more)');
      }
      const t = newToken(values.name, scopes as TokenScope[]);
      console.log(`token (shown once, give it to the client): ${t.token}`);
      console.log('add to api.tokens in the config file:');
      console.log(stringifyYaml([t.configEntry]));
      return;
    }
    case 'erase-user': {
      if (!values.user) throw new ConfigError('erase-user: needs --user ID');
      const pool = createPool(config, 'write', requireUrl(config));
      try {
        const r = await eraseUser(pool, values.user);
        if (!r.found) throw new ConfigError(`erase-user: no user with id "${values.user}"`);
        console.log(describeErase(values.user, r));
      } finally {
        await pool.end();
      }
      return;
    }
    case 'export-user': {
      if (!values.user) throw new ConfigError('export-user: needs --user ID');
      const pool = createPool(config, 'read', requireUrl(config));
      try {
        const e = await exportUser(pool, values.user);
        if (isEmptyExport(e)) throw new ConfigError(`export-user: nothing is stored about a user with id "${values.user}"`);
        console.log(JSON.stringify(e, null, 2));
      } finally {
        await pool.end();
      }
      return;
    }
    case 'stripe-backfill': {
      const url = requireUrl(config);
      await migrate(url, config.database.schema);
      const pool = createPool(config, 'write', url);
      try {
        console.log(await runStripeBackfill(pool, config, values.file ?? [], values['as-of']));
      } finally {
        await pool.end();
      }
      return;
    }
    case 'summary': {
      const pool = createPool(config, 'read', requireUrl(config));
      try {
        const summary = await withReadOnly(pool, (db) => readExecutiveSummary(db, new Date(), config));
        if (values.format === 'json') console.log(JSON.stringify(summary, null, 2));
        else if (!values.format || values.format === 'text') console.log(renderSummaryText(summary));
        else throw new ConfigError('summary: --format must be text or json');
      } finally {
        await pool.end();
      }
      return;
    }
    case 'report':
      return reportCommand(config, positionals[0], values);
    case 'export':
      return exportCommand(config, values);
    case 'migrate': {
      const r = await migrate(requireUrl(config), config.database.schema);
      console.log(`migrations applied: ${r.applied.join(', ') || 'none'}; already there: ${r.skipped.length}`);
      return;
    }
    case 'demo': {
      const scale = (values.scale ?? 'S').toUpperCase() as Scale;
      if (!SCALES.includes(scale)) throw new ConfigError(`--scale: must be one of ${SCALES.join(', ')}`);
      const url = requireUrl(config);
      await migrate(url, config.database.schema);
      const r = await loadDemoData(url, config.database.schema, { scale, seed: values.seed ? Number(values.seed) : undefined });
      console.log(`demo ${scale}: ${r.tenants} tenants, ${r.users} users, ${r.events} events in ${r.seconds.toFixed(1)} s`);
      return;
    }
    case 'serve': {
      const url = requireUrl(config);
      // A database still starting (compose, a restart) is waited for, one log line per try.
      if (!values['no-migrate']) await retryWhileUnreachable(() => migrate(url, config.database.schema), log, 'migrating at start');
      await serve(config);
      return;
    }
    case 'start': {
      if (config.database.url) {
        const url = config.database.url;
        await retryWhileUnreachable(() => migrate(url, config.database.schema), log, 'migrating at start');
        await serve(config);
        return;
      }
      const dataDir = process.env.SAASMON_DATA_DIR ?? resolve(__dirname, '../../.data/postgres');
      console.log(`saasmon: starting embedded Postgres in ${dataDir}`);
      const db = await startEmbeddedPostgres(dataDir);
      let embedded: Config = { ...config, database: { ...config.database, url: db.url } };
      if (config.api.tokens.length === 0) {
        // The demo should be explorable at once: a token for this run only, never stored.
        const t = newToken('demo', ['ingest', 'query', 'admin']);
        embedded = { ...embedded, api: { ...embedded.api, tokens: [t.configEntry] } };
        console.log(`saasmon: demo API token for this run (query, ingest, admin): ${t.token}`);
      }
      await migrate(db.url, config.database.schema);
      if (!(await hasAnyTenant(db.url, config.database.schema))) {
        console.log('saasmon: loading S demo data (first start only)');
        const r = await loadDemoData(db.url, config.database.schema, { scale: 'S' });
        console.log(`saasmon: demo data loaded: ${r.tenants} tenants, ${r.users} users, ${r.events} events`);
      }
      console.log(`saasmon: embedded database at ${db.url}`);
      const writer = createPool(embedded, 'write');
      const live = startLiveDemo(writer, log);
      await serve(embedded, async () => {
        await live.stop();
        await writer.end();
        await db.stop();
      });
      return;
    }
    default:
      throw new ConfigError(`unknown command "${command}"\n${USAGE}`);
  }
}

interface ReportFlags {
  format?: string;
  out?: string;
  zone?: string;
  at?: string;
  send?: boolean;
  receivers?: string;
  query?: string;
}

function output(text: string | Buffer, out: string | undefined): void {
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
}

async function reportCommand(config: Config, kind: string | undefined, flags: ReportFlags): Promise<void> {
  if (!REPORT_KINDS.includes(kind as ReportKind)) throw new ConfigError(`report: name the report: ${REPORT_KINDS.join(', ')}`);
  const format = flags.format ?? 'md';
  if (!['md', 'html', 'slack', 'json'].includes(format)) throw new ConfigError('report: --format must be md, html, slack or json');
  const zone = flags.zone ?? config.reports.timeZone;
  if (!isTimeZone(zone)) throw new ConfigError(`report: --zone "${zone}" is not an IANA time zone`);
  const at = flags.at ? new Date(flags.at) : new Date();
  if (Number.isNaN(at.getTime())) throw new ConfigError('report: --at must be an ISO 8601 instant');
  const url = requireUrl(config);
  const read = createPool(config, 'read', url);
  try {
    if (flags.send) {
      const receivers = flags.receivers ? flags.receivers.split(',').filter(Boolean) : Object.keys(config.reports.receivers);
      const unknown = receivers.filter((r) => !config.reports.receivers[r]);
      if (receivers.length === 0 || unknown.length) throw new ConfigError(`report --send: ${unknown.length ? `no receiver ${unknown.join(', ')}` : 'no receivers'} in reports.receivers`);
      const write = createPool(config, 'write', url);
      const runner = new ReportRunner({ pool: write, readPool: read, config, log, now: () => at });
      try {
        const r = await runner.runNow(kind as ReportKind, receivers, zone);
        const rows = await write.query<{ receiver: string; recipient: string; state: string; last_error: string | null }>(
          'SELECT receiver, recipient, state, last_error FROM saasmon_report_deliveries WHERE schedule = $1 AND scheduled_for = $2 ORDER BY 1, 2',
          [`manual-${kind}`, r.scheduledFor],
        );
        for (const d of rows.rows) console.log(`${d.state.padEnd(7)} ${d.receiver} ${d.recipient}${d.last_error ? `: ${d.last_error}` : ''}`);
        if (r.outcome !== 'sent') throw new Error(`report ${kind}: not every delivery succeeded (${r.outcome})`);
      } finally {
        await runner.stop();
        await write.end();
      }
      return;
    }
    const report = await withReadOnly(read, (db) => buildReport(db, config, { kind: kind as ReportKind, at, timeZone: zone }));
    if (format === 'json') output(`${JSON.stringify(report, null, 2)}\n`, flags.out);
    else if (format === 'slack') output(`${JSON.stringify(renderSlack(report), null, 2)}\n`, flags.out);
    else if (format === 'html') output(renderHtml(report, 'data').html, flags.out);
    else output(`${renderMarkdown(report)}\n`, flags.out);
    const failed = failedSections(report);
    if (failed.length) console.error(`saasmon: report ${kind}: ${failed.length} section(s) failed: ${failed.map((f) => `${f.id} (${f.error})`).join('; ')}`);
  } finally {
    await read.end();
  }
}

async function exportCommand(config: Config, flags: ReportFlags): Promise<void> {
  const format = flags.format ?? 'csv';
  if (!['csv', 'json'].includes(format)) throw new ConfigError('export: --format must be csv or json');
  let body: unknown;
  if (flags.query) {
    const text = flags.query.startsWith('@') ? readFileSync(flags.query.slice(1), 'utf8') : flags.query;
    try {
      body = JSON.parse(text);
    } catch (err) {
      throw new ConfigError(`export: --query is not JSON: ${(err as Error).message}`);
    }
  }
  const read = createPool(config, 'read', requireUrl(config));
  try {
    const now = new Date();
    if (body !== undefined) {
      const answer = await withReadOnly(read, (db) => runQuery(db, config, now, body)).catch((err: Error) => {
        throw new ConfigError(`export: ${err.message}`);
      });
      output(format === 'json' ? `${JSON.stringify(answer)}\n` : framesCsv(answer), flags.out);
      return;
    }
    const snapshot = await withReadOnly(read, (db) => metricSnapshot(db, config, now));
    output(format === 'json' ? `${JSON.stringify({ asOf: now.toISOString(), metrics: snapshot.rows, errors: snapshot.errors })}\n` : metricsCsv(snapshot.rows), flags.out);
    for (const e of snapshot.errors) console.error(`saasmon: export: collector ${e.collector} failed: ${e.error}`);
    if (snapshot.errors.length) process.exitCode = 1;
  } finally {
    await read.end();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(`saasmon: ${err.message}`);
    process.exit(2);
  }
  // One line for the operator; the stack only when asked for (SAASMON_DEBUG=1).
  console.error(`saasmon: ${process.env.SAASMON_DEBUG ? ((err as Error).stack ?? String(err)) : ((err as Error).message ?? String(err))}`);
  process.exit(1);
});
