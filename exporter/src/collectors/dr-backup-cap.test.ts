import { collectLines } from '../testing/collect';
import { createTestSchema, TestSchema } from '../testing/db';
import { createDrCollector } from './dr';

// Backup `location` is free text from ingest: its series are capped like tenant health's.

const T = new Date('2026-06-15T12:00:00Z');
let db: TestSchema;
beforeAll(async () => {
  db = await createTestSchema('drcap');
  const ok = (id: string, location: string, completed: string) => ({
    id,
    kind: 'full',
    location,
    started_at: '2026-06-14T00:00:00Z',
    completed_at: completed,
    status: 'succeeded',
  });
  await db.insert('backups', [
    ok('b1', 'fresh', '2026-06-15T11:00:00Z'),
    ok('b2', 'stale', '2026-06-14T01:00:00Z'),
    {
      id: 'b3',
      kind: 'full',
      location: 'failing',
      started_at: '2026-06-15T10:00:00Z',
      completed_at: '2026-06-15T10:10:00Z',
      status: 'failed',
    },
    ok('b4', 'middle', '2026-06-15T01:00:00Z'),
    ...Array.from({ length: 500 }, (_, i) => ok(`x${i}`, `loc-${i}`, '2026-06-15T11:30:00Z')),
  ]);
});
afterAll(() => db.close());

it('keeps the failing and stalest backup series up to dr.maxBackupSeries, counts and logs the dropped ones', async () => {
  const warnings: Array<Record<string, unknown>> = [];
  const log = { debug() {}, info() {}, error() {}, warn: (_m: string, f?: Record<string, unknown>) => void warnings.push(f ?? {}) };
  const collector = createDrCollector(log);
  const config = db.config({ dr: { maxBackupSeries: 3 } });
  const lines = await collectLines(collector, config, T, /^saasmon_backup_(failed_24h|series)/);
  expect(lines).toEqual([
    'saasmon_backup_failed_24h{kind="full",location="failing"} 1',
    'saasmon_backup_failed_24h{kind="full",location="middle"} 0',
    'saasmon_backup_failed_24h{kind="full",location="stale"} 0',
    'saasmon_backup_series_dropped_last_run 501',
    'saasmon_backup_series_dropped_total 501',
  ]);
  expect(warnings).toEqual([{ dropped: 501, groups: 504, max: 3 }]);
  // the counter adds up over runs; an unchanged count is not logged again
  const again = await collectLines(collector, config, T, /^saasmon_backup_series_dropped_total/);
  expect(again).toEqual(['saasmon_backup_series_dropped_total 1002']);
  expect(warnings).toHaveLength(1);
  // RPO is computed from every group, capped or not
  expect(await collectLines(collector, config, T, /^saasmon_dr_rpo_exposure/)).toEqual(['saasmon_dr_rpo_exposure_seconds 1800']);
});

it('caps at 200 groups by default', async () => {
  const lines = await collectLines(createDrCollector(), db.config(), T, /^saasmon_backup_(failed_24h|series_dropped_last_run )/);
  expect(lines.filter((l) => l.startsWith('saasmon_backup_failed_24h'))).toHaveLength(200);
  expect(lines).toContain('saasmon_backup_series_dropped_last_run 304');
});
