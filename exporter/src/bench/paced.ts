import { Agent, request as httpRequest } from 'node:http';
import type { AutocannonResult } from './load';
import { percentile } from './stats';

export interface PacedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface PacedOptions {
  /** Base URL (scheme, host, port); each request's path is added to it. */
  url: string;
  /** Requests per second, evenly spaced. */
  rate: number;
  durationSeconds: number;
  /** Kept-alive connections at most; a request due while all are busy waits for one. */
  connections: number;
  /** The next request to send (called once per request, at its due instant). */
  next: () => PacedRequest;
  timeoutMs?: number;
}

/**
 * Requests at a constant arrival rate (open loop), as Prometheus scrapes and as an SDK sends its
 * batches: one every 1/rate seconds. Latency counts from the instant a request was due, so a
 * server that falls behind is charged for the queue it causes (no coordinated omission).
 *
 * Not autocannon's `overallRate`: it gives each connection a quota per second, which the
 * connection spends at once when the second starts, so "40 scrapes/s" arrive as one burst of 40
 * at the top of every second, and the figures measure the burst's queue rather than the server.
 */
export async function paced(o: PacedOptions): Promise<AutocannonResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: o.connections });
  const base = new URL(o.url);
  const latencies: number[] = [];
  const counts = { ok: 0, non2xx: 0, errors: 0, timeouts: 0 };
  const total = Math.round(o.rate * o.durationSeconds);
  const intervalMs = 1000 / o.rate;
  const started = performance.now();
  const inFlight: Array<Promise<void>> = [];
  for (let k = 0; k < total; k++) {
    const due = started + k * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(
      send(agent, base, o.next(), o.timeoutMs ?? 10_000).then((outcome) => {
        if (outcome === 'timeout') counts.timeouts++;
        else if (outcome === 'error') counts.errors++;
        else {
          latencies.push(performance.now() - due);
          if (outcome >= 200 && outcome < 300) counts.ok++;
          else counts.non2xx++;
        }
      }),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  const duration = (performance.now() - started) / 1000;
  const ms = (p: number) => Math.round(percentile(latencies, p));
  const average = latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length);
  return {
    latency: { average, p50: ms(50), p90: ms(90), p99: ms(99), max: ms(100) },
    requests: { average: total / duration, p50: 0, p90: 0, p99: 0, max: 0, total },
    duration,
    errors: counts.errors,
    timeouts: counts.timeouts,
    non2xx: counts.non2xx,
    '2xx': counts.ok,
  };
}

/** One request; resolves with its status code once the whole body has arrived, or how it failed. */
function send(agent: Agent, base: URL, r: PacedRequest, timeoutMs: number): Promise<number | 'timeout' | 'error'> {
  return new Promise((resolve) => {
    const req = httpRequest(
      { agent, host: base.hostname, port: base.port, method: r.method, path: r.path, headers: r.headers, timeout: timeoutMs },
      (res) => {
        res.on('data', () => undefined);
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve('error'));
      },
    );
    req.on('timeout', () => {
      req.destroy();
      resolve('timeout');
    });
    req.on('error', () => resolve('error'));
    req.end(r.body);
  });
}
