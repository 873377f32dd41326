import fc from 'fast-check';
import {
  acquisitionCost,
  arpa,
  classifyMovement,
  classifyMovements,
  customerChurnRate,
  grossMrrChurnRate,
  lifetimeValue,
  ltvToCac,
  mrrGrowth,
  netMrrChurnRate,
  quickRatio,
  revenuePeriods,
  revenueRetention,
  TenantMrrChange,
} from './mrr';
import { parseMoney } from './money';

const $ = parseMoney;
const change = (tenantId: string, m0: string, m1: string, everPaidBefore = m0 !== '0'): TenantMrrChange => ({
  tenantId,
  m0: $(m0),
  m1: $(m1),
  everPaidBefore,
});

it('classifies each case of the definition', () => {
  expect(classifyMovement($('0'), $('10'), false)).toEqual({ type: 'new', amount: $('10') });
  expect(classifyMovement($('0'), $('10'), true)).toEqual({ type: 'reactivation', amount: $('10') });
  expect(classifyMovement($('10'), $('0'), true)).toEqual({ type: 'churn', amount: $('10') });
  expect(classifyMovement($('10'), $('25.5'), true)).toEqual({ type: 'expansion', amount: $('15.5') });
  expect(classifyMovement($('25.5'), $('10'), true)).toEqual({ type: 'contraction', amount: $('15.5') });
  expect(classifyMovement($('10'), $('10'), true)).toBeUndefined();
  expect(classifyMovement($('0'), $('0'), true)).toBeUndefined();
});

it('sums per type and counts paying tenants at both ends', () => {
  const m = classifyMovements([
    change('new', '0', '100'),
    change('back', '0', '33.333333', true),
    change('up', '50', '80'),
    change('down', '80', '50'),
    change('gone', '20', '0'),
    change('flat', '10', '10'),
    change('never', '0', '0'),
  ]);
  expect(m.startingMrr).toBe($('160'));
  expect(m.endingMrr).toBe($('273.333333'));
  expect(m.totals).toEqual({ new: $('100'), reactivation: $('33.333333'), expansion: $('30'), contraction: $('30'), churn: $('20') });
  expect(m.tenants).toEqual({ new: 1, reactivation: 1, expansion: 1, contraction: 1, churn: 1 });
  expect([m.payingAtStart, m.payingAtEnd]).toEqual([4, 5]); // start: up, down, gone, flat; end: new, back, up, down, flat
  expect(m.perTenant.map((t) => `${t.tenantId}:${t.type}`)).toEqual([
    'new:new',
    'back:reactivation',
    'up:expansion',
    'down:contraction',
    'gone:churn',
  ]);
  // growth 273.333333 / 160 - 1; churn 1 of 4; gross (20 + 30) / 160; net (20 + 30 - 30 - 33.333333) / 160
  expect(mrrGrowth(m)).toBeCloseTo(273.333333 / 160 - 1, 12);
  expect(customerChurnRate(m)).toBe(0.25);
  expect(grossMrrChurnRate(m)).toBe(50 / 160);
  expect(netMrrChurnRate(m)).toBeCloseTo(-13.333333 / 160, 12);
  // quick ratio (100 + 33.333333 + 30) / (30 + 20)
  expect(quickRatio(m)).toBeCloseTo(163.333333 / 50, 12);
});

it('holds the MRR identity exactly for any tenants', () => {
  const micros = fc.bigInt({ min: 0n, max: 10n ** 12n }).map((v) => (v % 3n === 0n ? 0n : v));
  fc.assert(
    fc.property(fc.array(fc.tuple(micros, micros, fc.boolean()), { maxLength: 50 }), (rows) => {
      const m = classifyMovements(rows.map(([m0, m1, everPaidBefore], i) => ({ tenantId: `t${i}`, m0, m1, everPaidBefore })));
      const t = m.totals;
      expect(m.endingMrr).toBe(m.startingMrr + t.new + t.reactivation + t.expansion - t.contraction - t.churn);
    }),
  );
});

it('leaves ratios undefined on division by zero; quick ratio +Inf when nothing was lost', () => {
  const empty = classifyMovements([]);
  expect([mrrGrowth(empty), customerChurnRate(empty), grossMrrChurnRate(empty), netMrrChurnRate(empty), quickRatio(empty)]).toEqual([
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
  ]);
  expect(quickRatio(classifyMovements([change('a', '0', '5')]))).toBe(Number.POSITIVE_INFINITY);
  expect(quickRatio(classifyMovements([change('a', '5', '0')]))).toBe(0);
  expect(arpa(0n, 0)).toBeUndefined();
  expect(acquisitionCost($('100'), 0)).toBeUndefined();
  expect(lifetimeValue(50, 1, 0)).toBeUndefined();
  expect(lifetimeValue(50, 0.8, 0.1)).toBe(400);
  expect(ltvToCac(400, 0)).toBeUndefined();
  expect(ltvToCac(400, 100)).toBe(4);
});

it('computes NRR and GRR over tenants paying at the start only', () => {
  // start 100 + 50 = 150; end 120 + 20 = 140; kept min(100,120) + min(50,20) = 120; t3 is new: ignored
  const r = revenueRetention([change('t1', '100', '120'), change('t2', '50', '20'), change('t3', '0', '999')]);
  expect(r.nrr).toBe(140 / 150);
  expect(r.grr).toBe(120 / 150);
  expect(revenueRetention([change('t3', '0', '10')])).toEqual({ nrr: undefined, grr: undefined });
});

it('cuts calendar periods (UTC, Monday weeks) and ends the current one at now', () => {
  const d = (s: string) => Date.parse(s);
  const iso = (ps: ReturnType<typeof revenuePeriods>) =>
    ps.map((p) => [new Date(p.startMs).toISOString(), new Date(p.endMs).toISOString()]);
  // from mid-January to mid-March, now on 03-10: Jan, Feb, Mar (ending at now)
  expect(iso(revenuePeriods(d('2026-01-15T10:00:00Z'), d('2026-03-20T00:00:00Z'), 'month', d('2026-03-10T00:00:00Z')))).toEqual([
    ['2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'],
    ['2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'],
    ['2026-03-01T00:00:00.000Z', '2026-03-10T00:00:00.000Z'],
  ]);
  // `to` exactly at a month start excludes that month
  expect(revenuePeriods(d('2026-01-01T00:00:00Z'), d('2026-02-01T00:00:00Z'), 'month', d('2027-01-01T00:00:00Z'))).toHaveLength(1);
  // 2026-06-03 is a Wednesday: its week starts Monday 06-01
  expect(iso(revenuePeriods(d('2026-06-03T12:00:00Z'), d('2026-06-09T00:00:00Z'), 'week', d('2027-01-01T00:00:00Z')))).toEqual([
    ['2026-06-01T00:00:00.000Z', '2026-06-08T00:00:00.000Z'],
    ['2026-06-08T00:00:00.000Z', '2026-06-15T00:00:00.000Z'],
  ]);
  expect(revenuePeriods(d('2026-01-01T00:00:00Z'), d('2026-02-01T00:00:00Z'), 'month', d('2025-01-01T00:00:00Z'))).toEqual([]);
});
