import { createHash } from 'node:crypto';
import nodemailer, { Transporter } from 'nodemailer';
import { Config, ReportReceiver } from '../config/schema';
import { Report } from './report';
import { renderHtml } from './render-html';
import { renderMarkdown } from './render-markdown';
import { renderSlack } from './render-slack';

/**
 * Sends a rendered report to one recipient of a receiver: a mail address over SMTP, a Slack
 * incoming webhook, or a plain webhook (the report as JSON). Every message carries the delivery's
 * key (X-Saasmon-Delivery, Idempotency-Key, a fixed Message-ID) so a receiver can drop a repeat.
 */

export interface Recipient {
  receiver: string;
  /** The address, or the receiver name for a webhook (one recipient per webhook receiver). */
  recipient: string;
}

/** Who a receiver sends to, one delivery row each. */
export function recipientsOf(name: string, receiver: ReportReceiver): Recipient[] {
  return receiver.type === 'email' ? receiver.to.map((to) => ({ receiver: name, recipient: to })) : [{ receiver: name, recipient: name }];
}

export interface Rendered {
  report: Report;
  html: ReturnType<typeof renderHtml>;
  markdown: string;
}

export function renderForSending(report: Report): Rendered {
  return { report, html: renderHtml(report, 'cid'), markdown: renderMarkdown(report) };
}

const TIMEOUT_MS = 15_000;

export class Sender {
  private transport?: Transporter;

  constructor(private readonly config: Config) {}

  private mail(): Transporter {
    const smtp = this.config.reports.smtp;
    if (!smtp) throw new Error('reports.smtp is not configured');
    this.transport ??= nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
      connectionTimeout: TIMEOUT_MS,
      greetingTimeout: TIMEOUT_MS,
      socketTimeout: TIMEOUT_MS,
    });
    return this.transport;
  }

  async send(receiver: ReportReceiver, to: Recipient, rendered: Rendered, deliveryKey: string): Promise<void> {
    const r = rendered.report;
    switch (receiver.type) {
      case 'email': {
        const smtp = this.config.reports.smtp;
        const id = createHash('sha256').update(deliveryKey).digest('hex').slice(0, 32);
        await this.mail().sendMail({
          from: smtp?.from,
          to: to.recipient,
          subject: `${r.late ? '[late] ' : ''}${r.title}${r.status ? ` · ${r.status}` : ''}`,
          html: rendered.html.html,
          text: rendered.markdown,
          messageId: `<${id}@saasmon>`,
          headers: { 'X-Saasmon-Delivery': deliveryKey },
          attachments: rendered.html.images.map((img) => ({
            filename: img.filename,
            content: img.png,
            contentType: 'image/png',
            cid: img.cid,
          })),
        });
        return;
      }
      case 'slack':
        return postJson(receiver.webhookUrl, renderSlack(r), { 'Idempotency-Key': deliveryKey });
      case 'webhook':
        return postJson(receiver.url, { report: r, markdown: rendered.markdown }, { ...receiver.headers, 'Idempotency-Key': deliveryKey });
    }
  }

  close(): void {
    this.transport?.close();
  }
}

async function postJson(url: string, body: unknown, headers: Record<string, string>): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!res.ok) throw new Error(`${new URL(url).host} answered HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`);
}
