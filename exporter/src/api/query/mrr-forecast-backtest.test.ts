import { backtest, FIT_MONTHS } from '../../domain/forecast';
import { copyRows } from '../../demo/copy';
import { centsText } from '../../demo/marketing';
import { SCALE_PROFILES, SCALES } from '../../demo/scales';
import { generateTenants } from '../../demo/tenants';
import { HISTORY_DAYS } from '../../demo/scales';
import { iso } from '../../demo/time';
import { createTestSchema, TestSchema } from '../../testing/db';
import { monthEnds, readMrrSeries } from './mrr-forecast';

// The forecast backtest on the demo's companies at each generated scale (the tenants and their
// subscription histories only: events do not enter MRR), read through the same SQL as the query.
// The figures are quoted in docs/metrics.md ("MRR forecast").

const NOW = new Date('2026-06-15T12:00:00Z');
const DAY_MS = 86_400_000;
let db: TestSchema;
beforeAll(async () => {
  db = await createTestSchema('fcbt');
});
afterAll(() => db.close());

it.each(SCALES)('backtests the forecast on the demo company at scale %s', async (scale) => {
  await db.pool.query('TRUNCATE subscriptions, tenants CASCADE');
  const tenants = generateTenants(42, SCALE_PROFILES[scale].tenants, NOW.getTime() - HISTORY_DAYS * DAY_MS, NOW.getTime());
  const client = await db.pool.connect();
  try {
    await copyRows(
      client,
      'tenants',
      ['id', 'name', 'plan', 'created_at'],
      tenants.map((t) => [t.id, t.name, t.plan, iso(t.createdMs)]),
    );
    await copyRows(
      client,
      'subscriptions',
      ['id', 'tenant_id', 'plan', 'status', 'amount', 'interval_months', 'valid_from', 'valid_to'],
      tenants.flatMap((t) =>
        t.subscriptions.map((s) => [
          s.id,
          s.tenantId,
          s.plan,
          s.status,
          centsText(s.amountCents),
          s.intervalMonths,
          iso(s.fromMs),
          s.toMs === null ? null : iso(s.toMs),
        ]),
      ),
    );
  } finally {
    client.release();
  }
  const series = await readMrrSeries(db.pool, monthEnds(NOW, FIT_MONTHS + 1 + 6));
  for (const model of ['trend', 'drift'] as const) {
    const bt = backtest(series, 6, model);
    console.log(
      `${scale} ${model}: MAPE ${((bt.mape ?? NaN) * 100).toFixed(2)}%, APEs ${bt.points.map((p) => ((p.ape ?? NaN) * 100).toFixed(1)).join(' ')}; MRR ${series.map((v) => Math.round(v)).join(' ')}`,
    );
    expect(bt.mape).toBeDefined();
  }
});
