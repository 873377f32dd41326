import { freePort } from '../db/embedded';
import { eventually } from '../harness/eventually';
import { RunningService } from '../service';
import { createTestSchema, TestSchema } from '../testing/db';
import { NO_COLLECTORS, startTestService } from '../testing/service';

// A monitored database that cannot be reached costs only what it alone can tell (WAL archiver,
// replication lag); every collector keeps reporting from the SaaS database.

let db: TestSchema;
let svc: RunningService;

beforeAll(async () => {
  db = await createTestSchema('monitored');
  await db.insert('backups', [
    {
      id: 'b1',
      kind: 'full',
      location: 'eu',
      started_at: '2026-06-01T00:00:00Z',
      completed_at: '2026-06-01T01:00:00Z',
      status: 'succeeded',
    },
  ]);
  const nobodyListens = await freePort();
  svc = await startTestService(db, {
    database: { monitoredUrl: `postgres://postgres@127.0.0.1:${nobodyListens}/none` },
    collectors: { ...NO_COLLECTORS, dr: { enabled: true }, operations: { enabled: true } },
  });
});
afterAll(async () => {
  await svc.close();
  await db.close();
});

it('keeps every collector succeeding and leaves out only the monitored server series', async () => {
  await svc.scheduler.runAll();
  await eventually(async () => {
    const text = await (await fetch(`${svc.url}/metrics`)).text();
    expect(text).toContain('saasmon_collector_success{collector="dr"} 1');
    expect(text).toContain('saasmon_collector_success{collector="operations"} 1');
    expect(text).toContain(
      `saasmon_backup_last_success_timestamp_seconds{kind="full",location="eu"} ${Date.parse('2026-06-01T01:00:00Z') / 1000}`,
    );
    expect(text).not.toContain('saasmon_pg_wal_archive_last_timestamp_seconds');
    expect(text).not.toContain('saasmon_pg_replication_lag_seconds');
  });
});
