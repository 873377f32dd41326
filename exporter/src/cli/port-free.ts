import { createServer } from 'node:net';

/**
 * Fails with the listen error (EADDRINUSE, EADDRNOTAVAIL) when `port` cannot be bound on `host`
 * now. `saasmon start` asks before it starts the embedded Postgres and loads the demo, so a port
 * in use is told in one line at once rather than after a minute of start-up. Port 0 always binds.
 */
export function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
