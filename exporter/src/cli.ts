#!/usr/bin/env node
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify as stringifyYaml } from 'yaml';
import { eraseUser } from './admin/erase-user';
import { newToken, TokenScope } from './admin/tokens';
import { describeFailure, UsageError } from './cli/errors';
import { loadConfig } from './config/load';
import { Config } from './config/schema';
import { defaultDataDir, startEmbeddedPostgres } from './db/embedded';
import { createPool } from './db/pool';
import { migrate } from './db/migrate';
import { loadDemoData } from './demo';
import { demoToken, demoTokenFile } from './demo/demo-token';
import { hasAnyTenant } from './demo/detect';
import { startLiveDemo } from './demo/live';
import { Scale, SCALES } from './demo/scales';
import { createLogger } from './logger';
import { startService } from './service';

type OptionValues = Record<string, string | boolean | undefined>;

interface OptionSpec {
  type: 'string' | 'boolean';
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
  run(values: OptionValues): Promise<void>;
}

const ENVIRONMENT = `environment: SAASMON_CONFIG (YAML file), DATABASE_URL, SAASMON_SCHEMA, SAASMON_PORT,
             SAASMON_DATA_DIR (embedded Postgres folder, default <repo>/.data/postgres),
             SAASMON_STATE_DIR (root in a folder the postgres user cannot enter: where the
             embedded binaries and data go instead, default /var/lib/saasmon)`;

const log = createLogger();
// The checkout this code runs from (dist/ or src/, one level under exporter/).
const PROJECT_ROOT = resolve(__dirname, '../..');

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
      .then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  console.log(`saasmon: serving on ${service.url}/metrics`);
}

/** A whole number from an option, refused with the option's name otherwise. */
function integerOption(name: string, value: string | boolean | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--${name}: must be a whole number, got "${String(value)}"`);
  }
  return Number(value);
}

const COMMANDS: Record<string, Command> = {
  start: {
    summary: 'serve; without DATABASE_URL, on an embedded Postgres with S demo data',
    details:
      'Without DATABASE_URL: starts an embedded Postgres (kept in SAASMON_DATA_DIR), loads the S demo on the\n' +
      'first start, replays live demo activity, and keeps the demo API token beside the data (same token on\n' +
      'every start). With DATABASE_URL: migrates and serves that database, like `serve`.',
    run: () => startCommand(),
  },
  serve: {
    summary: 'serve /metrics and the APIs from DATABASE_URL (migrates unless --no-migrate)',
    usage: '[--no-migrate]',
    options: { 'no-migrate': { type: 'boolean', help: 'do not create or upgrade the schema (a read-only role)' } },
    async run(values) {
      const config = loadConfig();
      const url = requireUrl(config);
      if (!values['no-migrate']) await migrate(url, config.database.schema);
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
      console.log(JSON.stringify(redact(loadConfig()), null, 2));
      console.log('config ok');
    },
  },
  token: {
    summary: 'make an API token; prints it once and the config entry (sha256) to add',
    usage: '--name N --scopes ingest,query,admin',
    options: {
      name: { type: 'string', arg: 'N', help: 'who the token is for (shown in logs)' },
      scopes: { type: 'string', arg: 'LIST', help: 'comma-separated: ingest, query, admin' },
    },
    async run(values) {
      const scopes = String(values.scopes ?? '').split(',').filter(Boolean);
      const bad = scopes.filter((x) => !['ingest', 'query', 'admin'].includes(x));
      if (typeof values.name !== 'string' || !values.name || scopes.length === 0 || bad.length) {
        throw new UsageError('token: needs --name NAME --scopes ingest,query,admin (one or more)');
      }
      const t = newToken(values.name, scopes as TokenScope[]);
      console.log(`token (shown once, give it to the client): ${t.token}`);
      console.log('add to api.tokens in the config file:');
      console.log(stringifyYaml([t.configEntry]));
    },
  },
  'erase-user': {
    summary: "GDPR erase: remove a user's personal data, keep ids and aggregates",
    usage: '--user ID',
    options: { user: { type: 'string', arg: 'ID', help: 'the user id to erase' } },
    async run(values) {
      if (typeof values.user !== 'string' || !values.user) throw new UsageError('erase-user: needs --user ID');
      const config = loadConfig();
      const pool = createPool(config, 'write', requireUrl(config));
      try {
        const r = await eraseUser(pool, values.user);
        if (!r.found) throw new UsageError(`erase-user: no user with id "${values.user}"`);
        console.log(`erased user ${values.user}: email removed, marked deleted, ${r.eventsScrubbed} event properties and ${r.npsCommentsRemoved} NPS comments emptied`);
      } finally {
        await pool.end();
      }
    },
  },
};

async function startCommand(): Promise<void> {
  const config = loadConfig();
  if (config.database.url) {
    await migrate(config.database.url, config.database.schema);
    await serve(config);
    return;
  }
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
  const rows = [...Object.entries(options).map(([name, o]) => [`--${name}${o.arg ? ` ${o.arg}` : ''}`, o.help]), ['-h, --help', 'this help']];
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
  return ['usage: saasmon <command> [options]', '', 'commands:', ...lines, '', '`saasmon <command> --help` for its options.', '', ENVIRONMENT].join('\n');
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
  const options = Object.fromEntries(Object.entries(command.options ?? {}).map(([k, o]) => [k, { type: o.type }]));
  const { values } = parseArgs({ args: rest, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false });
  if (values.help) {
    console.log(commandHelp(name, command));
    return;
  }
  await command.run(values);
}

function redact(config: Config): unknown {
  return JSON.parse(
    JSON.stringify(config, (key, value: unknown) =>
      ['password', 'token'].includes(key) ? '***' : key === 'url' && typeof value === 'string' ? value.replace(/:[^:@/]*@/, ':***@') : value,
    ),
  );
}

const commandName = process.argv[2] && Object.hasOwn(COMMANDS, process.argv[2]) ? process.argv[2] : undefined;
main(process.argv.slice(2)).catch((err: unknown) => {
  const message = describeFailure(err, commandName);
  if (message !== undefined) {
    console.error(`saasmon: ${message}`);
    process.exit(2);
  }
  console.error(`saasmon: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
