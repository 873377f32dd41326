/**
 * Exact fractions for Stripe money: prices may carry fractional minor units (unit_amount_decimal),
 * percent discounts and week/day normalisations divide, and currency rates multiply; everything
 * stays exact until the one rounding to the cent at the end.
 */
export interface Rational {
  n: bigint;
  d: bigint;
}

const gcd = (a: bigint, b: bigint): bigint => {
  let x = a < 0n ? -a : a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x === 0n ? 1n : x;
};

export function rat(n: bigint, d = 1n): Rational {
  if (d === 0n) throw new Error('division by zero');
  if (d < 0n) return rat(-n, -d);
  const g = gcd(n, d);
  return { n: n / g, d: d / g };
}

/** "12.345", "-3", "1e2" is refused: Stripe and config numbers are plain decimals. */
export function decimal(text: string | number): Rational {
  const s = typeof text === 'number' ? numberText(text) : text.trim();
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) throw new Error(`not a decimal number: ${s}`);
  const [, sign, whole, fraction = ''] = m;
  const n = BigInt(`${whole}${fraction}`) * (sign === '-' ? -1n : 1n);
  return rat(n, 10n ** BigInt(fraction.length));
}

/** A JS number as plain decimal text (no exponent), exact for what config files hold. */
function numberText(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`not a finite number: ${x}`);
  const s = String(x);
  if (!/e/i.test(s)) return s;
  return x.toFixed(20).replace(/\.?0+$/, '');
}

export const add = (a: Rational, b: Rational): Rational => rat(a.n * b.d + b.n * a.d, a.d * b.d);
export const sub = (a: Rational, b: Rational): Rational => rat(a.n * b.d - b.n * a.d, a.d * b.d);
export const mul = (a: Rational, b: Rational): Rational => rat(a.n * b.n, a.d * b.d);
export const div = (a: Rational, b: Rational): Rational => rat(a.n * b.d, a.d * b.n);
export const cmp = (a: Rational, b: Rational): number => {
  const x = a.n * b.d - b.n * a.d;
  return x < 0n ? -1 : x > 0n ? 1 : 0;
};
export const ZERO = rat(0n);

/** Rounded half away from zero to `places` decimals, as decimal text ("12.30"). */
export function toFixed(r: Rational, places = 2): string {
  const scale = 10n ** BigInt(places);
  const negative = r.n < 0n;
  const abs = negative ? -r.n : r.n;
  const scaled = (abs * scale * 2n + r.d) / (2n * r.d);
  const whole = scaled / scale;
  const frac = (scaled % scale).toString().padStart(places, '0');
  return `${negative && scaled !== 0n ? '-' : ''}${whole}${places > 0 ? `.${frac}` : ''}`;
}
