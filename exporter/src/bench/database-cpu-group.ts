import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

/**
 * The benchmark's database in one CPU group, as a service manager runs it.
 *
 * Postgres makes every backend the leader of a session of its own (setsid), so where the kernel
 * shares CPU time between sessions first (Linux autogroup, for processes outside any CPU cgroup:
 * a Postgres started by hand or by pg_ctlcluster without systemd, as on the benchmark machine),
 * each busy backend takes a whole group's share: the database as a whole outweighs every other
 * program on the machine, and a backend's nice value (the exporter lowers its background
 * backends', db/pool.ts) orders it against nothing. Under systemd the cluster is one unit, one CPU
 * cgroup: the backends take turns as one, lowered ones last. `databaseInOneCpuGroup` makes that
 * second arrangement for the time of a measurement, when it can: the database on this machine, its
 * postmaster in the root CPU cgroup with autogroup on, a cgroup v1 `cpu` hierarchy to write to
 * (root). It moves the postmaster and its children into a new cgroup (backends started later are
 * born there) and `release` moves every one back.
 */
export interface DatabaseCpuGroup {
  /** Moves the database's processes back where they were; the group is removed. */
  release(): void;
}

export type Grouping = { grouped: DatabaseCpuGroup } | { notGrouped: string };

const GROUP_NAME = 'saasmon-bench-database';

export async function databaseInOneCpuGroup(databaseUrl: string): Promise<Grouping> {
  const postmaster = await localPostmaster(databaseUrl);
  if (typeof postmaster === 'string') return { notGrouped: postmaster };
  if (readText('/proc/sys/kernel/sched_autogroup_enabled') !== '1') return { notGrouped: 'autogroup is off: no session groups to undo' };
  const path = cpuCgroupPath(postmaster);
  if (path === undefined) return { notGrouped: 'no cgroup v1 cpu controller for the database' };
  // Our own group, left by a benchmark that was killed, is taken up again.
  if (path !== '/' && path !== `/${GROUP_NAME}`) return { notGrouped: `the database already runs in CPU cgroup ${path}` };
  const mount = cpuControllerMount();
  if (mount === undefined) return { notGrouped: 'no cgroup v1 cpu hierarchy mounted' };
  const group = join(mount, GROUP_NAME);
  try {
    mkdirSync(group, { recursive: true });
    for (const pid of [postmaster, ...childrenOf(postmaster)]) moveTo(group, pid);
  } catch (err) {
    try {
      moveAllBack(group, mount, postmaster);
    } catch {
      // Nothing was permitted: nothing moved.
    }
    return { notGrouped: `not permitted here (${(err as Error).message})` };
  }
  return { grouped: { release: () => moveAllBack(group, mount, postmaster) } };
}

/** The postmaster of the database at `databaseUrl` when it runs on this machine, or why not. */
async function localPostmaster(databaseUrl: string): Promise<number | string> {
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ pid: number; dir: string | null }>(
      "SELECT pg_backend_pid() AS pid, current_setting('data_directory', true) AS dir",
    );
    // Read while the backend lives. Its pid is the database machine's: it is ours only if this
    // machine's process of that pid is the child of a postgres whose working directory (a
    // postmaster's is its data directory) is the cluster's.
    const postmaster = parentOf(Number(rows[0]?.pid));
    if (postmaster === undefined || readText(`/proc/${postmaster}/comm`) !== 'postgres') return 'the database does not run on this machine';
    const dataDirectory = rows[0]?.dir;
    const cwd = workingDirectory(postmaster);
    if (dataDirectory && cwd === undefined) return "not permitted here to see the database's processes";
    if (dataDirectory && cwd !== dataDirectory) return 'the database does not run on this machine';
    return postmaster;
  } finally {
    await c.end().catch(() => undefined);
  }
}

function workingDirectory(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return undefined;
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** The process's cgroup in the v1 hierarchy that has the cpu controller. */
function cpuCgroupPath(pid: number): string | undefined {
  for (const line of (readText(`/proc/${pid}/cgroup`) ?? '').split('\n')) {
    const [, controllers, path] = line.split(':');
    if (controllers?.split(',').includes('cpu')) return path;
  }
  return undefined;
}

/** Where the v1 cpu hierarchy is mounted (/proc/self/mountinfo: "... - cgroup cgroup rw,cpu"). */
function cpuControllerMount(): string | undefined {
  for (const line of (readText('/proc/self/mountinfo') ?? '').split('\n')) {
    const [mountPart, fsPart] = line.split(' - ');
    const [fsType, , superOptions] = fsPart?.split(' ') ?? [];
    if (fsType === 'cgroup' && superOptions?.split(',').includes('cpu')) return mountPart?.split(' ')[4];
  }
  return undefined;
}

function childrenOf(parent: number): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .map(Number)
    .filter((pid) => parentOf(pid) === parent);
}

function parentOf(pid: number): number | undefined {
  const ppid = /^PPid:\s+(\d+)$/m.exec(readText(`/proc/${pid}/status`) ?? '')?.[1];
  return ppid === undefined ? undefined : Number(ppid);
}

function moveTo(group: string, pid: number): void {
  try {
    writeFileSync(join(group, 'cgroup.procs'), String(pid));
  } catch (err) {
    // A backend that ended meanwhile is no longer there to move.
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/**
 * Moves every process of the group back (the postmaster first, so that no backend is born there
 * meanwhile; then again for those forked while the list was read) and removes the group.
 */
function moveAllBack(group: string, mount: string, postmaster?: number): void {
  if (!existsSync(group)) return;
  if (postmaster !== undefined) moveTo(mount, postmaster);
  for (let round = 0; round < 50; round++) {
    const pids = (readText(join(group, 'cgroup.procs')) ?? '').split('\n').filter(Boolean);
    for (const pid of pids) moveTo(mount, Number(pid));
    try {
      rmdirSync(group);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EBUSY') throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20); // a backend still ending
    }
  }
  process.stderr.write(`bench: ${group} still holds processes; remove it once they end\n`);
}
