#!/usr/bin/env node
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify as stringifyYaml } from 'yaml';
import { describeErase, eraseUser } from './admin/erase-user';
import { exportUser, isEmptyExport } from './admin/export-user';
import { runStripeBackfill } from './api/integrations/stripe/backfill-command';
import { newToken, TokenScope } from './admin/tokens';
import { describeFailure, UsageError } from './cli/errors';
import { assertPortFree } from './cli/port-free';
import { loadConfig } from './config/load';
import { redactSecrets } from './config/redact';
import { Config } from './config/schema';
import { defaultDataDir, projectRootOf, startEmbeddedPostgres } from './db/embedded';
import { createPool, withReadOnly } from './db/pool';
import { migrate } from './db/migrate';
import { retryWhileUnreachable } from './db/wait-for-database';
import { loadDemoData } from './demo';
import { demoToken, demoTokenFile } from './demo/demo-token';
import { hasAnyTenant } from './demo/detect';
import { startLiveDemo } from './demo/live';
import { Scale, SCALES } from './demo/scales';
import { createLogger } from './logger';
import { readExecutiveSummary } from './summary/executive-summary';
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

type OptionValues = Record<string, string | boolean | string[] | undefined>;

interface OptionSpec {
  type: 'string' | 'boolean';
  /** The option may be given more than once (its value is then a list). */
  multiple?: boolean;
  /** Shown in the help after the option, e.g. N for `--seed N`. */
  arg?: string;
  help: string;
}

/** One CLI command: its help text, options and action. Add a command by adding an entry to COMMANDS. */
interface Command {
  summary: string;
  /** What follows the command name in its usage line. */
  usage?: string;
  /** Paragraph(s) printed by `saasmon <command> --help` under the usage line. */
  details?: string;
  options?: Record<string, OptionSpec>;
  /** Whether the command takes plain arguments (e.g. `report weekly`). */
  positionals?: boolean;
  run(values: OptionValues, positionals: string[]): Promise<void>;
}

const ENVIRONMENT = `environment: SAASMON_CONFIG (YAML file), DATABASE_URL, SAASMON_SCHEMA, SAASMON_PORT,
             SAASMON_DATA_DIR (embedded Postgres folder, default <repo>/.data/postgres),
             SAASMON_STATE_DIR (root in a folder the postgres user cannot enter: where the
             embedded binaries and data go instead, default /var/lib/saasmon)`;

const log = createLogger();
// The checkout this code runs from (dist/ or src/, one level under exporter/), or where the package is installed.
const PROJECT_ROOT = projectRootOf(resolve(__dirname, '..'));

function requireUrl(config: Config): string {
  if (!config.database.url) {
    throw new UsageError('database.url: not set (set DATABASE_URL, or run `saasmon start` for the embedded demo)');
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
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  console.log(`saasmon: serving on ${service.url}/metrics`);
}

/** A whole number from an option, refused with the option's name otherwise. */
function integerOption(name: string, value: OptionValues[string]): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--${name}: must be a whole number, got "${String(value)}"`);
  }
  return Number(value);
}

const WAIT_FOR_DB: OptionSpec = {
  type: 'string',
  arg: 'S',
  help: 'with DATABASE_URL: seconds to wait for a database that is down or starting, then exit 2 (default 60; 0: at once)',
};

function waitForDbMs(values: OptionValues): number {
  const seconds = integerOption('wait-for-db', values['wait-for-db']) ?? 60;
  if (seconds < 0) throw new UsageError(`--wait-for-db: must be 0 or more seconds, got ${seconds}`);
  return seconds * 1000;
}

const COMMANDS: Record<string, Command> = {
  start: {
    summary: 'serve; without DATABASE_URL, on an embedded Postgres with S demo data',
    details:
      'Without DATABASE_URL: starts an embedded Postgres (kept in SAASMON_DATA_DIR), loads the S demo on the\n' +
      'first start, replays live demo activity, and keeps the demo API token beside the data (same token on\n' +
      'every start). With DATABASE_URL: migrates and serves that database, like `serve`.',
    usage: '[--wait-for-db S]',
    options: { 'wait-for-db': WAIT_FOR_DB },
    run: (values) => startCommand(waitForDbMs(values)),
  },
  serve: {
    summary: 'serve /metrics and the APIs from DATABASE_URL (migrates unless --no-migrate)',
    usage: '[--no-migrate] [--wait-for-db S]',
    options: {
      'no-migrate': { type: 'boolean', help: 'do not create or upgrade the schema (a read-only role)' },
      'wait-for-db': WAIT_FOR_DB,
    },
    async run(values) {
      const maxWaitMs = waitForDbMs(values);
      const config = loadConfig();
      const url = requireUrl(config);
      // A database still starting (compose, a restart) is waited for, one log line per try.
      if (!values['no-migrate'])
        await retryWhileUnreachable(() => migrate(url, config.database.schema), log, 'migrating at start', { maxWaitMs });
      await serve(config);
    },
  },
  migrate: {
    summary: 'create or upgrade the saasmon schema (never drops data)',
    async run() {
      const config = loadConfig();
      const r = await migrate(requireUrl(config), config.database.schema);
      console.log(`migrations applied: ${r.applied.join(', ') || 'none'}; already there: ${r.skipped.length}`);
    },
  },
  demo: {
    summary: 'write generated demo data into an empty schema',
    usage: '--scale S|M|L [--seed N]',
    details: 'Scales: S 120 tenants (seconds), M 1,000 tenants and 2M events (minutes), L 5,000 tenants and 10M events.',
    options: {
      scale: { type: 'string', arg: 'S|M|L', help: 'how big a company (default S)' },
      seed: { type: 'string', arg: 'N', help: 'whole number; the same seed and hour give the same rows (default 42)' },
    },
    async run(values) {
      const scale = String(values.scale ?? 'S').toUpperCase() as Scale;
      if (!SCALES.includes(scale)) throw new UsageError(`--scale: must be one of ${SCALES.join(', ')}, got "${String(values.scale)}"`);
      const seed = integerOption('seed', values.seed);
      const config = loadConfig();
      const url = requireUrl(config);
      await migrate(url, config.database.schema);
      const r = await loadDemoData(url, config.database.schema, {
        scale,
        seed,
        onProgress: (phase, seconds) => console.log(`demo ${scale}: ${phase} (${seconds.toFixed(1)} s)`),
      });
      console.log(`demo ${scale}: ${r.tenants} tenants, ${r.users} users, ${r.events} events in ${r.seconds.toFixed(1)} s`);
    },
  },
  'check-config': {
    summary: 'validate SAASMON_CONFIG and the environment, print the effective config',
    async run() {
      console.log(JSON.stringify(redactSecrets(loadConfig()), null, 2));
      console.log('config ok');
    },
  },
  token: {
    summary: 'make an API token; prints it once and the config entry (sha256) to add',
    usage: '--name N --scopes ingest,query,admin,stripe,tracking',
    options: {
      name: { type: 'string', arg: 'N', help: 'who the token is for (shown in logs)' },
      scopes: { type: 'string', arg: 'LIST', help: 'comma-separated: ingest, query, admin, stripe, tracking' },
    },
    async run(values) {
      const scopes = String(values.scopes ?? '')
        .split(',')
        .filter(Boolean);
      const bad = scopes.filter((x) => !['ingest', 'query', 'admin', 'stripe', 'tracking'].includes(x));
      if (typeof values.name !== 'string' || !values.name || scopes.length === 0 || bad.length) {
        throw new UsageError('token: needs --name NAME --scopes ingest,query,admin,stripe,tracking (one or more)');
      }
      const t = newToken(values.name, scopes as TokenScope[]);
      console.log(`token (shown once, give it to the client): ${t.token}`);
      console.log('add to api.tokens in the config file:');
      console.log(stringifyYaml([t.configEntry]));
    },
  },
  'erase-user': {
    summary: "GDPR erase: remove a user's personal data (email, event properties, NPS comments) and keep them out (tombstone)",
    details: 'User-level counts then leave the user out, past days included; tenant-level numbers are unchanged.',
    usage: '--user ID',
    options: { user: { type: 'string', arg: 'ID', help: 'the user id to erase' } },
    async run(values) {
      if (typeof values.user !== 'string' || !values.user) throw new UsageError('erase-user: needs --user ID');
      const config = loadConfig();
      const pool = createPool(config, 'write', requireUrl(config));
      try {
        const r = await eraseUser(pool, values.user);
        if (!r.found) throw new UsageError(`erase-user: no user with id "${values.user}"`);
        console.log(describeErase(values.user, r));
      } finally {
        await pool.end();
      }
    },
  },
  'export-user': {
    summary: 'GDPR export: everything stored about a user, as JSON on stdout',
    usage: '--user ID',
    options: { user: { type: 'string', arg: 'ID', help: 'the user id to export' } },
    async run(values) {
      if (typeof values.user !== 'string' || !values.user) throw new UsageError('export-user: needs --user ID');
      const config = loadConfig();
      const pool = createPool(config, 'read', requireUrl(config));
      try {
        const e = await exportUser(pool, values.user);
        if (isEmptyExport(e)) throw new UsageError(`export-user: nothing is stored about a user with id "${values.user}"`);
        console.log(JSON.stringify(e, null, 2));
      } finally {
        await pool.end();
      }
    },
  },
  'stripe-backfill': {
    summary: 'load a Stripe export (JSON of the list endpoints) into tenants and subscriptions',
    usage: '--file F [--file F2 ...] [--as-of ISO]',
    options: {
      file: { type: 'string', multiple: true, arg: 'F', help: 'a Stripe export file (repeat for several)' },
      'as-of': { type: 'string', arg: 'ISO', help: 'the instant the export was taken' },
    },
    async run(values) {
      const config = loadConfig();
      const url = requireUrl(config);
      await migrate(url, config.database.schema);
      const pool = createPool(config, 'write', url);
      try {
        console.log(
          await runStripeBackfill(pool, config, (values.file as string[] | undefined) ?? [], values['as-of'] as string | undefined),
        );
      } finally {
        await pool.end();
      }
    },
  },
  summary: {
    summary: 'the executive summary now: MRR, growth, users, churn, uptime, status, alerts',
    usage: '[--format text|json]',
    options: { format: { type: 'string', arg: 'text|json', help: 'output format (default text)' } },
    async run(values) {
      if (values.format !== undefined && !['text', 'json'].includes(String(values.format)))
        throw new UsageError('summary: --format must be text or json');
      const config = loadConfig();
      const pool = createPool(config, 'read', requireUrl(config));
      try {
        const summary = await withReadOnly(pool, (db) => readExecutiveSummary(db, new Date(), config));
        console.log(values.format === 'json' ? JSON.stringify(summary, null, 2) : renderSummaryText(summary));
      } finally {
        await pool.end();
      }
    },
  },
  report: {
    summary: 'the report of the last closed period; --send delivers it to the receivers and records each delivery',
    usage: 'daily|weekly|monthly [--format md|html|slack|json] [--out FILE] [--zone TZ] [--at ISO] [--send [--receivers a,b]]',
    positionals: true,
    options: {
      format: { type: 'string', arg: 'md|html|slack|json', help: 'output format (default md)' },
      out: { type: 'string', arg: 'FILE', help: 'write to a file instead of stdout' },
      zone: { type: 'string', arg: 'TZ', help: 'IANA time zone of the periods (default reports.timeZone)' },
      at: { type: 'string', arg: 'ISO', help: 'report as of this instant (default now)' },
      send: { type: 'boolean', help: 'deliver to the receivers instead of printing' },
      receivers: { type: 'string', arg: 'a,b', help: 'with --send: these receivers of reports.receivers (default all)' },
    },
    run: (values, positionals) => reportCommand(loadConfig(), positionals[0], values as ReportFlags),
  },
  export: {
    summary: 'the current metric snapshot, or the answer of a query (same body as the API)',
    usage: '[--format csv|json] [--query JSON|@FILE] [--out FILE]',
    options: {
      format: { type: 'string', arg: 'csv|json', help: 'output format (default csv)' },
      query: { type: 'string', arg: 'JSON|@FILE', help: 'a query body, inline or from a file' },
      out: { type: 'string', arg: 'FILE', help: 'write to a file instead of stdout' },
    },
    run: (values) => exportCommand(loadConfig(), values as ReportFlags),
  },
};

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
  if (!REPORT_KINDS.includes(kind as ReportKind)) throw new UsageError(`report: name the report: ${REPORT_KINDS.join(', ')}`);
  const format = flags.format ?? 'md';
  if (!['md', 'html', 'slack', 'json'].includes(format)) throw new UsageError('report: --format must be md, html, slack or json');
  const zone = flags.zone ?? config.reports.timeZone;
  if (!isTimeZone(zone)) throw new UsageError(`report: --zone "${zone}" is not an IANA time zone`);
  const at = flags.at ? new Date(flags.at) : new Date();
  if (Number.isNaN(at.getTime())) throw new UsageError('report: --at must be an ISO 8601 instant');
  const url = requireUrl(config);
  const read = createPool(config, 'read', url);
  try {
    if (flags.send) {
      const receivers = flags.receivers ? flags.receivers.split(',').filter(Boolean) : Object.keys(config.reports.receivers);
      const unknown = receivers.filter((r) => !config.reports.receivers[r]);
      if (receivers.length === 0 || unknown.length)
        throw new UsageError(
          `report --send: ${unknown.length ? `no receiver ${unknown.join(', ')}` : 'no receivers'} in reports.receivers`,
        );
      const write = createPool(config, 'write', url);
      const runner = new ReportRunner({ pool: write, readPool: read, config, log, now: () => at });
      try {
        const r = await runner.runNow(kind as ReportKind, receivers, zone);
        const rows = await write.query<{ receiver: string; recipient: string; state: string; last_error: string | null }>(
          'SELECT receiver, recipient, state, last_error FROM saasmon_report_deliveries WHERE schedule = $1 AND scheduled_for = $2 ORDER BY 1, 2',
          [`manual-${kind}`, r.scheduledFor],
        );
        for (const d of rows.rows)
          console.log(`${d.state.padEnd(7)} ${d.receiver} ${d.recipient}${d.last_error ? `: ${d.last_error}` : ''}`);
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
    if (failed.length)
      console.error(`saasmon: report ${kind}: ${failed.length} section(s) failed: ${failed.map((f) => `${f.id} (${f.error})`).join('; ')}`);
  } finally {
    await read.end();
  }
}

async function exportCommand(config: Config, flags: ReportFlags): Promise<void> {
  const format = flags.format ?? 'csv';
  if (!['csv', 'json'].includes(format)) throw new UsageError('export: --format must be csv or json');
  let body: unknown;
  if (flags.query) {
    const text = flags.query.startsWith('@') ? readFileSync(flags.query.slice(1), 'utf8') : flags.query;
    try {
      body = JSON.parse(text);
    } catch (err) {
      throw new UsageError(`export: --query is not JSON: ${(err as Error).message}`);
    }
  }
  const read = createPool(config, 'read', requireUrl(config));
  try {
    const now = new Date();
    if (body !== undefined) {
      const answer = await withReadOnly(read, (db) => runQuery(db, config, now, body)).catch((err: Error) => {
        throw new UsageError(`export: ${err.message}`);
      });
      output(format === 'json' ? `${JSON.stringify(answer)}\n` : framesCsv(answer), flags.out);
      return;
    }
    const snapshot = await withReadOnly(read, (db) => metricSnapshot(db, config, now));
    output(
      format === 'json'
        ? `${JSON.stringify({ asOf: now.toISOString(), metrics: snapshot.rows, errors: snapshot.errors })}\n`
        : metricsCsv(snapshot.rows),
      flags.out,
    );
    for (const e of snapshot.errors) console.error(`saasmon: export: collector ${e.collector} failed: ${e.error}`);
    if (snapshot.errors.length) process.exitCode = 1;
  } finally {
    await read.end();
  }
}

async function startCommand(maxWaitMs: number): Promise<void> {
  const config = loadConfig();
  if (config.database.url) {
    const url = config.database.url;
    await retryWhileUnreachable(() => migrate(url, config.database.schema), log, 'migrating at start', { maxWaitMs });
    await serve(config);
    return;
  }
  await assertPortFree(config.server.host, config.server.port);
  const dataDir = process.env.SAASMON_DATA_DIR || defaultDataDir(PROJECT_ROOT);
  console.log(`saasmon: starting embedded Postgres in ${dataDir}`);
  const db = await startEmbeddedPostgres(dataDir);
  let embedded: Config = { ...config, database: { ...config.database, url: db.url } };
  try {
    if (config.api.tokens.length === 0) {
      // The demo should be explorable at once, with a token that survives restarts (Grafana keeps it).
      const t = demoToken(dataDir);
      embedded = { ...embedded, api: { ...embedded.api, tokens: [t.configEntry] } };
      console.log(`saasmon: demo API token (query, ingest, admin; kept in ${demoTokenFile(dataDir)}): ${t.token}`);
    }
    await migrate(db.url, config.database.schema);
    if (!(await hasAnyTenant(db.url, config.database.schema))) {
      console.log('saasmon: loading S demo data (first start only)');
      const r = await loadDemoData(db.url, config.database.schema, { scale: 'S' });
      console.log(`saasmon: demo data loaded: ${r.tenants} tenants, ${r.users} users, ${r.events} events`);
    }
    console.log(`saasmon: embedded database at ${db.url}`);
  } catch (err) {
    await db.stop();
    throw err;
  }
  const writer = createPool(embedded, 'write');
  const live = startLiveDemo(writer, log);
  const stopAll = async () => {
    await live.stop();
    await writer.end();
    await db.stop();
  };
  try {
    await serve(embedded, stopAll);
  } catch (err) {
    await stopAll();
    throw err;
  }
}

function optionLines(options: Record<string, OptionSpec>): string {
  const rows = [
    ...Object.entries(options).map(([name, o]) => [`--${name}${o.arg ? ` ${o.arg}` : ''}`, o.help]),
    ['-h, --help', 'this help'],
  ];
  const width = Math.max(...rows.map(([left]) => (left as string).length)) + 2;
  return rows.map(([left, help]) => `  ${(left as string).padEnd(width)}${help}`).join('\n');
}

function commandHelp(name: string, c: Command): string {
  return [
    `usage: saasmon ${name}${c.usage ? ` ${c.usage}` : ''}`,
    '',
    c.summary,
    ...(c.details ? ['', c.details] : []),
    '',
    'options:',
    optionLines(c.options ?? {}),
    '',
    ENVIRONMENT,
  ].join('\n');
}

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => {
    const left = `  ${name}${c.usage ? ` ${c.usage}` : ''}`;
    return left.length < 24 ? `${left.padEnd(24)}${c.summary}` : `${left}\n${' '.repeat(24)}${c.summary}`;
  });
  return [
    'usage: saasmon <command> [options]',
    '',
    'commands:',
    ...lines,
    '',
    '`saasmon <command> --help` for its options.',
    '',
    ENVIRONMENT,
  ].join('\n');
}

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    const topic = name === 'help' ? rest[0] : undefined;
    const c = topic ? COMMANDS[topic] : undefined;
    if (topic && !c) throw new UsageError(`unknown command "${topic}" (commands: ${Object.keys(COMMANDS).join(', ')})`);
    console.log(c && topic ? commandHelp(topic, c) : usage());
    return;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    throw new UsageError(`unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')}; see \`saasmon --help\`)`);
  }
  const options = Object.fromEntries(
    Object.entries(command.options ?? {}).map(([k, o]) => [k, { type: o.type, multiple: o.multiple ?? false }]),
  );
  const { values, positionals } = parseArgs({
    args: rest,
    options: { ...options, help: { type: 'boolean', short: 'h' } },
    strict: true,
    allowPositionals: command.positionals ?? false,
  });
  if (values.help) {
    console.log(commandHelp(name, command));
    return;
  }
  await command.run(values, positionals);
}

const commandName = process.argv[2] && Object.hasOwn(COMMANDS, process.argv[2]) ? process.argv[2] : undefined;
main(process.argv.slice(2)).catch((err: unknown) => {
  const message = describeFailure(err, commandName);
  if (message !== undefined) {
    console.error(`saasmon: ${message}`);
    process.exit(2);
  }
  // One line for the operator; the stack only when asked for (SAASMON_DEBUG=1).
  console.error(`saasmon: ${process.env.SAASMON_DEBUG ? ((err as Error).stack ?? String(err)) : ((err as Error).message ?? String(err))}`);
  process.exit(1);
});
