import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Config } from '../config/schema';
import { Logger } from '../logger';
import { fromTransferred, PreparedExposition } from '../metrics/prepared';
import { Report } from '../reports/report';
import { Rendered } from '../reports/senders';
import { AnswerText, Compute } from './engine';
import { spawnModuleWorker } from './spawn';
import { fromWire, WireError } from './wire';

type Op =
  | { op: 'collect'; name: string; nowMs: number }
  | { op: 'query'; type: string; query: { type: string }; nowMs: number }
  | { op: 'render-report'; report: Report }
  | { op: 'close' };
export type Request = Op & { id: number };

export interface Response {
  id: number;
  error?: WireError;
  prepared?: PreparedExposition;
  answer?: AnswerText;
  rendered?: Rendered;
}

type Pending = { resolve(r: Response): void; reject(e: Error): void };

const WORKER_FILE = join(__dirname, `worker-main${__filename.endsWith('.ts') ? '.ts' : '.js'}`);

/**
 * The ComputeEngine in a worker thread. Requests and answers are messages; prepared exposition
 * bytes come back transferred (no copy), answers as JSON text. A worker that dies (a bug, out of
 * memory) fails what it had in flight and is started again.
 */
export class WorkerCompute implements Compute {
  private worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closing = false;

  /** `nice` > 0 lowers the worker thread's CPU priority (Linux: per thread), for background work. */
  constructor(
    private readonly config: Config,
    private readonly log: Logger,
    private readonly quiet: boolean,
    private readonly nice = 0,
  ) {
    this.worker = this.spawn();
  }

  async collect(name: string, nowMs: number): Promise<PreparedExposition> {
    const res = await this.call({ op: 'collect', name, nowMs });
    return fromTransferred(res.prepared as PreparedExposition);
  }

  async query(type: string, query: { type: string }, nowMs: number): Promise<AnswerText> {
    return (await this.call({ op: 'query', type, query, nowMs })).answer as AnswerText;
  }

  async renderReport(report: Report): Promise<Rendered> {
    const rendered = (await this.call({ op: 'render-report', report })).rendered as Rendered;
    // Buffers arrive as plain Uint8Arrays (structured clone): the mailer wants Buffers.
    const images = rendered.html.images.map((i) => ({ ...i, png: Buffer.from(i.png.buffer, i.png.byteOffset, i.png.byteLength) }));
    return { ...rendered, html: { ...rendered.html, images } };
  }

  async close(): Promise<void> {
    this.closing = true;
    try {
      await this.call({ op: 'close' });
    } finally {
      await this.worker.terminate();
    }
  }

  private call(req: Op): Promise<Response> {
    const id = this.nextId++;
    return new Promise<Response>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...req, id });
    }).then((res) => {
      if (res.error) throw fromWire(res.error);
      return res;
    });
  }

  private spawn(): Worker {
    const worker = spawnModuleWorker(WORKER_FILE, { config: this.config, quiet: this.quiet, nice: this.nice });
    worker.unref();
    worker.on('message', (res: Response) => {
      const p = this.pending.get(res.id);
      this.pending.delete(res.id);
      p?.resolve(res);
    });
    worker.on('error', (err) => this.log.error('compute worker failed', { error: err.message }));
    worker.on('exit', (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`compute worker stopped (exit code ${code})`));
      this.pending.clear();
      if (!this.closing) {
        this.log.error('compute worker stopped; starting a new one', { code });
        this.worker = this.spawn();
      }
    });
    return worker;
  }
}
