import { inflateSync } from 'node:zlib';
import { withReadOnly } from '../db/pool';
import { eventually } from '../harness/eventually';
import { RunningService } from '../service';
import { createTestSchema, TestSchema } from '../testing/db';
import { NO_COLLECTORS, postJson, startTestService } from '../testing/service';
import { TEST_TOKENS } from '../testing/tokens';
import { buildReport } from './build';
import { Report, Section } from './report';
import { renderHtml } from './render-html';
import { renderMarkdown } from './render-markdown';
import { renderSlack } from './render-slack';

// A weekly report made on Wednesday 2026-06-17 covers Mon 06-08 .. Sun 06-14 (UTC): T = 06-15 00:00.
const MADE = new Date('2026-06-17T09:00:00Z');
const T = new Date('2026-06-15T00:00:00Z');

let db: TestSchema;
let svc: RunningService;
let n = 0;
const sub = (tenant: string, amount: string, from: string, to: string | null = null) => ({
  id: `s${++n}`,
  tenant_id: tenant,
  plan: 'p',
  status: 'active',
  amount,
  interval_months: 1,
  valid_from: from,
  valid_to: to,
});
const ev = (user: string, name: string, at: string) => ({ id: `e${++n}`, tenant_id: 'a', user_id: user, name, occurred_at: at });

type Frame = { fields: Array<{ name: string; values: unknown[] }> };
const colOf = (f: Frame | undefined, name: string) => f?.fields.find((x) => x.name === name)?.values ?? [];

async function scrape(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return new Map(
    text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => [l.slice(0, l.lastIndexOf(' ')), Number(l.slice(l.lastIndexOf(' ') + 1))]),
  );
}

const config = () => db.config({ reports: { funnel: { steps: ['signup', 'activate'] } } });
const weekly = (at = MADE) => withReadOnly(db.pool, (client) => buildReport(client, config(), { kind: 'weekly', at }));
const find = (r: Report, id: string) => r.sections.find((s) => s.id === id) as Section;

beforeAll(async () => {
  db = await createTestSchema('report');
  await db.insert(
    'tenants',
    ['a', 'b', 'c'].map((id) => ({ id, name: id, plan: 'p', created_at: '2026-01-01T00:00:00Z' })),
  );
  await db.insert('subscriptions', [
    sub('a', '100.00', '2026-01-01T00:00:00Z'),
    sub('b', '60.00', '2026-01-01T00:00:00Z', '2026-06-10T00:00:00Z'),
    sub('c', '40.00', '2026-06-09T00:00:00Z'),
  ]);
  await db.insert('users', [
    { id: 'u1', tenant_id: 'a', created_at: '2026-05-25T10:00:00Z' },
    { id: 'u2', tenant_id: 'a', created_at: '2026-06-01T10:00:00Z' },
    { id: 'u3', tenant_id: 'a', created_at: '2026-06-08T10:00:00Z' },
  ]);
  await db.insert('events', [
    ev('u1', 'signup', '2026-05-25T10:00:00Z'),
    ev('u1', 'x', '2026-06-02T10:00:00Z'),
    ev('u2', 'signup', '2026-06-01T10:00:00Z'),
    ev('u2', 'x', '2026-06-09T10:00:00Z'),
    ev('u3', 'signup', '2026-06-08T10:00:00Z'),
    ev('u3', 'activate', '2026-06-09T10:00:00Z'),
    ev('u1', 'x', '2026-06-17T08:50:00Z'), // fresh at MADE
  ]);
  svc = await startTestService(
    db,
    {
      collectors: {
        ...NO_COLLECTORS,
        revenue: { enabled: true },
        engagement: { enabled: true },
        alignment: { enabled: true },
        data_quality: { enabled: true },
      },
      reports: { funnel: { steps: ['signup', 'activate'] } },
    },
    () => T,
  );
  await eventually(async () => expect(svc.scheduler.isReady()).toBe(true), 30_000);
}, 60_000);

afterAll(async () => {
  await svc?.close();
  await db?.close();
});

it('covers the last closed ISO week and reads every figure at its end, equal to /metrics there', async () => {
  const r = await weekly();
  expect([r.period.firstDay, r.period.lastDay, r.asOf, r.timeZoneLabel]).toEqual(['2026-06-08', '2026-06-14', T.toISOString(), 'UTC']);
  expect(r.freshness.fresh).toBe(true);
  const metrics = await scrape(svc.url);
  const figures = r.sections.flatMap((s) => (s.type === 'figures' ? s.figures : []));
  const compared = figures.filter((f) => f.metric).map((f) => [f.key, f.value, metrics.get(f.metric as string)]);
  expect(compared.length).toBeGreaterThanOrEqual(8);
  for (const [key, value, metric] of compared) expect([key, value]).toEqual([key, metric]);
  // MRR at T: a 100 + c 40 = 140
  expect(figures.find((f) => f.key === 'mrr')?.value).toBe(140);
  const dq = find(r, 'data_quality');
  expect(dq.type === 'table' && dq.rows.map((row) => [row[0], row[1] === 'yes' ? 1 : 0])).toEqual(
    dq.type === 'table' ? dq.rows.map((row) => [row[0], metrics.get(`saasmon_data_quality_check_passed{check="${row[0]}"}`)]) : [],
  );
  expect(dq.note).toBe(`score ${metrics.get('saasmon_data_quality_score')?.toFixed(0)} / 100 (saasmon_data_quality_score)`);
});

it('takes retention, the funnel and active users from the query API at the same instant', async () => {
  const r = await weekly();
  const ask = async (body: Record<string, unknown>) =>
    ((await postJson(`${svc.url}/api/v1/query`, body, TEST_TOKENS.query)).body.frames as Frame[])[0];
  const funnel = await ask({ type: 'funnel', from: '2026-06-08T00:00:00Z', to: T.toISOString(), steps: ['signup', 'activate'] });
  const fs = find(r, 'funnel');
  expect(fs.type === 'table' && fs.rows.map((row) => row[1])).toEqual(colOf(funnel, 'users'));
  // u3 signed up in the week and activated: 1 -> 1
  expect(colOf(funnel, 'users')).toEqual([1, 1]);
  const retention = await ask({
    type: 'retention',
    from: new Date(T.getTime() - 8 * 7 * 86_400_000).toISOString(),
    to: T.toISOString(),
    interval: 'week',
    periods: 8,
    format: 'cells',
  });
  const rs = find(r, 'retention');
  const rates = colOf(retention, 'rate').filter((_, i) => !colOf(retention, 'incomplete')[i]);
  const reportRates = rs.type === 'table' ? rs.rows.flatMap((row) => row.slice(2).filter((c) => c !== null)) : [];
  expect(reportRates).toEqual(rates.filter((x) => x !== null));
  expect(rs.type === 'table' && rs.rows.map((row) => row[1])).toEqual([1, 1, 1]);
  const au = await ask({ type: 'active_users', from: new Date(T.getTime() - 84 * 86_400_000).toISOString(), to: T.toISOString() });
  const as = find(r, 'active_users');
  expect(as.type === 'chart' && as.chart?.kind === 'line' && as.chart.series[0]?.points.map((p) => p[1])).toEqual(colOf(au, 'DAU'));
  expect(colOf(au, 'DAU')).toContain(1);
});

it('renders Markdown, Slack blocks and an HTML mail with PNG charts carrying the same numbers', async () => {
  const r = await weekly();
  const md = renderMarkdown(r);
  expect(md).toContain('# Weekly report 2026-06-08 to 2026-06-14');
  expect(md).toContain('| MRR | 140.00 USD |');
  expect(md).toContain('(UTC)');
  const slack = renderSlack(r);
  expect(slack.blocks.length).toBeLessThanOrEqual(50);
  expect(JSON.stringify(slack.blocks)).toContain('140.00 USD');
  const { html, images } = renderHtml(r);
  expect(html).toContain('140.00 USD');
  expect(images.map((i) => i.filename).sort()).toEqual([
    'active_users.png',
    'alignment.png',
    'funnel.png',
    'mrr_trend.png',
    'retention.png',
  ]);
  for (const img of images) {
    expect(html).toContain(`cid:${img.cid}`);
    expect(img.png.subarray(1, 4).toString()).toBe('PNG');
    expect(img.png.readUInt32BE(16)).toBe(1280); // 640 px wide at 2x
    expect(inflatedBytes(img.png)).toBeGreaterThan(0);
    expect(distinctPixels(img.png)).toBeGreaterThan(2); // drawn, not blank
  }
  expect(JSON.parse(JSON.stringify(r)).sections).toHaveLength(r.sections.length);
  if (process.env.REPORT_DUMP) {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${process.env.REPORT_DUMP}.html`, renderHtml(r, 'data').html);
    for (const img of images) writeFileSync(`${process.env.REPORT_DUMP}-${img.filename}`, img.png);
  }
});

it('says a failed query in the report and keeps the other sections', async () => {
  await db.pool.query('ALTER TABLE marketing_spend RENAME TO marketing_spend_gone');
  try {
    const r = await weekly();
    const key = find(r, 'key_metrics');
    expect(key.error).toMatch(/marketing_spend/);
    expect(key.type).toBe('text');
    expect(find(r, 'priority_actions').error).toMatch(/marketing_spend/);
    expect(find(r, 'mrr_trend').error).toBeUndefined();
    const md = renderMarkdown(r);
    expect(md).toMatch(/## Key metrics\n\n> ⚠️ Query failed: .*marketing_spend.*These figures are missing/);
    expect(md).not.toMatch(/no data/i);
    expect(renderHtml(r).html).toContain('Query failed');
  } finally {
    await db.pool.query('ALTER TABLE marketing_spend_gone RENAME TO marketing_spend');
  }
});

it('marks a report made on stale data', async () => {
  const r = await weekly(new Date('2026-06-18T12:00:00Z'));
  expect(r.freshness.fresh).toBe(false);
  expect(renderMarkdown(r)).toContain('DATA NOT FRESH: the newest event is 2026-06-17T08:50:00.000Z');
});

/** Length of the decompressed image data (IDAT chunks). */
function inflatedBytes(png: Buffer): number {
  return idat(png).length;
}
function idat(png: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const len = png.readUInt32BE(at);
    if (png.subarray(at + 4, at + 8).toString() === 'IDAT') parts.push(png.subarray(at + 8, at + 8 + len));
    at += 12 + len;
  }
  return inflateSync(Buffer.concat(parts));
}
/** Distinct byte values in the raw rows: a blank image has one or two. */
function distinctPixels(png: Buffer): number {
  return new Set(idat(png)).size;
}
