import { createTestSchema, TestSchema } from '../../testing/db';
import { postJson, startTestService } from '../../testing/service';
import { RunningService } from '../../service';

const NOW = new Date('2026-07-15T00:00:00Z');
let db: TestSchema;
let svc: RunningService;
type Frame = { fields: Array<{ name: string; values: unknown[] }>; meta?: { custom?: Record<string, unknown>; notices?: unknown[] } };
const col = (f: Frame | undefined, n: string) => f?.fields.find((x) => x.name === n)?.values;
const forecast = async (extra: Record<string, unknown> = {}) => {
  const r = await postJson(`${svc.url}/api/v1/query`, { type: 'mrr_forecast', ...extra });
  expect(r.status).toBe(200);
  return r.body.frames as Frame[];
};
const month = (k: number) => new Date(Date.UTC(2025, 1 + k, 1)).toISOString();

beforeAll(async () => {
  db = await createTestSchema('forecast');
  svc = await startTestService(db, {}, () => NOW);
});
afterAll(async () => {
  await svc.close();
  await db.close();
});

it('gives no forecast on an empty company, and says why', async () => {
  const [f, bt] = await forecast();
  expect(col(f, 'mrr')).toEqual(new Array(12).fill(0));
  expect(col(f, 'forecast')).toEqual(new Array(12).fill(null));
  expect(f?.meta?.custom).toEqual({
    model: 'trend',
    monthlyGrowth: null,
    residualStandardError: null,
    monthsFitted: 0,
    backtestMape: null,
  });
  expect(f?.meta?.notices).toHaveLength(1);
  expect(col(bt, 'predicted')).toEqual(new Array(6).fill(null));
});

it('recovers an MRR that doubles every month exactly: the truth, zero-width intervals, zero backtest error', async () => {
  // One tenant whose MRR at month-end k (2025-02-01 + k months) is 100 * 2^k, k = 0..17
  await db.insert('tenants', [{ id: 't', name: 't', plan: 'p', created_at: '2025-01-01T00:00:00Z' }]);
  await db.insert(
    'subscriptions',
    Array.from({ length: 18 }, (_, k) => ({
      id: `s${k}`,
      tenant_id: 't',
      plan: 'p',
      status: 'active',
      amount: String(100 * 2 ** k),
      interval_months: 1,
      valid_from: month(k),
      valid_to: k === 17 ? null : month(k + 1),
    })),
  );
  const [f, bt] = await forecast({ months: 3 });
  const times = col(f, 'time') as number[];
  expect(times).toHaveLength(15);
  expect(times[11]).toBe(Date.parse('2026-07-01T00:00:00Z'));
  expect(times[14]).toBe(Date.parse('2026-10-01T00:00:00Z'));
  expect(col(f, 'mrr')?.slice(0, 12)).toEqual(Array.from({ length: 12 }, (_, x) => 100 * 2 ** (x + 6)));
  const fc = (col(f, 'forecast') as number[]).slice(12);
  fc.forEach((v, i) => expect(v / (100 * 2 ** (18 + i))).toBeCloseTo(1, 9));
  const lo = (col(f, 'lower_95') as number[]).slice(12);
  lo.forEach((v, i) => expect(v / (fc[i] as number)).toBeCloseTo(1, 6));
  expect(f?.meta?.custom?.monthlyGrowth).toBeCloseTo(1, 9);
  expect(f?.meta?.custom?.backtestMape).toBeCloseTo(0, 9);
  expect(col(bt, 'time')).toEqual([12, 13, 14, 15, 16, 17].map((k) => Date.parse(month(k))));
  expect(col(bt, 'actual')).toEqual([12, 13, 14, 15, 16, 17].map((k) => 100 * 2 ** k));
});

it('the drift model on the monthly movements: the same truth from the last month-end', async () => {
  const [f, bt] = await forecast({ model: 'drift', months: 2 });
  expect(col(f, 'mrr')?.slice(0, 12)).toEqual(Array.from({ length: 12 }, (_, x) => 100 * 2 ** (x + 6)));
  expect(col(f, 'fitted')?.slice(0, 12)).toEqual(new Array(12).fill(null));
  const fc = (col(f, 'forecast') as number[]).slice(12);
  fc.forEach((v, i) => expect(v / (100 * 2 ** (18 + i))).toBeCloseTo(1, 9));
  expect(f?.meta?.custom?.monthsFitted).toBe(12);
  expect(f?.meta?.custom?.backtestMape).toBeCloseTo(0, 9);
  // 6 origins, each with 13 month-ends before it: the first (index 13) needs months 0..12
  expect(col(bt, 'actual')).toEqual([12, 13, 14, 15, 16, 17].map((k) => 100 * 2 ** k));
});

it('refuses a horizon over 24 months', async () => {
  const r = await postJson(`${svc.url}/api/v1/query`, { type: 'mrr_forecast', months: 25 });
  expect(r.status).toBe(400);
  expect(r.body.error).toMatch(/^months/);
});
