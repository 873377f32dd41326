#!/usr/bin/env node
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
import { createPool } from './db/pool';
import { migrate } from './db/migrate';
import { retryWhileUnreachable } from './db/wait-for-database';
import { loadDemoData } from './demo';
import { hasAnyTenant } from './demo/detect';
import { startLiveDemo } from './demo/live';
import { Scale, SCALES } from './demo/scales';
import { createLogger } from './logger';
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
  const { values } = parseArgs({
    args: rest,
    options: {
      scale: { type: 'string' },
      seed: { type: 'string' },
      'no-migrate': { type: 'boolean' },
      name: { type: 'string' },
      scopes: { type: 'string' },
      user: { type: 'string' },
      file: { type: 'string', multiple: true },
      'as-of': { type: 'string' },
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

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(`saasmon: ${err.message}`);
    process.exit(2);
  }
  // One line for the operator; the stack only when asked for (SAASMON_DEBUG=1).
  console.error(`saasmon: ${process.env.SAASMON_DEBUG ? ((err as Error).stack ?? String(err)) : ((err as Error).message ?? String(err))}`);
  process.exit(1);
});
