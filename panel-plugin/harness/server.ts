import { createReadStream, existsSync, statSync } from 'fs';
import http from 'http';
import { AddressInfo } from 'net';
import path from 'path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
};

export interface HarnessServer {
  url: string;
  close: () => Promise<void>;
}

/**
 * Serves the harness page, the built plugins as Grafana would (/plugins/<id>/...), and
 * @grafana/ui's icons where its Icon component fetches them (/public/build/img/...).
 * Listens on a free port chosen by the system.
 */
export async function startHarnessServer(packageDir: string, grafanaUiImg: string): Promise<HarnessServer> {
  const routes: Array<[string, string]> = [
    ['/plugins/', path.join(packageDir, 'dist')],
    ['/public/build/img/', grafanaUiImg],
    ['/', path.join(packageDir, 'harness', 'dist')],
  ];
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const file =
      pathname === '/' || pathname === '/index.html'
        ? path.join(packageDir, 'harness', 'index.html')
        : routes
            .map(([prefix, dir]) => (pathname.startsWith(prefix) ? inside(dir, pathname.slice(prefix.length)) : undefined))
            .find(Boolean);
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A path under dir, or undefined when the request climbs out of it. */
function inside(dir: string, relative: string): string | undefined {
  const file = path.resolve(dir, relative);
  return file.startsWith(dir + path.sep) ? file : undefined;
}
