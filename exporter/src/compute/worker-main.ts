import { parentPort, workerData } from 'node:worker_threads';
import { Config } from '../config/schema';
import { lowerPriority } from './priorities';
import { createLogger, silentLogger } from '../logger';
import { transferList } from '../metrics/prepared';
import { ComputeEngine } from './engine';
import { Request, Response } from './worker-compute';
import { toWire } from './wire';

// The compute worker's thread: one ComputeEngine, driven by messages from the serving thread.

const data = workerData as { config: Config; quiet: boolean; nice?: number };
// pid 0 is this thread on Linux: the thread that created it keeps its priority.
if (data.nice) lowerPriority(0, data.nice);
const engine = new ComputeEngine(data.config, data.quiet ? silentLogger : createLogger());
const port = parentPort;
if (!port) throw new Error('worker-main runs only as a worker thread');

port.on('message', (req: Request) => {
  void handle(req).then(
    ([res, transfer]) => port.postMessage(res, transfer),
    (err: unknown) => port.postMessage({ id: req.id, error: toWire(err) } satisfies Response),
  );
});

async function handle(req: Request): Promise<[Response, ArrayBuffer[]]> {
  switch (req.op) {
    case 'collect': {
      const prepared = await engine.collect(req.name, req.nowMs);
      return [{ id: req.id, prepared }, transferList(prepared)];
    }
    case 'query':
      return [{ id: req.id, answer: await engine.query(req.type, req.query, req.nowMs) }, []];
    case 'render-report':
      // Copied, not transferred: a small Buffer's ArrayBuffer may be Node's shared pool.
      return [{ id: req.id, rendered: await engine.renderReport(req.report) }, []];
    case 'close':
      await engine.close();
      return [{ id: req.id }, []];
  }
}
