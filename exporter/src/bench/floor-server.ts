import { spawn } from 'node:child_process';

/**
 * A server that does nothing (answers "ok" at once), in a process of its own at normal priority:
 * measured beside the exporter under the same load, its latency is the floor this machine gives
 * any server at that moment (CPU scheduling, loopback, the client), which no design of the
 * exporter's can go below.
 */
export async function startFloorServer(): Promise<{ url: string; stop(): void }> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const s = require('node:http').createServer((q, r) => r.end('ok'));
       s.listen(0, '127.0.0.1', () => process.send(s.address().port));
       process.on('disconnect', () => process.exit(0));`,
    ],
    // A session of its own, as the exporter's (AS_A_SERVICE): the same scheduling as the server it is the floor of.
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], detached: true },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (p) => resolve(Number(p)));
    child.once('exit', (code) => reject(new Error(`floor server exited (${code})`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}
