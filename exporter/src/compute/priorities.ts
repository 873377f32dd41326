import { setPriority } from 'node:os';

/**
 * CPU priorities (nice values) of the exporter's processes and threads, one ladder for all: what
 * must answer at once keeps the normal priority, what can wait yields to it when the cores are
 * busy. On a machine that the database and the load share with the exporter (the 2-core bench at
 * L), scrapes and ingest otherwise wait behind the query API's own traffic and its computations
 * (docs/benchmarks.md, "Priorities"). A process may always lower its own priority or its
 * children's; raising it would need privileges, so nothing here goes below 0.
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
