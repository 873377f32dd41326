import { Server as HttpServer } from 'node:http';
import { createServer, Server, Socket } from 'node:net';

/** Where API connections go: the API process (server/api-process.ts). */
export interface ConnectionTarget {
  handOff(socket: Socket, head: Buffer): boolean;
}

/** A request line is short; a client that sends this much without one is not speaking HTTP/1. */
const MAX_HEAD_BYTES = 8 * 1024;

/**
 * The listening socket of the serving process. It reads each connection's first request line:
 * a connection that begins with an /api/ request goes to the process of that API as a socket
 * handle (the bytes read so far go with it); every other one is served here (/metrics, health,
 * readiness).
 * Prometheus and Grafana keep separate connections, so a connection keeps its first request's
 * side; a request for the other side on it is redirected to a new connection (307).
 */
export function routeConnections(
  local: HttpServer,
  api: (target: string) => ConnectionTarget,
  options: { headersTimeoutMs: number; maxConnections: number },
): Server {
  // noDelay as http.Server sets it on its own connections: a response written in two pieces
  // (headers, then body) would otherwise wait for the client's delayed ACK (Nagle), 40-200 ms.
  // The option is the socket's (TCP_NODELAY), so it holds in the process it is handed to.
  const front = createServer({ pauseOnConnect: true, noDelay: true }, (socket) => {
    let head = Buffer.alloc(0);
    const timer = setTimeout(() => socket.destroy(), options.headersTimeoutMs);
    const onError = () => socket.destroy();
    const onReadable = () => {
      let chunk: Buffer | null;
      while ((chunk = socket.read() as Buffer | null) !== null) head = Buffer.concat([head, chunk]);
      const target = requestTarget(head);
      if (target === undefined && head.length < MAX_HEAD_BYTES) return;
      socket.off('readable', onReadable);
      socket.off('error', onError);
      socket.off('end', onEnd);
      clearTimeout(timer);
      if (target?.startsWith('/api/')) {
        // Nothing more is read here: what arrives next stays in the kernel for the API process.
        const handle = (socket as unknown as { _handle?: { readStop(): number; readStart(): number } })._handle;
        handle?.readStop();
        if (api(target).handOff(socket, head)) return;
        // Not handed over (the process is starting): answered here (503), so reading goes on.
        handle?.readStart();
      }
      socket.unshift(head);
      local.emit('connection', socket);
    };
    const onEnd = () => {
      clearTimeout(timer);
      socket.destroy();
    };
    socket.on('error', onError);
    socket.on('end', onEnd);
    socket.on('readable', onReadable);
  });
  front.maxConnections = options.maxConnections;
  return front;
}

/** The request target of an HTTP/1 request line (`POST /api/v1/query HTTP/1.1`), once it is complete. */
export function requestTarget(head: Buffer): string | undefined {
  const end = head.indexOf(10); // \n
  if (end < 0) return undefined;
  const line = head.subarray(0, end).toString('latin1');
  const m = /^[A-Z]+ (\S+) HTTP\/1\.[01]\r?$/.exec(line);
  return m ? (m[1] as string) : '';
}
