// The docker-compose demo's notification sink: Alertmanager's receivers post here instead of to a
// pager, chat or mail service. Each notification is printed as one line (docker compose logs
// alert-sink) and the last 200 are listed as JSON at GET /. No dependencies: runs on plain Node.
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 9099);
const kept = [];

const server = createServer((req, res) => {
  if (req.method === 'GET' && (req.url === '/' || req.url === '/notifications')) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(`${JSON.stringify(kept, null, 2)}\n`);
    return;
  }
  if (req.method === 'GET' && req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok\n');
    return;
  }
  if (req.method !== 'POST') {
    res.writeHead(405).end();
    return;
  }
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => {
    body += chunk;
    if (body.length > 1_000_000) req.destroy();
  });
  req.on('end', () => {
    let payload;
    try {
      payload = JSON.parse(body);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('not JSON\n');
      return;
    }
    const receiver = decodeURIComponent((req.url ?? '/').slice(1)) || payload.receiver || 'unknown';
    const alerts = (payload.alerts ?? []).map((a) => ({ status: a.status, labels: a.labels, summary: a.annotations?.summary }));
    const entry = { at: new Date().toISOString(), receiver, status: payload.status, alerts };
    kept.push(entry);
    if (kept.length > 200) kept.shift();
    const names = alerts.map((a) => `${a.labels?.alertname ?? '?'}(${a.status})`).join(', ');
    console.log(`${entry.at} ${receiver}: ${payload.status} ${names}`);
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
  });
});

server.listen(port, () => console.log(`alert sink listening on :${port}`));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
