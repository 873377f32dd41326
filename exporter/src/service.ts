import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { Router } from 'express';
import { createApiRouters } from './api';
import { allCollectors } from './collectors';
import { LatestTenantHealth } from './collectors/latest-tenant-health';
import { LatestChurnRisk } from './collectors/latest-churn-risk';
import { Collector } from './collectors/collector';
import { Config } from './config/schema';
import { createPool } from './db/pool';
import { RollupCompactor } from './db/rollup-compactor';
import { createLogger, Logger } from './logger';
import { Scheduler } from './metrics/scheduler';
import { SelfMetrics } from './metrics/self-metrics';
import { SnapshotStore } from './metrics/snapshot-store';
import { createApp } from './server/app';

export interface ServiceOptions {
  config: Config;
  log?: Logger;
  collectors?: Collector[];
  now?: () => Date;
  /** Routers under /api, given the pools; default: the query and ingest APIs. */
  apiRouters?: (pools: { read: Pool; write: Pool }) => Router[];
  processMetrics?: boolean;
}

export interface RunningService {
  url: string;
  port: number;
  scheduler: Scheduler;
  store: SnapshotStore;
  readPool: Pool;
  writePool: Pool;
  close(): Promise<void>;
}

/** Wires pools, collectors, scheduler and HTTP server; the process stays up whatever the database does. */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  const { config } = options;
  const log = options.log ?? createLogger();
  const readPool = createPool(config, 'read');
  const writePool = createPool(config, 'write');
  const monitoredPool = config.database.monitoredUrl
    ? createPool(config, 'read', config.database.monitoredUrl)
    : undefined;
  const store = new SnapshotStore();
  const self = new SelfMetrics({ processMetrics: options.processMetrics });
  const latestTenantHealth = new LatestTenantHealth();
  const latestChurnRisk = new LatestChurnRisk();
  const scheduler = new Scheduler(options.collectors ?? allCollectors(latestTenantHealth, latestChurnRisk), {
    pool: readPool,
    monitoredPool,
    config,
    store,
    self,
    log,
    now: options.now,
  });
  const app = createApp({
    config,
    store,
    self,
    scheduler,
    apiRouters: (options.apiRouters ?? ((pools) => createApiRouters(config, pools, log, options.now, latestTenantHealth, latestChurnRisk)))({ read: readPool, write: writePool }),
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.server.port, config.server.host, () => resolve(s));
    s.once('error', reject);
  });
  server.keepAliveTimeout = 65_000;
  scheduler.start();
  const compactor = new RollupCompactor(writePool, 1000 * config.rollups.compactIntervalSeconds, self, log);
  compactor.start();
  const port = (server.address() as AddressInfo).port;
  const host = config.server.host === '0.0.0.0' ? '127.0.0.1' : config.server.host;
  log.info('saasmon serving', { port, schema: config.database.schema });
  return {
    url: `http://${host}:${port}`,
    port,
    scheduler,
    store,
    readPool,
    writePool,
    async close() {
      await Promise.all([scheduler.stop(), compactor.stop()]);
      await drain(server, DRAIN_TIMEOUT_MS);
      await Promise.all([readPool.end(), writePool.end(), monitoredPool?.end()]);
    },
  };
}

/** Requests in flight get this long to finish on shutdown; past it their connections are cut. */
const DRAIN_TIMEOUT_MS = 10_000;

/**
 * Stops accepting connections and waits for requests in flight. A keep-alive connection that
 * finishes its request while draining would otherwise sit idle for keepAliveTimeout, so idle
 * connections are closed as they appear.
 */
function drain(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    const hard = setTimeout(() => server.closeAllConnections(), timeoutMs);
    server.close(() => {
      clearInterval(idle);
      clearTimeout(hard);
      resolve();
    });
    server.closeIdleConnections();
  });
}
