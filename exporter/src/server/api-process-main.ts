import { createServer } from 'node:http';
import { Socket } from 'node:net';
import { Registry } from 'prom-client';
import { createApiRouters } from '../api';
import { QUERY_TYPES } from '../api/query';
import { NICE } from '../compute/priorities';
import { WorkerCompute } from '../compute/worker-compute';
import { WalPosition } from '../api/query/data-version';
import { fromWire } from '../compute/wire';
import { AnswerText, ComputeEngine } from '../compute/engine';
import { Config } from '../config/schema';
import { createPool, roleUrl } from '../db/pool';
import { createLogger, silentLogger } from '../logger';
import { ApiMetrics } from './api-metrics';
import { createApiApp } from './api-app';
import { ApiRole, FromApi, ToApi } from './api-process';

// The API process (server/api-process.ts): connections arrive as socket handles from the serving
// process, queries go back to it, and its own metrics are sent there every second.

const METRICS_INTERVAL_MS = 1_000;
const DRAIN_MS = 5_000;

function send(msg: FromApi): void {
  if (process.connected) process.send?.(msg);
}

// The serving process is gone (even killed): nothing here may outlive it.
process.on('disconnect', () => process.exit(0));
// Ctrl-C in a terminal signals the whole process group: this process ends when the serving
// process says so (after its requests in flight), not on the signal.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => undefined);

process.once('message', (msg: ToApi) => {
  if (msg.t !== 'init') throw new Error('the API process expects init first');
  void run(msg.config, msg.quiet, msg.role);
});

async function run(config: Config, quiet: boolean, role: ApiRole): Promise<void> {
  const log = quiet ? silentLogger : createLogger();
  const state = { snapshotVersion: 0, up: false, error: 'not probed yet' as string | undefined };
  const pending = new Map<number, { resolve(a: AnswerText): void; reject(e: Error): void }>();
  let nextId = 1;
  const inServingProcess = (type: string, query: { type: string }, nowMs: number) =>
    new Promise<AnswerText>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      send({ t: 'query', id, type, query, nowMs });
    });
  // Queries run on a compute worker of this process, so they never queue behind the collectors'
  // shaping; those that answer from the collectors' latest tables (tenant_health, churn_risk)
  // run where those tables are, in the serving process's compute worker.
  // Started on the first query: the ingest process answers one only on a kept-alive connection.
  let queryWorker: WorkerCompute | undefined;
  const worker = () => (queryWorker ??= new WorkerCompute(config, log, quiet, NICE.queryWorker));
  if (role === 'query') worker(); // started now, so the first answer does not wait for it
  const readsSnapshots = new Set(QUERY_TYPES.filter((q) => q.readsCollectorSnapshots === true).map((q) => q.type as string));
  // Light queries (dr_status, variables: a few rows each) run on this thread, on the light pool:
  // they never wait behind the worker's decoding of expensive answers, nor at its priority.
  const light = new Set(QUERY_TYPES.filter((q) => q.cost === 'light').map((q) => q.type as string));
  let lightEngine: ComputeEngine | undefined;
  const here = () => (lightEngine ??= new ComputeEngine(config, log));
  const compute = {
    query: (type: string, query: { type: string }, nowMs: number) =>
      readsSnapshots.has(type)
        ? inServingProcess(type, query, nowMs)
        : light.has(type)
          ? here().query(type, query, nowMs)
          : worker().query(type, query, nowMs),
  };
  const text = new Registry();
  const om = new Registry<typeof Registry.OPENMETRICS_CONTENT_TYPE>();
  om.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  const api = new ApiMetrics([text, om]);
  const writePool = createPool(config, 'ingest');
  const versionPool = createPool(config, 'probe', roleUrl(config, 'query'), { connectMs: 3_000, queryMs: 3_000 });
  const wal = new WalPosition(versionPool);
  const lifetime = new AbortController();
  const routers = createApiRouters(
    config,
    { ingest: writePool },
    {
      compute,
      database: state,
      dataVersion: async () => ({ wal: await wal.read(), snapshotVersion: state.snapshotVersion }),
      // The answer warmer runs in the query process only.
      lifetime: role === 'query' ? lifetime.signal : undefined,
    },
    log,
    undefined,
    { registries: () => [text, om], api },
  );
  const server = createServer(
    {
      requestTimeout: 1000 * config.server.requestTimeoutSeconds,
      headersTimeout: 1000 * Math.min(config.server.headersTimeoutSeconds, config.server.requestTimeoutSeconds),
      connectionsCheckingInterval: 1000,
    },
    createApiApp(routers, api),
  );
  server.keepAliveTimeout = 65_000;
  // The server never listens (connections come from the serving process), but its slow-sender
  // checks (requestTimeout, headersTimeout) start on 'listening'.
  server.emit('listening');
  let open = 0;
  let inFlight = 0;
  server.on('request', (_req, res) => {
    inFlight++;
    res.once('close', () => inFlight--);
  });
  const metricsTimer = setInterval(() => void text.getMetricsAsJSON().then((json) => send({ t: 'metrics', json })), METRICS_INTERVAL_MS);

  process.on('message', (msg: ToApi, handle?: Socket) => {
    switch (msg.t) {
      case 'connection':
        if (!handle) return;
        // The serving process caps the connections it holds; this one caps those it was given.
        if (open >= config.server.maxConnections) {
          handle.destroy();
          return;
        }
        open++;
        handle.once('close', () => open--);
        handle.unshift(Buffer.from(msg.head.buffer, msg.head.byteOffset, msg.head.byteLength));
        server.emit('connection', handle);
        return;
      case 'state':
        state.snapshotVersion = msg.snapshotVersion;
        state.up = msg.up;
        state.error = msg.error;
        return;
      case 'answer': {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.error) p?.reject(fromWire(msg.error));
        else if (msg.answer) p?.resolve(msg.answer);
        return;
      }
      case 'close':
        void (async () => {
          clearInterval(metricsTimer);
          lifetime.abort();
          // Requests in flight finish (an acknowledged event is committed); idle connections go now.
          const deadline = Date.now() + DRAIN_MS;
          server.closeIdleConnections();
          while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
          server.closeAllConnections();
          await Promise.all([writePool.end(), versionPool.end(), queryWorker?.close(), lightEngine?.close()]);
          send({ t: 'closed' });
          process.exit(0);
        })();
        return;
    }
  });
  // The families exist on /metrics from the first scrape on, not a second later.
  send({ t: 'metrics', json: await text.getMetricsAsJSON() });
  send({ t: 'ready' });
}
