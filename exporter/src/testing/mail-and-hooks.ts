import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server (npm smtp-server) on a free loopback port that keeps every message parsed. */
export interface TestSmtp {
  port: number;
  messages: Array<{ to: string[]; mail: ParsedMail }>;
  /** Recipients whose RCPT TO is refused (e.g. to test a failed delivery). */
  refuse: Set<string>;
  /** Recipients whose RCPT TO is never answered (a sender stuck mid-send); `hung` lists who got there. */
  hang: Set<string>;
  hung: string[];
  close(): Promise<void>;
}

export async function startTestSmtp(): Promise<TestSmtp> {
  const messages: TestSmtp['messages'] = [];
  const refuse = new Set<string>();
  const hang = new Set<string>();
  const hung: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refuse.has(address.address)) return callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
      if (hang.has(address.address)) {
        hung.push(address.address);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream, { keepCidLinks: true })
        .then((mail) => {
          messages.push({ to: session.envelope.rcptTo.map((r) => r.address), mail });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = ((server as unknown as { server: Server }).server.address() as AddressInfo).port;
  return { port, messages, refuse, hang, hung, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A local webhook receiver (a stand-in for Slack's incoming webhooks) that records each POST. */
export interface TestHook {
  url: string;
  received: Array<{ path: string; headers: Record<string, string | string[] | undefined>; body: unknown }>;
  /** Answer this many requests with HTTP 500 first. */
  failNext: number;
  close(): Promise<void>;
}

export async function startTestHook(): Promise<TestHook> {
  const hook: TestHook = { url: '', received: [], failNext: 0, close: async () => undefined };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (hook.failNext > 0) {
        hook.failNext--;
        res.writeHead(500).end('try later');
        return;
      }
      hook.received.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hook.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  hook.close = () => new Promise((resolve) => server.close(() => resolve()));
  return hook;
}
