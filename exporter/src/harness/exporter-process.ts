import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { ConfigInput } from '../config/schema';
import { freePort } from '../db/embedded';
import { eventually } from './eventually';

const CLI = resolve(__dirname, '../../dist/cli.js');

/** `saasmon serve` as a real child process (built dist/), for crash and signal tests and benchmarks. */
export class ExporterProcess {
  private child: ChildProcess | undefined;
  exit: Promise<number | null> = Promise.resolve(null);

  private constructor(
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
    private readonly ownSession: boolean,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /**
   * `config` is the whole YAML config the process reads (database URL, schema and port come from
   * env). `ownSession`: started in a session of its own, as a service manager starts a service
   * (the benchmarks: where the kernel groups CPU time by session, the load generators' session
   * must not be the exporter's; see compute/priorities.ts).
   */
  static async create(
    databaseUrl: string,
    schema: string,
    config: ConfigInput,
    options: { ownSession?: boolean } = {},
  ): Promise<ExporterProcess> {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build -w exporter\` first (npm test does)`);
    const dir = mkdtempSync(join(tmpdir(), 'saasmon-proc-'));
    const file = join(dir, 'config.yml');
    writeFileSync(file, stringify(config));
    const port = await freePort();
    return new ExporterProcess(
      port,
      {
        ...process.env,
        DATABASE_URL: databaseUrl,
        SAASMON_SCHEMA: schema,
        SAASMON_PORT: String(port),
        SAASMON_CONFIG: file,
        SAASMON_LOG_LEVEL: process.env.SAASMON_CHILD_LOG_LEVEL ?? 'error',
      },
      options.ownSession ?? false,
    );
  }

  async start(): Promise<void> {
    // BENCH_EXPORTER_NODE_ARGS: node flags for the exporter (e.g. --cpu-prof; NODE_OPTIONS refuses it).
    const nodeArgs = (process.env.BENCH_EXPORTER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...nodeArgs, CLI, 'serve', '--no-migrate'], {
      env: this.env,
      stdio: ['ignore', 'ignore', 'inherit'],
      detached: this.ownSession,
    });
    this.child = child;
    this.exit = new Promise((res) => child.once('exit', (code) => res(code)));
    await eventually(async () => {
      const r = await fetch(`${this.url}/healthz`);
      if (r.status !== 200) throw new Error(`healthz ${r.status}`);
    }, 20_000);
  }

  /** Resident memory of the process and its children (the API processes), from /proc; undefined elsewhere. */
  residentBytes(): number | undefined {
    const pid = this.child?.pid;
    if (pid === undefined) return undefined;
    try {
      const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean);
      return [String(pid), ...children]
        .map((p) => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0) * 1024)
        .reduce((a, b) => a + b, 0);
    } catch {
      return undefined;
    }
  }

  signal(sig: NodeJS.Signals): void {
    this.child?.kill(sig);
  }

  /** SIGTERM (so the process drains, and writes a --cpu-prof profile if asked), SIGKILL after `graceMs`. */
  async stop(graceMs = 0): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      if (graceMs > 0) {
        this.child.kill('SIGTERM');
        const timer = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
        await this.exit;
        clearTimeout(timer);
        return;
      }
      this.child.kill('SIGKILL');
      await this.exit;
    }
  }
}
