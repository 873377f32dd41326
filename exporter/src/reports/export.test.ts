import { withReadOnly } from '../db/pool';
import { createTestSchema, TestSchema } from '../testing/db';
import { collectLines } from '../testing/collect';
import { revenueCollector } from '../collectors/revenue';
import { csvField, framesCsv, metricsCsv, metricSnapshot, runQuery } from './export';
import { NO_COLLECTORS } from '../testing/service';

const T = new Date('2026-06-15T12:00:00Z');
let db: TestSchema;

beforeAll(async () => {
  db = await createTestSchema('export');
  await db.insert('tenants', [{ id: 'a', name: 'a', plan: 'pro', created_at: '2026-01-01T00:00:00Z' }]);
  await db.insert('subscriptions', [
    { id: 's1', tenant_id: 'a', plan: 'pro', status: 'active', amount: '120.50', interval_months: 1, valid_from: '2026-01-01T00:00:00Z' },
  ]);
});
afterAll(() => db.close());

it('exports the metric snapshot with the same samples as the collectors, as CSV with a column per label', async () => {
  const config = db.config({ collectors: { ...NO_COLLECTORS, revenue: { enabled: true } } });
  const snap = await withReadOnly(db.pool, (c) => metricSnapshot(c, config, T));
  expect(snap.errors).toEqual([]);
  const lines = await collectLines(revenueCollector, config, T);
  expect(snap.rows).toHaveLength(lines.length);
  const csv = metricsCsv(snap.rows).split('\n');
  expect(csv[0]).toBe('metric,currency,plan,type,value');
  expect(csv).toContain('saasmon_mrr_by_plan,USD,pro,,120.5');
  expect(csv).toContain('saasmon_mrr,USD,,,120.5');
});

it('exports any query answer through the API schemas', async () => {
  const answer = await withReadOnly(db.pool, (c) =>
    runQuery(c, db.config(), T, { type: 'revenue_by_plan', from: '2026-05-01T00:00:00Z', to: '2026-06-01T00:00:00Z', interval: 'month' }),
  );
  const csv = framesCsv(answer);
  expect(csv.split('\n')[0]).toMatch(/^time,/);
  expect(csv).toContain('2026-05-01T00:00:00.000Z');
  await expect(withReadOnly(db.pool, (c) => runQuery(c, db.config(), T, { type: 'mrr_movements', from: 'x' }))).rejects.toThrow(/^from:/);
  await expect(withReadOnly(db.pool, (c) => runQuery(c, db.config(), T, { type: 'nope' }))).rejects.toThrow(/unknown query type/);
});

it('quotes CSV fields and defuses spreadsheet formulas', () => {
  expect(csvField('a,b')).toBe('"a,b"');
  expect(csvField('say "hi"')).toBe('"say ""hi"""');
  expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
  expect(csvField(Number.POSITIVE_INFINITY)).toBe('+Inf');
  expect(csvField(null)).toBe('');
  expect(csvField(-3)).toBe('-3');
});
