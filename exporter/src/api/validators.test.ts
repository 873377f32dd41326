import fc from 'fast-check';
import { compareTimestamps, jsonObject, jsonProblem, key, LIMITS, parseTimestamp, TIMESTAMP_PATTERN, timestamp } from './validators';

// The fast path (one regular expression) and the parser that explains a refusal must agree on
// every string, and what they accept must be what JavaScript and Postgres read the same way.

const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
const timestampLike = fc
  .tuple(
    fc.oneof(
      fc.integer({ min: 0, max: 9999 }).map((y) => String(y).padStart(4, '0')),
      fc.constantFrom('0000', '1900', '2000', '2024', '2100', '2400'),
    ),
    two(13),
    two(32),
    two(25),
    two(61),
    two(61),
    fc.option(
      fc.integer({ min: 1, max: 8 }).chain((n) => fc.stringMatching(new RegExp(`^\\d{${n}}$`))),
      { nil: undefined },
    ),
    fc.oneof(
      fc.constant('Z'),
      fc.tuple(fc.constantFrom('+', '-'), two(99), two(99), fc.boolean()).map(([s, h, m, colon]) => `${s}${h}${colon ? ':' : ''}${m}`),
    ),
  )
  .map(([y, mo, d, h, mi, s, frac, zone]) => `${y}-${mo}-${d}T${h}:${mi}:${s}${frac === undefined ? '' : `.${frac}`}${zone}`);

it('the timestamp pattern and parser agree, and accepted values mean what Date.parse says', () => {
  fc.assert(
    fc.property(fc.oneof(timestampLike, fc.string()), (s) => {
      const parsed = parseTimestamp(s);
      expect(TIMESTAMP_PATTERN.test(s)).toBe(typeof parsed !== 'string');
      if (typeof parsed !== 'string') expect(Date.parse(s)).toBe(parsed.ms);
    }),
    { numRuns: 20_000, seed: 42 },
  );
});

it('explains each refused timestamp', () => {
  const message = (s: string) => {
    const r = timestamp.safeParse(s);
    return r.success ? 'ok' : r.error.issues[0]?.message;
  };
  expect(message('2024-02-29T00:00:00Z')).toBe('ok');
  expect(message('2026-06-15T12:00:00.123456+15:59')).toBe('ok');
  expect(message('2025-02-29T00:00:00Z')).toBe('2025-02 has no day 29');
  expect(message('2026-06-15T12:00:00+16:00')).toBe('time zone offset +16:00 is beyond +-15:59');
  expect(message('2026-06-15T12:00:00+12:60')).toBe('time zone offset +12:60 has more than 59 minutes');
  expect(message('0000-01-01T00:00:00Z')).toBe('year must be 0001 to 9999');
  expect(message('2026-06-15T12:00:00')).toMatch(/with a time zone/);
  expect(compareTimestamps('2026-06-15T12:00:00.000001Z', '2026-06-15T14:00:00.000002+02:00')).toBe(-1);
});

it('refuses NUL, lone surrogates and control characters in keys, keeps surrogate pairs', () => {
  const message = (s: string) => {
    const r = key.safeParse(s);
    return r.success ? 'ok' : r.error.issues[0]?.message;
  };
  expect(message('caf\u00e9 \ud83d\ude00')).toBe('ok');
  expect(message('a\u0000b')).toBe('must not contain NUL (\\u0000) at character 1');
  expect(message('a\ud800')).toBe('must be valid Unicode: lone surrogate \\ud800 at character 1');
  expect(message('\udc00a')).toBe('must be valid Unicode: lone surrogate \\udc00 at character 0');
  expect(message('a\tb')).toBe('must not contain control characters');
  expect(message('')).toBe('must not be empty');
});

it('walks JSON of any depth without recursion and names the path to the problem', () => {
  let deep: unknown = 1;
  for (let i = 0; i < 100_000; i++) deep = { a: deep };
  expect(jsonProblem(deep)?.path).toHaveLength(LIMITS.jsonDepth + 1);
  expect(jsonProblem({ a: [1, { b: Infinity }] })).toEqual({
    path: ['a', 1, 'b'],
    message: 'number is out of range (must be finite, e.g. not 1e400)',
  });
  expect(jsonProblem({ n: 2 ** 53 })?.message).toMatch(/2\^53/);
  expect(jsonProblem({ ok: [1, 'two', null, true, { x: -0.5 }] })).toBeUndefined();
  expect(jsonObject.safeParse([1]).success).toBe(false);
  expect(jsonObject.safeParse({ k: 'v' }).success).toBe(true);
});
