import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { newToken, tokenEntry, TokenScope } from '../admin/tokens';

const DEMO_SCOPES: TokenScope[] = ['ingest', 'query', 'admin'];

/**
 * The file beside the embedded data folder, named after it, that keeps the demo's API token
 * (`.data/postgres.demo-api-token`). Named after the folder, not the parent's `demo-api-token`:
 * SAASMON_DATA_DIR=/tmp/x must not leave a token in /tmp that another data folder (or user) finds.
 */
export function demoTokenFile(dataDir: string): string {
  const dir = resolve(dataDir);
  return join(dirname(dir), `${basename(dir)}.demo-api-token`);
}

/**
 * The embedded demo's API token, kept beside its data (mode 0600) so that a Grafana datasource
 * configured with it still works after a restart; made on the first start.
 */
export function demoToken(dataDir: string): ReturnType<typeof newToken> & { created: boolean } {
  const file = demoTokenFile(dataDir);
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (/^smn_[A-Za-z0-9_-]{20,}$/.test(token)) return { ...tokenEntry(token, 'demo', DEMO_SCOPES), created: false };
  }
  const made = newToken('demo', DEMO_SCOPES);
  mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
  writeFileSync(file, `${made.token}\n`, { mode: 0o600 });
  return { ...made, created: true };
}
