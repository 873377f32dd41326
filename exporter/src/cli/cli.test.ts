import { spawn } from 'node:child_process';
import { createServer, Server } from 'node:net';
import { resolve } from 'node:path';
import { freePort } from '../db/embedded';
import { createTestSchema, TestSchema, testDatabaseUrl } from '../testing/db';

/** The `saasmon` bin as npm links it (it runs dist/cli.js, built by `npm test`). */
const BIN = resolve(__dirname, '../../bin/saasmon.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function saasmon(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((done, fail) => {
    const base = { ...process.env };
    for (const key of ['DATABASE_URL', 'SAASMON_CONFIG', 'SAASMON_SCHEMA', 'SAASMON_PORT', 'SAASMON_DATA_DIR']) delete base[key];
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...base, SAASMON_LOG_LEVEL: 'error', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', fail);
    child.once('exit', (code) => done({ code, stdout, stderr }));
  });
}

/** An operator's error: one line on stderr naming the problem, no stack, exit 2. */
function expectOneLineError(r: Run, pattern: RegExp): void {
  expect(r.code).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^saasmon: /);
  expect(lines[0]).toMatch(pattern);
}

describe('saasmon CLI', () => {
  it('lists every command and points to per-command help', async () => {
    const r = await saasmon(['--help']);
    expect(r.code).toBe(0);
    for (const c of [
      'start',
      'serve',
      'migrate',
      'demo',
      'check-config',
      'token',
      'erase-user',
      'export-user',
      'summary',
      'report',
      'export',
    ])
      expect(r.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    expect(r.stdout).toContain('saasmon <command> --help');
  });

  it.each([
    ['demo', ['--scale S|M|L', '--seed N']],
    ['serve', ['--no-migrate', '--wait-for-db S']],
    ['start', ['--wait-for-db S']],
    ['token', ['--name N', '--scopes LIST']],
    ['erase-user', ['--user ID']],
  ])('prints the options of %s with --help, -h and help', async (command, options) => {
    for (const args of [
      [command, '--help'],
      [command, '-h'],
      ['help', command],
    ]) {
      const r = await saasmon(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^usage: saasmon ${command}`));
      for (const o of options) expect(r.stdout).toContain(o);
      expect(r.stdout).not.toMatch(/^commands:/m);
    }
  });

  it('refuses an unknown option in one line, exit 2', async () => {
    expectOneLineError(await saasmon(['demo', '--bogus']), /demo: unknown option --bogus \(see `saasmon demo --help`\)/);
    expectOneLineError(await saasmon(['serve', '--scale', 'S']), /serve: unknown option --scale/);
  });

  it('refuses an unknown command and a stray argument', async () => {
    expectOneLineError(await saasmon(['strat']), /unknown command "strat"/);
    expectOneLineError(await saasmon(['migrate', 'now']), /migrate: unexpected argument now/);
  });

  it('refuses a seed that is not a whole number and a scale it does not know', async () => {
    expectOneLineError(await saasmon(['demo', '--seed', 'abc']), /--seed: must be a whole number, got "abc"/);
    expectOneLineError(await saasmon(['demo', '--seed', '1.5']), /--seed/);
    expectOneLineError(await saasmon(['demo', '--scale', 'XL']), /--scale: must be one of S, M, L, got "XL"/);
  });

  it('names SAASMON_PORT when it is not a port', async () => {
    expectOneLineError(await saasmon(['check-config'], { SAASMON_PORT: 'abc' }), /^saasmon: SAASMON_PORT: must be a port number.*"abc"/);
    expectOneLineError(await saasmon(['check-config'], { SAASMON_PORT: '70000' }), /SAASMON_PORT/);
    const ok = await saasmon(['check-config'], { SAASMON_PORT: '9999' });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('"port": 9999');
  });

  it('says in one line that the database refuses connections (one-shot commands; serve waits for it)', async () => {
    const port = await freePort(); // nothing listens there
    for (const command of ['migrate', 'demo']) {
      expectOneLineError(
        await saasmon([command], { DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/saasmon` }),
        new RegExp(`the database at 127\\.0\\.0\\.1:${port} refuses connections`),
      );
    }
  });

  it('serve and start wait for a database that refuses connections only as long as --wait-for-db, then say so in one line', async () => {
    const port = await freePort(); // nothing listens there
    const env = { DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/saasmon` };
    const refuses = new RegExp(`the database at 127\\.0\\.0\\.1:${port} refuses connections`);
    expectOneLineError(await saasmon(['serve', '--wait-for-db', '1'], env), refuses);
    expectOneLineError(await saasmon(['start', '--wait-for-db', '0'], env), refuses);
    expectOneLineError(await saasmon(['serve', '--wait-for-db', 'soon'], env), /--wait-for-db: must be a whole number, got "soon"/);
  });

  describe('with a database', () => {
    let db: TestSchema;
    let busy: Server;
    let busyPort: number;

    beforeAll(async () => {
      db = await createTestSchema('cli');
      busy = createServer();
      await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
      busyPort = (busy.address() as { port: number }).port;
    });
    afterAll(async () => {
      await new Promise((r) => busy.close(r));
      await db.close();
    });

    it('says in one line that the port is in use', async () => {
      const r = await saasmon(['serve', '--no-migrate'], {
        DATABASE_URL: testDatabaseUrl(),
        SAASMON_SCHEMA: db.schema,
        SAASMON_PORT: String(busyPort),
      });
      expectOneLineError(r, new RegExp(`port ${busyPort} on \\S+ is in use.*SAASMON_PORT`));
    });

    it('start: says the port is in use at once, before it starts the embedded Postgres', async () => {
      const r = await saasmon(['start'], { SAASMON_PORT: String(busyPort) });
      expectOneLineError(r, new RegExp(`port ${busyPort} on \\S+ is in use`));
      expect(r.stdout).toBe('');
    });

    it('reports progress while the demo loads', async () => {
      const r = await saasmon(['demo', '--scale', 's', '--seed', '7'], { DATABASE_URL: testDatabaseUrl(), SAASMON_SCHEMA: db.schema });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const phases = r.stdout
        .split('\n')
        .filter((l) => /^demo S: \w.*\(\d+\.\d s\)$/.test(l))
        .map((l) => l.replace(/^demo S: | \(.*$/g, ''));
      expect(phases).toEqual(['model', 'tables', 'events', 'rollups', 'commit', 'analyze']);
      expect(r.stdout).toMatch(/demo S: 120 tenants, \d+ users, \d+ events in/);
    });
  });
});
