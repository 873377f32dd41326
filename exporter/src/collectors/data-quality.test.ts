import { dataQualityCollector } from './data-quality';
import { ConfigInput } from '../config/schema';
import { DATA_QUALITY_CHECKS, DataQualityCheck } from '../domain/data-quality';
import { collectLines } from '../testing/collect';
import { createTestSchema, TestSchema } from '../testing/db';

const T = new Date('2026-06-15T12:00:00Z');
const unix = (iso: string) => Date.parse(iso) / 1000;
// Small threshold so that anomaly fixtures stay readable: more than 3 events in one minute.
const CONFIG: ConfigInput = { dataQuality: { anomalyEventsPerMinute: 3 } };

const schemas: TestSchema[] = [];
afterAll(() => Promise.all(schemas.map((s) => s.close())));

let n = 0;
const ev = (user: string | null, at: string, tenant = 't1') => ({
  id: `e${++n}`,
  tenant_id: tenant,
  user_id: user,
  name: 'x',
  occurred_at: at,
});

/** A clean dataset (every check passes) plus the fixture's own offending rows. */
async function fixture(offend: (db: TestSchema) => Promise<void> = async () => undefined): Promise<TestSchema> {
  const db = await createTestSchema('dq');
  schemas.push(db);
  await db.insert('tenants', [
    { id: 't1', name: 'Acme', plan: 'starter', created_at: '2026-01-01T00:00:00Z' },
    { id: 't2', name: 'Beta', plan: 'business', created_at: '2026-01-01T00:00:00Z' },
  ]);
  await db.insert('users', [
    { id: 'u1', tenant_id: 't1', email: 'a@example.com', created_at: '2026-01-02T00:00:00Z' },
    { id: 'u2', tenant_id: 't2', email: 'b@example.com', created_at: '2026-01-02T00:00:00Z' },
    // no email, blank email (erased), and a deleted user sharing u1's email: none is a duplicate
    { id: 'u3', tenant_id: 't2', email: null, created_at: '2026-01-02T00:00:00Z' },
    { id: 'u4', tenant_id: 't2', email: '', created_at: '2026-01-02T00:00:00Z' },
    { id: 'u5', tenant_id: 't2', email: null, created_at: '2026-01-02T00:00:00Z' },
    { id: 'u6', tenant_id: 't1', email: 'A@example.com', created_at: '2026-01-02T00:00:00Z', deleted_at: '2026-02-01T00:00:00Z' },
  ]);
  await db.insert('events', [
    // newest event exactly freshnessSeconds (1 h) before T: still fresh
    ev('u1', '2026-06-15T11:00:00Z'),
    ev(null, '2026-06-15T10:00:00Z', 't2'),
    // 3 events in one minute is the threshold, not above it; 4 spread over two minutes neither
    ev('u2', '2026-06-15T09:00:01Z'),
    ev('u2', '2026-06-15T09:00:02Z'),
    ev('u2', '2026-06-15T09:00:59Z'),
    ev('u1', '2026-06-15T08:00:30Z'),
    ev('u1', '2026-06-15T08:00:40Z'),
    ev('u1', '2026-06-15T08:01:00Z'),
    ev('u1', '2026-06-15T08:01:10Z'),
    // a burst by a deleted user, one exactly at T-24h (outside), one after T: not anomalies
    ev('u6', '2026-06-15T07:00:01Z'),
    ev('u6', '2026-06-15T07:00:02Z'),
    ev('u6', '2026-06-15T07:00:03Z'),
    ev('u6', '2026-06-15T07:00:04Z'),
    ev('u2', '2026-06-14T11:59:00Z'),
    ev('u2', '2026-06-14T11:59:10Z'),
    ev('u2', '2026-06-14T11:59:20Z'),
    ev('u2', '2026-06-14T12:00:00Z'),
    ev('u1', '2026-06-15T12:30:01Z'),
    ev('u1', '2026-06-15T12:30:02Z'),
    ev('u1', '2026-06-15T12:30:03Z'),
    ev('u1', '2026-06-15T12:30:04Z'),
  ]);
  await offend(db);
  return db;
}

/** Expected lines: every check passes with 0 violations except those listed. */
function expected(
  failing: Partial<Record<DataQualityCheck, number | undefined>>,
  newestIso: string | null = '2026-06-15T11:00:00Z',
): string[] {
  const failed = Object.keys(failing) as DataQualityCheck[];
  const lines = DATA_QUALITY_CHECKS.flatMap((check) => {
    const passed = `saasmon_data_quality_check_passed{check="${check}"} ${failed.includes(check) ? 0 : 1}`;
    if (check === 'events_fresh') return [passed];
    return [passed, `saasmon_data_quality_violations{check="${check}"} ${failing[check] ?? 0}`];
  });
  const score = (100 * (DATA_QUALITY_CHECKS.length - failed.length)) / DATA_QUALITY_CHECKS.length;
  lines.push(`saasmon_data_quality_score ${score}`);
  if (newestIso) lines.push(`saasmon_data_newest_event_timestamp_seconds ${unix(newestIso)}`);
  return lines.sort();
}

const collect = (db: TestSchema, overrides: ConfigInput = CONFIG) => collectLines(dataQualityCollector, db.config(overrides), T);

it('passes every check on clean data (score 100)', async () => {
  const db = await fixture();
  expect(await collect(db)).toEqual(expected({}));
});

it('events_unknown_tenant: counts events of tenants that do not exist', async () => {
  const db = await fixture((d) =>
    d.insert('events', [
      ev('u1', '2026-06-01T00:00:00Z', 'ghost'),
      ev(null, '2026-05-01T00:00:00Z', 'ghost'),
      ev(null, '2026-05-01T00:00:00Z', 'zz'),
    ]),
  );
  expect(await collect(db)).toEqual(expected({ events_unknown_tenant: 3 }));
});

it('users_unknown_tenant: counts live users whose tenant does not exist (a view without the foreign key)', async () => {
  const db = await fixture(async (d) => {
    await d.pool.query('ALTER TABLE users DROP CONSTRAINT users_tenant_id_fkey');
    await d.insert('users', [
      { id: 'u7', tenant_id: 'ghost', email: 'g@example.com', created_at: '2026-01-02T00:00:00Z' },
      // deleted: excluded
      { id: 'u8', tenant_id: 'ghost', email: 'h@example.com', created_at: '2026-01-02T00:00:00Z', deleted_at: '2026-03-01T00:00:00Z' },
    ]);
  });
  expect(await collect(db)).toEqual(expected({ users_unknown_tenant: 1 }));
});

it('duplicate_live_emails: counts live users sharing an email, case-insensitively', async () => {
  const db = await fixture((d) =>
    d.insert('users', [
      { id: 'u7', tenant_id: 't2', email: ' A@Example.COM', created_at: '2026-01-02T00:00:00Z' },
      { id: 'u8', tenant_id: 't1', email: 'b@EXAMPLE.com', created_at: '2026-01-02T00:00:00Z' },
      { id: 'u9', tenant_id: 't1', email: 'B@example.com', created_at: '2026-01-02T00:00:00Z' },
    ]),
  );
  // a@: u1, u7 (u6 deleted); b@: u2, u8, u9
  expect(await collect(db)).toEqual(expected({ duplicate_live_emails: 5 }));
});

it('required_fields: blank tenant names and live users without created_at', async () => {
  const db = await fixture(async (d) => {
    await d.pool.query('ALTER TABLE users ALTER COLUMN created_at DROP NOT NULL');
    await d.insert('tenants', [
      { id: 't3', name: '', plan: 'free', created_at: '2026-01-01T00:00:00Z' },
      { id: 't4', name: ' \t\n', plan: 'free', created_at: '2026-01-01T00:00:00Z' },
      { id: 't5', name: ' x ', plan: 'free', created_at: '2026-01-01T00:00:00Z' },
    ]);
    await d.insert('users', [
      { id: 'u7', tenant_id: 't1', email: 'c@example.com', created_at: null },
      { id: 'u8', tenant_id: 't1', email: 'd@example.com', created_at: null, deleted_at: '2026-03-01T00:00:00Z' },
    ]);
  });
  // t3, t4, u7
  expect(await collect(db)).toEqual(expected({ required_fields: 3 }));
});

it('events_fresh: fails when the newest event is older than freshnessSeconds', async () => {
  const db = await fixture();
  // one second later the newest event is 3601 s old
  expect(await collectLines(dataQualityCollector, db.config(CONFIG), new Date(T.getTime() + 1000))).toEqual(
    expected({ events_fresh: undefined }),
  );
  // and with a longer freshness window it passes again
  expect(
    await collectLines(
      dataQualityCollector,
      db.config({ dataQuality: { anomalyEventsPerMinute: 3, freshnessSeconds: 7200 } }),
      new Date(T.getTime() + 1000),
    ),
  ).toEqual(expected({}));
});

it('events_fresh: fails and leaves the newest event absent when there are no events', async () => {
  const db = await createTestSchema('dq');
  schemas.push(db);
  expect(await collect(db)).toEqual(expected({ events_fresh: undefined }, null));
});

it('event_rate_anomaly: counts users with more than the threshold in one minute within 24 h', async () => {
  const db = await fixture((d) =>
    d.insert('events', [
      // u2: 4 events in minute 10:15 -> anomalous; u1: 4 in 11:58 and 4 in 11:59 -> anomalous (one user)
      ev('u2', '2026-06-15T10:15:00Z'),
      ev('u2', '2026-06-15T10:15:10Z'),
      ev('u2', '2026-06-15T10:15:20Z'),
      ev('u2', '2026-06-15T10:15:59.999Z'),
      ev('u1', '2026-06-15T11:59:00Z'),
      ev('u1', '2026-06-15T11:59:01Z'),
      ev('u1', '2026-06-15T11:59:02Z'),
      ev('u1', '2026-06-15T11:59:03Z'),
      ev('u1', '2026-06-15T11:58:00Z'),
      ev('u1', '2026-06-15T11:58:01Z'),
      ev('u1', '2026-06-15T11:58:02Z'),
      ev('u1', '2026-06-15T11:58:03Z'),
    ]),
  );
  expect(await collect(db)).toEqual(expected({ event_rate_anomaly: 2 }, '2026-06-15T11:59:03Z'));
  // with the default threshold (1000 per minute) nothing is anomalous
  expect(await collect(db, {})).toEqual(expected({}, '2026-06-15T11:59:03Z'));
});
