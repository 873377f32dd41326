import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../db/embedded';

const BIN = '/usr/lib/postgresql/15/bin';

/**
 * A private primary and its streaming standby on loopback, made as a DBA would: initdb, then
 * `pg_basebackup -R` (standby.signal and primary_conninfo written for us). Runs the server
 * binaries as the `postgres` user when the tests run as root. Trust auth, loopback only.
 */
export class StreamingPair {
  private constructor(
    private readonly dir: string,
    readonly primaryPort: number,
    readonly standbyPort: number,
  ) {}

  static async create(database: string): Promise<StreamingPair> {
    const dir = mkdtempSync(join(tmpdir(), 'saasmon-standby-'));
    chmodSync(dir, 0o755);
    if (process.getuid?.() === 0) chownSync(dir, postgresUid(), postgresUid('g'));
    const pair = new StreamingPair(dir, await freePort(), await freePort());
    try {
      pair.setUp(database);
    } catch (err) {
      await pair.destroy();
      throw err;
    }
    return pair;
  }

  private setUp(database: string): void {
    const dir = this.dir;
    run('initdb', ['-D', this.dataDir('primary'), '-U', 'postgres', '--auth=trust', '--no-sync']);
    appendFileSync(
      join(this.dataDir('primary'), 'postgresql.conf'),
      `\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${dir}'\nfsync = off\nwal_level = replica\nmax_wal_senders = 4\n`,
    );
    this.ctl('primary', 'start');
    run('pg_basebackup', [
      '-h',
      '127.0.0.1',
      '-p',
      String(this.primaryPort),
      '-U',
      'postgres',
      '-D',
      this.dataDir('standby'),
      '-R',
      '-X',
      'stream',
    ]);
    this.ctl('standby', 'start');
    execFileSync(
      join(BIN, 'psql'),
      ['-h', '127.0.0.1', '-p', String(this.primaryPort), '-U', 'postgres', '-c', `CREATE DATABASE ${database}`],
      { stdio: 'ignore' },
    );
  }

  url(which: 'primary' | 'standby', database: string): string {
    return `postgres://postgres@127.0.0.1:${which === 'primary' ? this.primaryPort : this.standbyPort}/${database}`;
  }

  /** Starts or stops (fast) one of the two servers. */
  ctl(which: 'primary' | 'standby', action: 'start' | 'stop'): void {
    const port = which === 'primary' ? this.primaryPort : this.standbyPort;
    const args = ['-D', this.dataDir(which), '-w', '-l', join(this.dir, `${which}.log`)];
    if (action === 'start') run('pg_ctl', [...args, '-o', `-p ${port} -k ${this.dir}`, 'start']);
    else run('pg_ctl', [...args, '-m', 'fast', 'stop']);
  }

  async destroy(): Promise<void> {
    for (const which of ['standby', 'primary'] as const) {
      try {
        this.ctl(which, 'stop');
      } catch {
        /* already stopped */
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private dataDir(which: 'primary' | 'standby'): string {
    return join(this.dir, which);
  }
}

function postgresUid(kind: 'u' | 'g' = 'u'): number {
  return Number(
    execFileSync('id', [`-${kind}`, 'postgres'])
      .toString()
      .trim(),
  );
}

/** A server binary, as the postgres user when we are root (Postgres refuses to run as root). */
function run(binary: string, args: string[]): void {
  const file = join(BIN, binary);
  if (process.getuid?.() === 0) execFileSync('runuser', ['-u', 'postgres', '--', file, ...args], { stdio: 'ignore' });
  else execFileSync(file, args, { stdio: 'ignore' });
}
