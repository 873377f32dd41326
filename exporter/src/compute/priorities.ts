import { writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * CPU priorities (nice values) of the exporter's processes and threads, one ladder for all: what
 * must answer at once keeps the normal priority, what can wait yields to it when the cores are
 * busy. On a machine that the database and the load share with the exporter (the 2-core bench at
 * L), scrapes and ingest otherwise wait behind the query API's own traffic and its computations
 * (docs/benchmarks.md, "Priorities"). A process may always lower its own priority or its
 * children's; raising it would need privileges, so nothing here goes below 0.
 *
 * A nice value orders a thread only within its scheduling group. Where the kernel groups by
 * session (Linux autogroup, on by default in Debian's and Ubuntu's kernels outside CPU cgroups),
 * each session first gets an equal share and its processes take turns as one, so a scrape would
 * wait for the turn of the API processes' work. They start sessions of their own
 * (server/api-process.ts): the serving process's group is then the serving process alone. Their
 * own group is left at nice 0: at nice 5 it got a sixth of a share among the busy groups of the
 * L benchmark, and the query API fell from ~400 to ~60 answers/s (docs/benchmarks.md).
 */
export const NICE = {
  // The serving process (scrapes, health, readiness) and the ingest process keep nice 0.
  /** The query API process: validation, the answer cache, sending answers. */
  queryProcess: 5,
  /** Computing answers, and the collectors: background work. */
  queryWorker: 10,
  collectorWorker: 10,
} as const;

/** Lowers a process's priority (a thread's, with pid 0 on Linux); where it is not permitted, it runs as it is. */
export function lowerPriority(pid: number, nice: number): void {
  if (nice <= 0) return;
  try {
    setPriority(pid, nice);
  } catch {
    // Not permitted or not supported here.
  }
}

/**
 * Lowers the priority of a whole scheduling group (Linux autogroup: the session `pid` belongs to)
 * against the other groups, as `lowerPriority` does a process's within its group. Where the kernel
 * has no autogroup, or it is not permitted, nothing changes.
 */
export function lowerGroupPriority(pid: number, nice: number): void {
  if (nice <= 0) return;
  try {
    writeFileSync(`/proc/${pid}/autogroup`, String(nice));
  } catch {
    // No autogroup here, or not permitted.
  }
}
