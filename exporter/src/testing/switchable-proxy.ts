import { createConnection, createServer, Server, Socket } from 'node:net';
import { freePort } from '../db/embedded';

/**
 * A TCP proxy in front of Postgres that a test can cut and restore on the same port: to the
 * exporter that is exactly a database outage (connections reset, new ones refused) and recovery.
 */
export class SwitchableProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  private constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  static async create(targetUrl: string): Promise<SwitchableProxy> {
    const u = new URL(targetUrl);
    return new SwitchableProxy(await freePort(), { host: u.hostname, port: Number(u.port || 5432) });
  }

  /** The target URL with host and port replaced by the proxy's. */
  url(targetUrl: string): string {
    const u = new URL(targetUrl);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  async up(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => {
      const upstream = createConnection(this.target);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  /** Resets every open connection and refuses new ones until up(). */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
