import { ExporterProcess } from '../harness/exporter-process';
import { eventually } from '../harness/eventually';
import { createTestSchema, TestSchema } from '../testing/db';
import { startTestSmtp, TestSmtp } from '../testing/mail-and-hooks';
import { NO_COLLECTORS } from '../testing/service';

// Real processes: `saasmon serve` (built dist/) runs a schedule due now, is killed with SIGKILL while
// stuck sending to the second recipient, and a new exporter process finishes the run: each
// recipient gets the report exactly once.

let db: TestSchema;
let smtp: TestSmtp;
const procs: ExporterProcess[] = [];

beforeAll(async () => {
  db = await createTestSchema('restart');
  smtp = await startTestSmtp();
  await db.insert('tenants', [{ id: 'a', name: 'a', plan: 'p', created_at: '2026-01-01T00:00:00Z' }]);
  await db.insert('events', [{ id: 'e1', tenant_id: 'a', user_id: null, name: 'x', occurred_at: new Date().toISOString() }]);
});

afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop()));
  await smtp?.close();
  await db?.close();
});

it('a run killed mid-send is finished by the next exporter, no recipient served twice', async () => {
  const now = new Date();
  const at = `${String(now.getUTCHours()).padStart(2, '0')}:${String(now.getUTCMinutes()).padStart(2, '0')}`;
  const config = {
    collectors: NO_COLLECTORS,
    reports: {
      timeZone: 'UTC',
      smtp: { host: '127.0.0.1', port: smtp.port, from: 'reports@example.com' },
      receivers: { founders: { type: 'email', to: ['ana@example.com', 'ben@example.com'] } },
      schedules: [{ name: 'daily-restart', report: 'daily', at, receivers: ['founders'] }],
      leaseSeconds: 3,
      checkIntervalSeconds: 1,
    },
  } as const;
  smtp.hang.add('ben@example.com');
  const first = await ExporterProcess.create(db.url, db.schema, config as never);
  procs.push(first);
  await first.start();
  await eventually(async () => expect(smtp.hung).toEqual(['ben@example.com']), 30_000);
  expect(smtp.messages.map((m) => m.to)).toEqual([['ana@example.com']]);
  first.signal('SIGKILL');
  await first.exit;
  smtp.hang.delete('ben@example.com');

  const second = await ExporterProcess.create(db.url, db.schema, config as never);
  procs.push(second);
  await second.start();
  await eventually(async () => expect(smtp.messages.map((m) => m.to[0]).sort()).toEqual(['ana@example.com', 'ben@example.com']), 30_000);
  // The run is marked sent after the SMTP server has accepted the last mail: wait for the commit.
  await eventually(async () => {
    const run = await db.pool.query("SELECT state, attempts FROM saasmon_report_runs WHERE schedule = 'daily-restart'");
    expect(run.rows).toEqual([{ state: 'sent', attempts: 2 }]);
  }, 10_000);
  // Two more ticks: nothing is sent again.
  await new Promise((r) => setTimeout(r, 2500));
  expect(smtp.messages).toHaveLength(2);
}, 120_000);
