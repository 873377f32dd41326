import { migrate } from '../../../db/migrate';
import { MIGRATIONS } from '../../../db/migrations';
import { createTestSchema, TestSchema } from '../../../testing/db';

// 014-tracking-waiting upgrades a database that already ran 014-integrations and holds refusals.
let db: TestSchema;
afterAll(async () => db?.close());

it('keeps existing refusals, giving them their reason code', async () => {
  const upTo014 = MIGRATIONS.slice(0, MIGRATIONS.findIndex((m) => m.version === '014-integrations') + 1);
  // As a release of that time left it: its tables, without today's database functions (they read
  // columns of later migrations; migrate() applies them after the pending migrations).
  db = await createTestSchema('trkwait', upTo014, null);
  await db.insert('saasmon_tracking_rejections', [
    { source: 'segment', message_id: 'm1', reason: 'no_tenant: event x: no tenant', message: '{}' },
  ]);
  await migrate(db.url, db.schema);
  const r = await db.pool.query(`SELECT reason_code, tenant_id, user_id FROM saasmon_tracking_rejections`);
  expect(r.rows).toEqual([{ reason_code: 'no_tenant', tenant_id: null, user_id: null }]);
});
