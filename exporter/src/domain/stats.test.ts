import { chiSquarePValue, equalSplitChiSquare, twoProportionZTest, twoSidedPValue } from './stats';

// Reference values from standard tables (and scipy.stats, rounded).
it('gives the normal two-sided p-values of the tables', () => {
  expect(twoSidedPValue(1.959964)).toBeCloseTo(0.05, 6);
  expect(twoSidedPValue(2.575829)).toBeCloseTo(0.01, 6);
  expect(twoSidedPValue(0)).toBeCloseTo(1, 6);
  expect(twoSidedPValue(-1.959964)).toBeCloseTo(0.05, 6);
});

it('gives the chi-square survival function of the tables', () => {
  expect(chiSquarePValue(3.841459, 1)).toBeCloseTo(0.05, 6);
  expect(chiSquarePValue(10.827566, 1)).toBeCloseTo(0.001, 6);
  expect(chiSquarePValue(5.991465, 2)).toBeCloseTo(0.05, 6);
  expect(chiSquarePValue(0, 3)).toBe(1);
});

it('tests two proportions with a pooled standard error', () => {
  // control 100/1000, variant 130/1000: pooled 0.115, se = sqrt(.115*.885*(2/1000)) = 0.014267
  // z = 0.03 / 0.014267 = 2.1027, two-sided p = 0.03549
  const r = twoProportionZTest({ n: 1000, x: 100 }, { n: 1000, x: 130 });
  expect(r?.z).toBeCloseTo(2.1027, 3);
  expect(r?.pValue).toBeCloseTo(0.03549, 4);
  expect(twoProportionZTest({ n: 0, x: 0 }, { n: 10, x: 1 })).toBeUndefined();
  expect(twoProportionZTest({ n: 10, x: 0 }, { n: 10, x: 0 })).toBeUndefined();
});

it('flags a sample ratio mismatch by chi-square against an equal split', () => {
  // 1000 vs 1100: expected 1050 each, stat = 2 * 50^2 / 1050 = 4.7619, p = 0.02910
  const r = equalSplitChiSquare([1000, 1100]);
  expect(r?.stat).toBeCloseTo(4.7619, 4);
  expect(r?.pValue).toBeCloseTo(0.0291, 4);
  expect(equalSplitChiSquare([500, 500])?.pValue).toBeCloseTo(1, 6);
});
