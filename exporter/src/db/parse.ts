/**
 * pg returns numeric and bigint as strings (their exact text); these turn them into numbers on
 * purpose, at the boundary, so that no float arithmetic happens on money before the last step.
 */

/** A count (bigint) or integer column. */
export function toCount(value: string | number | null | undefined): number {
  if (value === null || value === undefined) return 0;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`not an integer count: ${String(value)}`);
  return n;
}

/** A numeric column that may be null (undefined value): null stays undefined, never 0 or NaN. */
export function toNumberOrUndefined(value: string | number | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${String(value)}`);
  return n;
}

/** A timestamptz column as Unix seconds (pg gives Date objects for timestamptz). */
export function toUnixSeconds(value: Date | string | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isFinite(ms) ? ms / 1000 : undefined;
}
