import { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Socket } from 'node:net';
import { MetricObjectWithValues, MetricValue } from 'prom-client';
import { Compute } from '../compute/engine';
import { spawnModuleProcess } from '../compute/spawn';
import { lowerPriority, NICE } from '../compute/priorities';
import { toWire, WireError } from '../compute/wire';
import { Config } from '../config/schema';
import { Logger } from '../logger';

/**
 * Which API a process serves: `query` (POST /api/v1/query, GET /api/v1/health) or `ingest`
 * (everything else under /api: events, integrations, the status page).
 */
export type ApiRole = 'query' | 'ingest';

/** The role whose process answers a request target. */
export function apiRoleOf(target: string): ApiRole {
  return /^\/api\/v1\/(query|health)(\/|\?|$)/.test(target) ? 'query' : 'ingest';
}

/** prom-client's JSON form of a registry, as the API process sends it. */
export type MetricsJson = Array<MetricObjectWithValues<MetricValue<string>>>;

/** Messages from the serving process to the API process. */
export type ToApi =
  | { t: 'init'; config: Config; quiet: boolean; role: ApiRole }
  | { t: 'state'; snapshotVersion: number; up: boolean; error?: string }
  | { t: 'answer'; id: number; answer?: { fresh: string; aged: string }; error?: WireError }
  | { t: 'connection'; head: Uint8Array }
  | { t: 'close' };

/** Messages from the API process to the serving process. */
export type FromApi =
  | { t: 'ready' }
  | { t: 'query'; id: number; type: string; query: { type: string }; nowMs: number }
  | { t: 'metrics'; json: MetricsJson }
  | { t: 'closed' };

const MAIN_FILE = join(__dirname, `api-process-main${__filename.endsWith('.ts') ? '.ts' : '.js'}`);
const STATE_INTERVAL_MS = 250;

export interface ApiProcessDeps {
  role: ApiRole;
  config: Config;
  /** Queries run in the serving process's compute worker: it holds the collectors' latest tables. */
  compute: Pick<Compute, 'query'>;
  /** What the API needs to know of the serving process: snapshots taken, the database probe. */
  state: () => { snapshotVersion: number; up: boolean; error?: string };
  log: Logger;
  quiet: boolean;
}

/**
 * One API (its role: queries, or ingest with integrations and status) in a child process of its own. The serving
 * process reads only the first line of each connection and passes API connections on as socket
 * handles (as Node's cluster does), so their HTTP parsing, validation, answer cache, JSON and
 * writes never run on the thread that answers scrapes. Queries come back here to the compute
 * worker. A process that dies is started again; until it is ready, API requests get 503.
 */
export class ApiProcess {
  private child: ChildProcess | undefined;
  private ready = false;
  private closing = false;
  private metrics: MetricsJson | undefined;
  private lastState = '';
  private readonly stateTimer: NodeJS.Timeout;

  constructor(private readonly deps: ApiProcessDeps) {
    this.stateTimer = setInterval(() => this.sendState(false), STATE_INTERVAL_MS);
    this.stateTimer.unref();
  }

  /** Starts the process; resolves once it accepts connections. */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      // A session of its own, hence a scheduling group apart from the serving process's (compute/priorities.ts).
      const child = spawnModuleProcess(MAIN_FILE, process.env, { ownSession: true });
      if (this.deps.role === 'query' && child.pid !== undefined) lowerPriority(child.pid, NICE.queryProcess);
      this.child = child;
      this.ready = false;
      child.on('message', (msg: FromApi) => {
        if (msg.t === 'ready') {
          this.ready = true;
          this.sendState(true);
          resolve();
        } else if (msg.t === 'query') void this.answer(child, msg);
        else if (msg.t === 'metrics') this.metrics = msg.json;
      });
      child.on('error', (err) => this.deps.log.error('API process failed', { error: err.message }));
      child.once('exit', (code, signal) => {
        this.ready = false;
        if (this.child === child) this.child = undefined;
        if (this.closing) return;
        this.deps.log.error('API process stopped; starting a new one', { role: this.deps.role, code, signal });
        reject(new Error(`API process stopped before it was ready (exit ${code ?? signal})`));
        setTimeout(() => void this.start().catch(() => undefined), 500).unref();
      });
      child.send({ t: 'init', config: this.deps.config, quiet: this.deps.quiet, role: this.deps.role } satisfies ToApi);
    });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Whether API connections can be passed on now. */
  get accepting(): boolean {
    return this.ready && this.child?.connected === true;
  }

  /** Passes a connection on, with the bytes already read from it; false when the process is not ready. */
  handOff(socket: Socket, head: Buffer): boolean {
    const child = this.child;
    if (!this.accepting || !child) return false;
    child.send({ t: 'connection', head } satisfies ToApi, socket, { keepOpen: false }, (err) => {
      if (err) socket.destroy();
    });
    return true;
  }

  /** The API's own metrics (requests, cache lookups, ingest), as last sent (every second). */
  metricsJson(): MetricsJson | undefined {
    return this.accepting ? this.metrics : undefined;
  }

  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.stateTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (child.connected) child.send({ t: 'close' } satisfies ToApi);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  private sendState(always: boolean): void {
    const child = this.child;
    if (!this.ready || !child?.connected) return;
    const state = this.deps.state();
    const key = JSON.stringify(state);
    if (!always && key === this.lastState) return;
    this.lastState = key;
    child.send({ t: 'state', ...state } satisfies ToApi);
  }

  /** Snapshot changes are sent at once, so a tenant_health answer is never cached across one. */
  snapshotChanged(): void {
    this.sendState(false);
  }

  private async answer(child: ChildProcess, msg: Extract<FromApi, { t: 'query' }>): Promise<void> {
    let reply: ToApi;
    try {
      reply = { t: 'answer', id: msg.id, answer: await this.deps.compute.query(msg.type, msg.query, msg.nowMs) };
    } catch (err) {
      reply = { t: 'answer', id: msg.id, error: toWire(err) };
    }
    if (child.connected) child.send(reply);
  }
}
