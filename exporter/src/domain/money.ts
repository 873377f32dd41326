/**
 * Money as integer micro-units (1e-6 of the currency unit) in a bigint. SQL computes a row's MRR
 * as round(amount / interval_months, 6), so every value is exact here and sums, differences and
 * the MRR identity hold to the last digit; floats appear only when a number leaves for Prometheus
 * or JSON.
 */
export type Micros = bigint;

const SCALE_DIGITS = 6;
const SCALE = 10n ** BigInt(SCALE_DIGITS);

/** Parses pg's numeric text ("-1234.5", "83.333333") exactly; more than 6 decimals is refused. */
export function parseMoney(text: string | null | undefined): Micros {
  if (text === null || text === undefined) return 0n;
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw new Error(`not a numeric money value: ${JSON.stringify(text)}`);
  const [, sign, whole, fraction = ''] = m;
  const trimmed = fraction.replace(/0+$/, '');
  if (trimmed.length > SCALE_DIGITS) throw new Error(`money value has more than ${SCALE_DIGITS} decimals: ${text}`);
  const micros = BigInt(whole as string) * SCALE + BigInt(trimmed.padEnd(SCALE_DIGITS, '0') || '0');
  return sign === '-' ? -micros : micros;
}

export function moneyToNumber(value: Micros): number {
  const whole = value / SCALE;
  const rest = value % SCALE;
  return Number(whole) + Number(rest) / Number(SCALE);
}

/** Decimal text with up to 6 places, for JSON answers that must stay exact. */
export function moneyToString(value: Micros): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const fraction = (abs % SCALE).toString().padStart(SCALE_DIGITS, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${abs / SCALE}${fraction ? `.${fraction}` : ''}`;
}

export function sumMoney(values: Iterable<Micros>): Micros {
  let total = 0n;
  for (const v of values) total += v;
  return total;
}
