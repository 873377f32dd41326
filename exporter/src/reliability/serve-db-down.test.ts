import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Pool } from 'pg';
import { freePort } from '../db/embedded';
import { eventually } from '../harness/eventually';
import { testDatabaseUrl } from '../testing/db';
import { SwitchableProxy } from '../testing/switchable-proxy';

// `saasmon serve` started while its database is down: it waits, one log line per try and no stack
// trace, and serves once the database is there.

const CLI = resolve(__dirname, '../../dist/cli.js');

it('waits for the database with one-line logs, then migrates and serves', async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build -w exporter\` first (npm test does)`);
  const proxy = await SwitchableProxy.create(testDatabaseUrl());
  const port = await freePort();
  const schema = `servedown_${Date.now()}`;
  const child = spawn(process.execPath, [CLI, 'serve'], {
    env: {
      ...process.env,
      DATABASE_URL: proxy.url(testDatabaseUrl()),
      SAASMON_SCHEMA: schema,
      SAASMON_PORT: String(port),
      SAASMON_CONFIG: '',
      SAASMON_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise((r) => child.once('exit', r));
  try {
    await eventually(async () => {
      if ((stderr.match(/database unreachable/g) ?? []).length < 2) throw new Error('not retrying yet');
    }, 30_000);
    expect(child.exitCode).toBeNull();
    await proxy.up();
    await eventually(async () => {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.status !== 200) throw new Error(String(r.status));
    }, 30_000);
    const lines = stderr.trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow(); // every line one JSON log entry
    expect(stderr).not.toMatch(/^\s+at /m); // no stack trace
    const retries = lines.filter((l) => l.includes('database unreachable')).map((l) => JSON.parse(l) as { level: string; msg: string });
    expect(retries[0]).toMatchObject({
      level: 'warn',
      msg: expect.stringMatching(/^database unreachable \(migrating at start\); retrying in \d+ s$/),
    });
  } finally {
    child.kill('SIGKILL');
    await exited;
    await proxy.down();
    const pool = new Pool({ connectionString: testDatabaseUrl() });
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
  }
}, 90_000);
