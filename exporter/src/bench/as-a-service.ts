/**
 * How the benchmarks start the exporter: in a session of its own, as a service manager starts a
 * service. Where the kernel shares CPU time between sessions first (Linux autogroup), an exporter
 * in the benchmark's own session would share one group's turn with the load generators measuring
 * it (measured at L: a do-nothing server's p99 under load 231 ms in the benchmark's session, 44 ms
 * in its own; docs/benchmarks.md, "Scheduling groups").
 */
export const AS_A_SERVICE = { ownSession: true } as const;
