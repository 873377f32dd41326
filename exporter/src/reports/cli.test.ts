import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { createTestSchema, TestSchema } from '../testing/db';
import { startTestSmtp, TestSmtp } from '../testing/mail-and-hooks';

// The CLI commands of reports (built dist/cli.js) against a test schema. Each command is a process
// of its own (a few seconds each on a loaded machine): generous timeouts.
jest.setTimeout(300_000);

const CLI = resolve(__dirname, '../../dist/cli.js');
let db: TestSchema;
let smtp: TestSmtp;
let env: NodeJS.ProcessEnv;

const saasmon = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8' });
/** Without blocking this process: the SMTP server the command talks to runs here. */
const saasmonAsync = (...args: string[]) =>
  new Promise<{ stdout: string; stderr: string; code: number }>((res) => {
    execFile(process.execPath, [CLI, ...args], { env, encoding: 'utf8' }, (err, stdout, stderr) =>
      res({ stdout, stderr, code: err ? Number(err.code ?? 1) : 0 }),
    );
  });

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build -w exporter\` first`);
  db = await createTestSchema('cli_reports');
  smtp = await startTestSmtp();
  await db.insert('tenants', [{ id: 'a', name: 'a', plan: 'p', created_at: '2026-01-01T00:00:00Z' }]);
  await db.insert('subscriptions', [
    { id: 's1', tenant_id: 'a', plan: 'p', status: 'active', amount: '250.00', interval_months: 1, valid_from: '2026-01-01T00:00:00Z' },
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'saasmon-cli-'));
  const file = join(dir, 'config.yml');
  writeFileSync(
    file,
    stringify({
      reports: {
        smtp: { host: '127.0.0.1', port: smtp.port, from: 'reports@example.com' },
        receivers: { founders: { type: 'email', to: ['ana@example.com'] } },
      },
    }),
  );
  env = { ...process.env, DATABASE_URL: db.url, SAASMON_SCHEMA: db.schema, SAASMON_CONFIG: file };
});

afterAll(async () => {
  await smtp?.close();
  await db?.close();
});

it('saasmon summary prints the figures and the status', () => {
  const r = saasmon('summary');
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^Executive summary at .*: /);
  expect(r.stdout).toMatch(/MRR\s+250\.00 USD/);
  expect(r.stdout).toContain('Alerts: alertmanager.url is not configured');
  const json = JSON.parse(saasmon('summary', '--format', 'json').stdout) as { figures: Array<{ key: string; value: number }> };
  expect(json.figures.find((f) => f.key === 'mrr')?.value).toBe(250);
});

it('saasmon report renders each format and --send mails it, recording the delivery', async () => {
  const md = saasmon('report', 'weekly', '--zone', 'Europe/Berlin');
  expect(md.status).toBe(0);
  expect(md.stdout).toMatch(/^# Weekly report \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d/);
  expect(md.stdout).toContain('Europe/Berlin');
  expect(md.stdout).toContain('| MRR | 250.00 USD |');
  const html = saasmon('report', 'daily', '--format', 'html');
  expect(html.stdout).toMatch(/^<!DOCTYPE html>/);
  expect(html.stdout).toContain('data:image/png;base64,');
  expect(JSON.parse(saasmon('report', 'daily', '--format', 'slack').stdout).blocks[0].type).toBe('header');
  expect(saasmon('report', 'yearly').stderr).toMatch(/name the report: daily, weekly, monthly/);
  const sent = await saasmonAsync('report', 'daily', '--send');
  expect(sent.stdout).toMatch(/^sent\s+founders ana@example.com/);
  expect(smtp.messages).toHaveLength(1);
  const rows = await db.pool.query('SELECT schedule, recipient, state FROM saasmon_report_deliveries');
  expect(rows.rows).toEqual([{ schedule: 'manual-daily', recipient: 'ana@example.com', state: 'sent' }]);
});

it('saasmon export writes the snapshot and query answers as CSV and JSON', () => {
  const csv = saasmon('export');
  expect(csv.status).toBe(0);
  const [header = '', ...lines] = csv.stdout.split('\n');
  const columns = header.split(',');
  expect(columns[0]).toBe('metric');
  const mrr = lines.find((l) => l.startsWith('saasmon_mrr,'))?.split(',') ?? [];
  expect([mrr[columns.indexOf('currency')], mrr[columns.indexOf('value')]]).toEqual(['USD', '250']);
  const q = saasmon(
    'export',
    '--format',
    'json',
    '--query',
    '{"type":"revenue_by_plan","from":"2026-01-01T00:00:00Z","to":"2026-02-01T00:00:00Z"}',
  );
  expect(JSON.parse(q.stdout).frames[0].name).toBe('revenue_by_plan');
  const bad = saasmon('export', '--query', '{"type":"retention","from":"x"}');
  expect(bad.status).toBe(2);
  expect(bad.stderr).toMatch(/export: from:/);
});
