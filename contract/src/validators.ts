import { z } from 'zod';

/**
 * The building blocks every API body is validated with, so that a value that passes validation is
 * one Postgres stores exactly as sent: no NUL (text and jsonb refuse it), no lone UTF-16 surrogate
 * (the driver would turn it into U+FFFD, jsonb refuses its escape), timestamps Postgres reads the
 * same way JavaScript does (real calendar dates, years 0001-9999, offsets within +-15:59, at most
 * microseconds), JSON that is bounded in depth and size with finite, exactly representable numbers.
 * A new route gets the same guarantees by building its schema from these (and only zod here, so
 * the module can move to a shared package as it is).
 */
export const LIMITS = {
  /** ids, names, keys, labels */
  keyLength: 200,
  /** free text (comments, notes, titles) */
  textLength: 10_000,
  /** nesting of a JSON value such as event properties: {"a":{"b":1}} is depth 2 */
  jsonDepth: 32,
  /** keys and array elements in one JSON value, all levels together */
  jsonNodes: 10_000,
  jsonKeyLength: 200,
  jsonStringLength: 10_000,
  /** the largest zone offset an ISO 8601 timestamp may carry (Postgres reads up to 15:59) */
  maxOffsetMinutes: 15 * 60 + 59,
  fractionDigits: 6,
} as const;

/** The first problem of a text for Postgres, or undefined: NUL, a lone surrogate, or (for keys) a control character. */
export function textProblem(s: string, allowControls: boolean): string | undefined {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return `must not contain NUL (\\u0000) at character ${i}`;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return `must be valid Unicode: lone surrogate \\u${c.toString(16)} at character ${i}`;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return `must be valid Unicode: lone surrogate \\u${c.toString(16)} at character ${i}`;
    if (!allowControls && (c < 0x20 || c === 0x7f)) return 'must not contain control characters';
  }
  return undefined;
}

// The checks are regular expressions (zod string checks cost a fraction of a refinement, and ingest
// validates every field of up to 1000 events a call); the precise message is computed only for a
// value that fails, by the schema's error map.
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const KEY_CHARS = /^[^\u0000-\u001f\u007f\p{Cs}]*$/u;
// eslint-disable-next-line no-control-regex -- refusing NUL is the point
const TEXT_CHARS = /^[^\u0000\p{Cs}]*$/u;

function checkedText(min: number, max: number, allowControls: boolean) {
  return z
    .string({
      errorMap: (issue, ctx) => ({
        message: issue.code === 'invalid_string' ? (textProblem(String(ctx.data), allowControls) ?? ctx.defaultError) : ctx.defaultError,
      }),
    })
    .min(min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`)
    .regex(allowControls ? TEXT_CHARS : KEY_CHARS);
}

/** Ids, names, keys and labels: 1-200 characters, no control characters, valid Unicode. */
export const key = checkedText(1, LIMITS.keyLength, false);

/** Free text written by people (newlines and tabs allowed, NUL and lone surrogates not). */
export function freeText(max: number = LIMITS.textLength, min = 0) {
  return checkedText(min, max, true);
}

const TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:(Z)|([+-])(\d{2}):?(\d{2}))$/;

export interface ParsedTimestamp {
  /** Unix milliseconds */
  ms: number;
  /** microseconds within the millisecond (0-999) */
  micros: number;
}

/** Parses an ISO 8601 timestamp with a zone as Postgres reads it, or says what is wrong with it. */
export function parseTimestamp(s: string): ParsedTimestamp | string {
  const m = TIMESTAMP_RE.exec(s);
  if (!m) return 'must be an ISO 8601 timestamp with a time zone, e.g. 2026-01-31T12:00:00Z';
  const [, y, mo, d, h, mi, sec, frac, zulu, sign, oh, om] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, sec].map(Number) as [number, number, number, number, number, number];
  if (year < 1) return 'year must be 0001 to 9999';
  if (month < 1 || month > 12) return `month ${mo} does not exist`;
  const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeap(year) ? 1 : 0);
  if (day < 1 || day > daysInMonth) return `${y}-${mo} has no day ${d}`;
  if (hour > 23 || minute > 59 || second > 59) return `time ${h}:${mi}:${sec} does not exist`;
  if (frac !== undefined && frac.length > LIMITS.fractionDigits) {
    return `at most ${LIMITS.fractionDigits} fractional digits (microseconds): Postgres would round the rest`;
  }
  let offsetMinutes = 0;
  if (!zulu) {
    const [ohn, omn] = [Number(oh), Number(om)];
    if (omn > 59) return `time zone offset ${sign}${oh}:${om} has more than 59 minutes`;
    offsetMinutes = ohn * 60 + omn;
    if (offsetMinutes > LIMITS.maxOffsetMinutes) return `time zone offset ${sign}${oh}:${om} is beyond +-15:59`;
    if (sign === '-') offsetMinutes = -offsetMinutes;
  }
  const fracDigits = (frac ?? '').padEnd(6, '0');
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, Number(fracDigits.slice(0, 3)));
  return { ms: utc.getTime() - offsetMinutes * 60_000, micros: Number(fracDigits.slice(3, 6)) };
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** -1, 0 or 1 as a is before, at, or after b, to the microsecond. */
export function compareTimestamps(a: string, b: string): number {
  const [pa, pb] = [parseTimestamp(a), parseTimestamp(b)];
  if (typeof pa === 'string' || typeof pb === 'string') return 0;
  return Math.sign(pa.ms - pb.ms || pa.micros - pb.micros);
}

// The same rules as parseTimestamp, as one regular expression: real calendar dates (leap years
// included), years 0001-9999, offsets within +-15:59, at most microseconds.
const LEAP_YEAR = '(?:\\d{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)';
const CALENDAR_DATE =
  '(?!0000)(?:\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|02-(?:0[1-9]|1\\d|2[0-8]))|' +
  `${LEAP_YEAR}-02-29)`;
export const TIMESTAMP_PATTERN = new RegExp(
  `^${CALENDAR_DATE}T(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d{1,${LIMITS.fractionDigits}})?(?:Z|[+-](?:0\\d|1[0-5]):?[0-5]\\d)$`,
);

/** An ISO 8601 timestamp with an explicit zone, exactly as Postgres stores it. */
export const timestamp = z
  .string({
    errorMap: (issue, ctx) => {
      if (issue.code !== 'invalid_string') return { message: ctx.defaultError };
      const r = parseTimestamp(String(ctx.data));
      return { message: typeof r === 'string' ? r : 'must be an ISO 8601 timestamp with a time zone, e.g. 2026-01-31T12:00:00Z' };
    },
  })
  .regex(TIMESTAMP_PATTERN);

/**
 * Refines an object so that `later` (when set) is not before `earlier`: reports that cannot be
 * true (resolved before started) are refused rather than corrupting durations.
 */
export function notBefore<T extends Record<string, unknown>>(later: keyof T & string, earlier: keyof T & string) {
  return (o: T, ctx: z.RefinementCtx) => {
    const [l, e] = [o[later], o[earlier]];
    if (typeof l === 'string' && typeof e === 'string' && compareTimestamps(l, e) < 0) {
      // Either may be the wrong one: both are named.
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [later], message: `must not be before ${earlier} (${e})` });
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [earlier], message: `must not be after ${later} (${l})` });
    }
  };
}

/**
 * The first problem of a parsed JSON value, with the path to it; walked without recursion so any
 * depth is safe to look at. Numbers must be finite (1e400 parses as Infinity and would be stored
 * as null) and integers exactly representable (beyond 2^53 they are silently rounded).
 */
export function jsonProblem(value: unknown): { path: Array<string | number>; message: string } | undefined {
  const stack: Array<{ v: unknown; path: Array<string | number> }> = [{ v: value, path: [] }];
  let nodes = 0;
  while (stack.length > 0) {
    const { v, path } = stack.pop() as { v: unknown; path: Array<string | number> };
    if (path.length > LIMITS.jsonDepth) return { path, message: `nested more than ${LIMITS.jsonDepth} levels deep` };
    if (typeof v === 'string') {
      if (v.length > LIMITS.jsonStringLength) return { path, message: `string must be at most ${LIMITS.jsonStringLength} characters` };
      const p = textProblem(v, true);
      if (p) return { path, message: p };
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) return { path, message: 'number is out of range (must be finite, e.g. not 1e400)' };
      if (Number.isInteger(v) && !Number.isSafeInteger(v)) {
        return { path, message: 'integer beyond +-2^53 cannot be kept exactly; send it as a string' };
      }
    } else if (Array.isArray(v)) {
      nodes += v.length;
      if (nodes > LIMITS.jsonNodes) return { path, message: `more than ${LIMITS.jsonNodes} keys and elements in all` };
      v.forEach((item, i) => stack.push({ v: item, path: [...path, i] }));
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      nodes += entries.length;
      if (nodes > LIMITS.jsonNodes) return { path, message: `more than ${LIMITS.jsonNodes} keys and elements in all` };
      for (const [k, item] of entries) {
        const kp = k.length > LIMITS.jsonKeyLength ? `key must be at most ${LIMITS.jsonKeyLength} characters` : textProblem(k, true);
        if (kp) return { path: [...path, k], message: `key ${kp}` };
        stack.push({ v: item, path: [...path, k] });
      }
    } else if (typeof v !== 'boolean' && v !== null) {
      return { path, message: `not a JSON value (${typeof v})` };
    }
  }
  return undefined;
}

/** A JSON object (event properties and the like) that jsonb stores exactly: see jsonProblem. */
export const jsonObject = z.custom<Record<string, unknown>>().superRefine((o, ctx) => {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `Expected object, received ${Array.isArray(o) ? 'array' : o === null ? 'null' : typeof o}`,
    });
    return;
  }
  const p = jsonProblem(o);
  if (p) ctx.addIssue({ code: z.ZodIssueCode.custom, path: p.path, message: p.message, fatal: true });
});

/** An integer that fits the column it is stored in (int4 unless said otherwise). */
export function integer(min: number, max: number = 2_147_483_647) {
  return z.number().int().min(min).max(max);
}
