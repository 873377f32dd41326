import { createServer, Server } from 'node:http';
import { AddressInfo, Server as NetServer } from 'node:net';
import { Pool } from 'pg';
import { createApiRouters } from './api';
import { allCollectors } from './collectors';
import { NICE } from './compute/priorities';
import { Compute, ComputeEngine } from './compute/engine';
import { WorkerCompute } from './compute/worker-compute';
import { Config } from './config/schema';
import { createPool, roleUrl } from './db/pool';
import { WalPosition } from './api/query/data-version';
import { RollupCompactor } from './db/rollup-compactor';
import { createLogger, Logger, silentLogger } from './logger';
import { HealthProbe } from './metrics/health-probe';
import { Scheduler } from './metrics/scheduler';
import { SelfExposition } from './metrics/self-exposition';
import { SelfMetrics } from './metrics/self-metrics';
import { SnapshotStore } from './metrics/snapshot-store';
import { createApp } from './server/app';
import { ApiProcess, apiRoleOf } from './server/api-process';
import { routeConnections } from './server/front';
import { EventLoopDelay } from './server/event-loop-delay';
import { DeliveryMetrics } from './reports/delivery-metrics';
import { ReportRunner } from './reports/runner';

export interface ServiceOptions {
  config: Config;
  log?: Logger;
  now?: () => Date;
  processMetrics?: boolean;
}

export interface RunningService {
  url: string;
  port: number;
  scheduler: Scheduler;
  store: SnapshotStore;
  probe: HealthProbe;
  compactor: RollupCompactor;
  /** The ingest API's pool (writes to the primary). */
  writePool: Pool;
  /** The API process's pid, when the APIs run in one (server.apiProcess). */
  apiProcessPid?: () => number | undefined;
  close(): Promise<void>;
}

/**
 * Wires the serving thread (HTTP: /metrics from prepared bytes, health, ingest, the query API's
 * admission and cache) to the computing side (collectors, queries, rendering: a worker thread
 * unless server.computeWorker is false). Each role has its own pool. The process stays up
 * whatever the database does. docs/architecture.md tells why it is cut this way.
 */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  const { config } = options;
  const log = options.log ?? createLogger();
  const now = options.now ?? (() => new Date());
  // The APIs in processes of their own (server.apiProcess), unless a test drives the clock.
  const splitApis = config.server.apiProcess && !options.now;
  const writePool = createPool(config, 'ingest');
  const compactionPool = createPool(config, 'compaction');
  const compute: Compute = config.server.computeWorker
    ? // Collectors are background work: with the API processes (which run the other queries on a
      // worker of their own) this worker yields the CPU to serving and answering.
      new WorkerCompute(config, log, log === silentLogger, splitApis ? NICE.collectorWorker : 0)
    : new ComputeEngine(config, log);
  const store = new SnapshotStore();
  const self = new SelfMetrics({ processMetrics: options.processMetrics });
  const probe = new HealthProbe(config, self, log);
  const loopDelay = new EventLoopDelay(self.registries());
  const scheduler = new Scheduler(allCollectors(), { compute, config, store, self, log, now: options.now });
  const compactor = new RollupCompactor(compactionPool, 1000 * config.rollups.compactIntervalSeconds, self, log);
  // The answer cache's data version: the read database's WAL position, on a connection of its own
  // (the API processes keep their own).
  const versionPool = splitApis ? undefined : createPool(config, 'probe', roleUrl(config, 'query'), { connectMs: 3_000, queryMs: 3_000 });
  // Background work of the API (answer warming) stops with the service.
  const lifetime = new AbortController();
  // One process for queries, one for ingest (with integrations and status): neither waits on the other.
  const apiProcesses = splitApis
    ? (['query', 'ingest'] as const).map(
        (role) =>
          new ApiProcess({
            role,
            config,
            compute,
            state: () => ({ snapshotVersion: store.snapshotVersion, up: probe.up, error: probe.error }),
            log,
            quiet: log === silentLogger,
          }),
      )
    : [];
  const [queryProcess, ingestProcess] = apiProcesses;
  const apiProcess =
    queryProcess && ingestProcess
      ? {
          for: (target: string) => (apiRoleOf(target) === 'query' ? queryProcess : ingestProcess),
          get accepting() {
            return queryProcess.accepting && ingestProcess.accepting;
          },
        }
      : undefined;
  for (const p of apiProcesses) store.onChange(() => p.snapshotChanged());
  self.mergeFrom(() => apiProcesses.map((p) => p.metricsJson()).filter((m) => m !== undefined));
  // With the API process, the self part of /metrics is rendered in the background every second
  // (its API figures arrive every second anyway), so a scrape only writes prepared bytes.
  const selfExposition = new SelfExposition((format) => self.renderFormat(format), apiProcess ? SELF_EXPOSITION_MAX_AGE_MS : 0);
  const app = createApp({
    config,
    store,
    self,
    selfExposition,
    scheduler,
    probe,
    apiElsewhere: apiProcess,
    // The APIs in this process (server.apiProcess false, or a test's clock).
    apiRouters: versionPool
      ? createApiRouters(
          config,
          { ingest: writePool },
          { compute, database: probe, dataVersion: versionReader(new WalPosition(versionPool), store), lifetime: lifetime.signal },
          log,
          now,
          self,
        )
      : undefined,
  });
  await probe.start();
  await Promise.all(apiProcesses.map((p) => p.start()));
  // Slow senders are bounded: the whole request within requestTimeout (checked every second, not
  // Node's default 30 s), headers within headersTimeout; and connections are capped.
  const headersTimeoutMs = 1000 * Math.min(config.server.headersTimeoutSeconds, config.server.requestTimeoutSeconds);
  const server: Server = createServer(
    { requestTimeout: 1000 * config.server.requestTimeoutSeconds, headersTimeout: headersTimeoutMs, connectionsCheckingInterval: 1000 },
    app,
  );
  const listening: NetServer = apiProcess
    ? routeConnections(server, apiProcess.for, { headersTimeoutMs, maxConnections: config.server.maxConnections })
    : server;
  listening.maxConnections = config.server.maxConnections;
  try {
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(config.server.port, config.server.host, () => {
        // The http server's slow-sender checks start on 'listening'; behind the front it never listens itself.
        if (listening !== server) server.emit('listening');
        resolve();
      });
    });
  } catch (err) {
    await Promise.all([...apiProcesses.map((p) => p.close()), probe.stop(), compute.close()]);
    throw err;
  }
  server.keepAliveTimeout = 65_000;
  scheduler.start();
  compactor.start();
  loopDelay.start();
  selfExposition.start();
  // Scheduled reports (reports.schedules): claimed in the database, so any number of replicas may run this.
  // Reports read like the collectors do (the read database, the collectors' budget), on a pool of their own.
  const reportPool = createPool(config, 'collectors');
  const reports = new ReportRunner({
    pool: writePool,
    readPool: reportPool,
    config,
    log,
    metrics: new DeliveryMetrics(self.registries()),
    now: options.now,
    // Charts are rasterised and the mail's HTML built in the compute worker, not on this thread.
    render: (report) => compute.renderReport(report),
  });
  reports.start();
  const port = (listening.address() as AddressInfo).port;
  const host = config.server.host === '0.0.0.0' ? '127.0.0.1' : config.server.host;
  log.info('saasmon serving', {
    port,
    schema: config.database.schema,
    computeWorker: config.server.computeWorker,
    apiProcess: apiProcess !== undefined,
  });
  return {
    url: `http://${host}:${port}`,
    port,
    scheduler,
    store,
    probe,
    compactor,
    writePool,
    apiProcessPid: queryProcess ? () => queryProcess.pid : undefined,
    async close() {
      lifetime.abort();
      loopDelay.stop();
      selfExposition.stop();
      await Promise.all([scheduler.stop(), compactor.stop(), reports.stop()]);
      await Promise.all([drain(listening, server, DRAIN_TIMEOUT_MS), ...apiProcesses.map((p) => p.close())]);
      await Promise.all([probe.stop(), compute.close(), writePool.end(), compactionPool.end(), versionPool?.end(), reportPool.end()]);
    },
  };
}

const SELF_EXPOSITION_MAX_AGE_MS = 1_000;

function versionReader(wal: WalPosition, store: SnapshotStore) {
  return async () => ({ wal: await wal.read(), snapshotVersion: store.snapshotVersion });
}

/** Requests in flight get this long to finish on shutdown; past it their connections are cut. */
const DRAIN_TIMEOUT_MS = 10_000;

/**
 * Stops accepting connections and waits for requests in flight. A keep-alive connection that
 * finishes its request while draining would otherwise sit idle for keepAliveTimeout, so idle
 * connections are closed as they appear.
 */
function drain(listening: NetServer, server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    const hard = setTimeout(() => server.closeAllConnections(), timeoutMs);
    listening.close(() => {
      clearInterval(idle);
      clearTimeout(hard);
      resolve();
    });
    server.closeIdleConnections();
  });
}
