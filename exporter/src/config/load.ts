import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ZodError } from 'zod';
import { Config, ConfigInput, configSchema } from './schema';

export class ConfigError extends Error {}

/** Environment variables that override the file, by the config key they set. */
const ENV_KEYS: ReadonlyArray<{ env: string; path: readonly string[]; parse: (v: string) => unknown }> = [
  { env: 'DATABASE_URL', path: ['database', 'url'], parse: (v) => v },
  { env: 'SAASMON_SCHEMA', path: ['database', 'schema'], parse: (v) => v },
  { env: 'SAASMON_PORT', path: ['server', 'port'], parse: (v) => portNumber('SAASMON_PORT', v) },
  {
    env: 'SAASMON_STRIPE_WEBHOOK_SECRET',
    path: ['integrations', 'stripe', 'webhookSecrets'],
    parse: (v) =>
      v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
  },
];

/** A TCP port from an environment variable; a bad value is named by its variable, not its key. */
function portNumber(name: string, value: string): number {
  const port = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(port >= 0 && port <= 65_535)) throw new ConfigError(`${name}: must be a port number (0-65535), got "${value}"`);
  return port;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

/** Validates a raw config object; the error names every bad key by its dotted path. */
export function parseConfig(raw: unknown, source = 'config'): Config {
  try {
    return configSchema.parse(raw ?? {});
  } catch (err) {
    if (err instanceof ZodError) {
      const lines = err.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
      throw new ConfigError(`invalid ${source}:\n${lines.join('\n')}`);
    }
    throw err;
  }
}

/** Reads the YAML file named by SAASMON_CONFIG (if any), applies env overrides, validates. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigInput = {}): Config {
  let raw: Record<string, unknown> = {};
  const file = env.SAASMON_CONFIG;
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError(`SAASMON_CONFIG: cannot read ${file}: ${(err as Error).message}`);
    }
    try {
      raw = (parseYaml(text) as Record<string, unknown> | null) ?? {};
    } catch (err) {
      throw new ConfigError(`SAASMON_CONFIG: ${file} is not valid YAML: ${(err as Error).message}`);
    }
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      throw new ConfigError(`SAASMON_CONFIG: ${file} must hold a YAML mapping`);
    }
  }
  for (const { env: name, path, parse } of ENV_KEYS) {
    const value = env[name];
    if (value !== undefined && value !== '') setPath(raw, path, parse(value));
  }
  for (const [key, value] of Object.entries(overrides)) raw[key] = value;
  return parseConfig(raw, file ? `config (${file} and environment)` : 'config (environment)');
}
