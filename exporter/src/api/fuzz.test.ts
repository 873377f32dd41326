import fc from 'fast-check';
import { Agent, request } from 'node:http';
import { eraseUser } from '../admin/erase-user';
import { RunningService } from '../service';
import { createTestSchema, TestSchema } from '../testing/db';
import { startTestService } from '../testing/service';
import { TEST_TOKENS } from '../testing/tokens';
import { LIMITS } from './validators';
import { QUERY_TYPES } from './query';

// Property-based: tens of thousands of requests, each bad by construction in one of the classes
// of bad input (NUL, lone surrogates, control characters, lengths, wrong types, impossible
// timestamps and zone offsets, overflowing numbers, deep or oversized JSON, ends before starts,
// unknown tenants, erased users, unknown and missing fields, invalid UTF-8, random bytes), put in
// any field of any ingest or query route, alone or next to valid items. Every answer must be a
// 4xx whose message names the field (or, with ?partial=true, every item rejected naming it), never
// a 5xx; and no stored row may change: every table of the schema is checksummed before and after.

const NOW = new Date('2026-06-15T12:00:00Z');
const REQUESTS_PER_RUN = 50;
const RUNS = Number(process.env.SAASMON_FUZZ_RUNS ?? 400);
let db: TestSchema;
let svc: RunningService;

/** A request and what its refusal must name. */
interface Case {
  path: string;
  body: string | Uint8Array;
  /** A substring the error (or each item's error with partial=true) must contain; undefined: any `field: message`. */
  field?: string;
  partial?: boolean;
  /** bad class, for the tally */
  kind: string;
}

/** A bad value for a field: a JSON value, or raw JSON text (numbers JSON.stringify cannot write, deep nesting). */
type Bad = { kind: string; value?: unknown; raw?: string; path?: string };

type FieldKind = 'key' | 'text' | 'title' | 'time' | 'enum' | 'int' | 'int53' | 'json' | 'keys' | 'number';
interface Field {
  name: string;
  kind: FieldKind;
  nullable?: boolean;
}

const withChar = (base: string, c: string) => fc.nat({ max: base.length }).map((i) => base.slice(0, i) + c + base.slice(i));

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const control = fc.integer({ min: 1, max: 31 }).map((c) => String.fromCharCode(c));
const INJECTIONS = ["'; DROP TABLE tenants; --", "t1' OR '1'='1", '$1', '${jndi:ldap://x}', '../../etc/passwd'];

/** Strings that no text field accepts (NUL, lone surrogates), plus control characters for keys. */
function badText(base: string, keyLike: boolean): fc.Arbitrary<Bad> {
  const options: Array<fc.Arbitrary<Bad>> = [
    withChar(base, '\u0000').map((value) => ({ kind: 'nul', value })),
    fc
      .constantFrom(...INJECTIONS)
      .chain((inj) => withChar(inj, '\u0000'))
      .map((value) => ({ kind: 'nul', value })),
    loneSurrogate.chain((s) => withChar(base, s)).map((value) => ({ kind: 'lone_surrogate', value })),
    fc.oneof(fc.integer(), fc.boolean(), fc.constant([]), fc.constant({})).map((value) => ({ kind: 'wrong_type', value })),
  ];
  if (keyLike) {
    options.push(
      control.chain((c) => withChar(base, c)).map((value) => ({ kind: 'control_char', value })),
      fc.integer({ min: LIMITS.keyLength + 1, max: LIMITS.keyLength + 50 }).map((n) => ({ kind: 'too_long', value: 'k'.repeat(n) })),
      fc.constant({ kind: 'empty', value: '' }),
    );
  }
  return fc.oneof(...options);
}

const BAD_OFFSETS = ['+16:00', '+25:00', '+99:99', '+12:60', '-16:00', '+1600', '-23:59', '+15:60'];
const BAD_DATES = [
  '0000-01-01T00:00:00Z',
  '2026-13-01T00:00:00Z',
  '2026-00-10T00:00:00Z',
  '2026-02-30T00:00:00Z',
  '2025-02-29T00:00:00Z',
  '2026-06-31T00:00:00Z',
  '2026-06-15T24:00:00Z',
  '2026-06-15T12:60:00Z',
  '2026-06-15T12:00:60Z',
  '2026-06-15T12:00:00',
  '2026-06-15 12:00:00Z',
  '2026-06-15T12:00:00.1234567Z',
  '-infinity',
  'infinity',
  'now',
  '2026-06-15',
  '',
  '99999-01-01T00:00:00Z',
  '2026-06-15T12:00:00+02',
];

function badTime(ingest: boolean): fc.Arbitrary<Bad> {
  const options: Array<fc.Arbitrary<Bad>> = [
    fc.constantFrom(...BAD_OFFSETS).map((o) => ({ kind: 'bad_offset', value: `2026-06-15T10:00:00${o}` })),
    fc.constantFrom(...BAD_DATES).map((value) => ({ kind: 'bad_date', value })),
    fc.oneof(fc.integer(), fc.constant(true), fc.constant({})).map((value) => ({ kind: 'wrong_type', value })),
    loneSurrogate.map((s) => ({ kind: 'lone_surrogate', value: `2026-06-15T10:00:00Z${s}` })),
    fc.constant({ kind: 'nul', value: '2026-06-15T10:00:00Z\u0000' }),
  ];
  // Only ingest bounds time: older than ingest.maxPastDays or ahead of maxFutureSeconds.
  if (ingest)
    options.push(
      fc
        .constantFrom('2020-01-01T00:00:00Z', '2026-06-15T12:10:00Z', '2100-01-01T00:00:00Z')
        .map((value) => ({ kind: 'out_of_range', value })),
    );
  return fc.oneof(...options);
}

const OVERFLOWING = ['1e400', '-1e400', '1e309', '123456789012345678901'];

function badNumber(kind: 'int' | 'int53' | 'number'): fc.Arbitrary<Bad> {
  const options: Array<fc.Arbitrary<Bad>> = [
    fc.constantFrom(...OVERFLOWING).map((raw) => ({ kind: 'overflow', raw })),
    fc.constantFrom('5', 'NaN', '', '1e3').map((value) => ({ kind: 'wrong_type', value })),
    fc.constant({ kind: 'wrong_type', value: [1] }),
    fc.constant({ kind: 'out_of_range', value: -1 }),
  ];
  if (kind !== 'number') options.push(fc.constant({ kind: 'not_integer', value: 1.5 }));
  if (kind === 'int') options.push(fc.constant({ kind: 'out_of_range', value: 2_147_483_648 }));
  if (kind === 'int53') options.push(fc.constant({ kind: 'out_of_range', value: 2 ** 60 }));
  return fc.oneof(...options);
}

function nested(depth: number, leaf: string): string {
  return `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;
}

const badJson: fc.Arbitrary<Bad> = fc.oneof(
  fc.integer({ min: LIMITS.jsonDepth + 1, max: 5_000 }).map((d) => ({ kind: 'deep_nesting', raw: nested(d, '1') })),
  fc.integer({ min: 0, max: 10 }).map((d) => ({ kind: 'nul', raw: nested(d, '"x\\u0000y"') })),
  fc.integer({ min: 0, max: 10 }).map((d) => ({ kind: 'nul', raw: nested(d, '{"k\\u0000":1}') })),
  fc
    .tuple(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0xd800, max: 0xdfff }))
    .map(([d, c]) => ({ kind: 'lone_surrogate', raw: nested(d, `"\\u${c.toString(16)}"`) })),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => ({ kind: 'lone_surrogate', raw: `{"\\u${c.toString(16)}":true}` })),
  fc
    .tuple(fc.integer({ min: 0, max: 10 }), fc.constantFrom(...OVERFLOWING))
    .map(([d, n]) => ({ kind: 'overflow', raw: nested(d, `[0, ${n}]`) })),
  fc.constant({ kind: 'too_many_nodes', raw: `{"a":[${Array.from({ length: LIMITS.jsonNodes + 1 }, () => '0').join(',')}]}` }),
  fc.constant({ kind: 'too_long', value: { s: 'x'.repeat(LIMITS.jsonStringLength + 1) } }),
  fc.oneof(fc.constant([1, 2]), fc.constant('props'), fc.integer()).map((value) => ({ kind: 'wrong_type', value })),
);

function badValue(field: Field, ingest: boolean): fc.Arbitrary<Bad> {
  const required: Array<fc.Arbitrary<Bad>> = field.nullable ? [] : [fc.constant({ kind: 'null', value: null })];
  const of = (a: fc.Arbitrary<Bad>) =>
    required.length ? fc.oneof({ weight: 5, arbitrary: a }, { weight: 1, arbitrary: required[0] as fc.Arbitrary<Bad> }) : a;
  switch (field.kind) {
    case 'key':
      return of(badText('abc', true));
    case 'text':
      return of(fc.oneof(badText('hello\nworld', false), fc.constant({ kind: 'too_long', value: 'x'.repeat(LIMITS.textLength + 1) })));
    case 'title':
      return of(
        fc.oneof(
          badText('db down', false),
          fc.constant({ kind: 'too_long', value: 'x'.repeat(501) }),
          fc.constant({ kind: 'empty', value: '' }),
        ),
      );
    case 'time':
      return of(badTime(ingest));
    case 'enum':
      return of(
        fc.oneof(
          fc.string({ maxLength: 10 }).map((s) => ({ kind: 'not_in_enum', value: `zz-${s}` })),
          badText('full', true),
        ),
      );
    case 'int':
    case 'int53':
    case 'number':
      return of(badNumber(field.kind));
    case 'json':
      return badJson;
    case 'keys':
      return fc.oneof(
        badText('abc', true).map((b) => ({
          ...b,
          value: b.value === undefined ? undefined : ['ok', b.value],
          raw: undefined,
          path: '[1]',
        })),
        fc.constant({ kind: 'wrong_type', value: 'not-a-list' }),
      );
  }
}

const EVENT_FIELDS: Field[] = [
  { name: 'id', kind: 'key' },
  { name: 'tenant_id', kind: 'key' },
  { name: 'user_id', kind: 'key', nullable: true },
  { name: 'name', kind: 'key' },
  { name: 'occurred_at', kind: 'time' },
  { name: 'properties', kind: 'json', nullable: true },
];
const VALID_EVENT = {
  id: 'e-seed',
  tenant_id: 't1',
  user_id: 'u1',
  name: 'report.exported',
  occurred_at: '2026-06-15T11:00:00Z',
  properties: { plan: 'pro' },
};

interface EntityRoute {
  route: string;
  fields: Field[];
  valid: Record<string, unknown>;
  /** reports that cannot be true: [field that must be named, patch] */
  impossible: Array<[string, Record<string, unknown>]>;
}
const ENTITY_ROUTES: EntityRoute[] = [
  {
    route: 'backups',
    fields: [
      { name: 'id', kind: 'key' },
      { name: 'kind', kind: 'enum' },
      { name: 'location', kind: 'key' },
      { name: 'started_at', kind: 'time' },
      { name: 'completed_at', kind: 'time', nullable: true },
      { name: 'status', kind: 'enum' },
      { name: 'size_bytes', kind: 'int53', nullable: true },
      { name: 'verified_at', kind: 'time', nullable: true },
    ],
    valid: {
      id: 'b1',
      kind: 'full',
      location: 'eu',
      started_at: '2026-06-15T09:00:00Z',
      completed_at: '2026-06-15T09:30:00Z',
      status: 'succeeded',
      size_bytes: 10,
    },
    impossible: [
      ['completed_at', { completed_at: '2026-06-15T08:59:59.999999Z' }],
      ['verified_at', { verified_at: '2026-06-15T09:29:00Z' }],
    ],
  },
  {
    route: 'dr-tests',
    fields: [
      { name: 'id', kind: 'key' },
      { name: 'kind', kind: 'enum' },
      { name: 'tested_at', kind: 'time' },
      { name: 'recovery_time_seconds', kind: 'int' },
      { name: 'data_loss_seconds', kind: 'int' },
      { name: 'result', kind: 'enum' },
      { name: 'notes', kind: 'text', nullable: true },
    ],
    valid: {
      id: 'd1',
      kind: 'backup_restore',
      tested_at: '2026-06-15T10:00:00Z',
      recovery_time_seconds: 60,
      data_loss_seconds: 0,
      result: 'pass',
      notes: 'ok',
    },
    impossible: [],
  },
  {
    route: 'incidents',
    fields: [
      { name: 'id', kind: 'key' },
      { name: 'title', kind: 'title' },
      { name: 'severity', kind: 'enum' },
      { name: 'status', kind: 'enum' },
      { name: 'services', kind: 'keys', nullable: true },
      { name: 'started_at', kind: 'time' },
      { name: 'resolved_at', kind: 'time', nullable: true },
    ],
    valid: {
      id: 'i1',
      title: 'api slow',
      severity: 'minor',
      status: 'resolved',
      services: ['api'],
      started_at: '2026-06-15T09:00:00Z',
      resolved_at: '2026-06-15T09:20:00Z',
    },
    impossible: [['resolved_at', { resolved_at: '2026-06-15T08:00:00Z' }]],
  },
  {
    route: 'releases',
    fields: [
      { name: 'id', kind: 'key' },
      { name: 'version', kind: 'key' },
      { name: 'kind', kind: 'enum' },
      { name: 'deployed_at', kind: 'time' },
      { name: 'rolled_back_at', kind: 'time', nullable: true },
    ],
    valid: { id: 'r1', version: '1.0.0', kind: 'patch', deployed_at: '2026-06-15T10:00:00Z' },
    impossible: [['rolled_back_at', { rolled_back_at: '2026-06-15T09:59:59Z' }]],
  },
  {
    route: 'nps',
    fields: [
      { name: 'id', kind: 'key' },
      { name: 'tenant_id', kind: 'key' },
      { name: 'user_id', kind: 'key', nullable: true },
      { name: 'score', kind: 'int' },
      { name: 'comment', kind: 'text', nullable: true },
      { name: 'responded_at', kind: 'time' },
    ],
    valid: { id: 'n1', tenant_id: 't1', user_id: 'u1', score: 9, comment: 'nice', responded_at: '2026-06-15T10:00:00Z' },
    impossible: [['tenant_id', { tenant_id: 'ghost' }]],
  },
];

/** JSON text of `obj` with the placeholder string replaced by raw JSON text. */
const PLACEHOLDER = '__RAW_VALUE__';
function render(obj: unknown, raw?: string): string {
  const text = JSON.stringify(obj);
  return raw === undefined ? text : text.replace(`"${PLACEHOLDER}"`, raw);
}

/** An item with one field made bad (or removed, or an unknown field added); `at` is the path prefix. */
function badItem(
  fields: Field[],
  valid: Record<string, unknown>,
  ingest: boolean,
  impossible: EntityRoute['impossible'],
  extraKeys: string[] = [],
) {
  type Made = { item: Record<string, unknown>; raw?: string; field: string; kind: string };
  const options: Array<fc.WeightedArbitrary<Made>> = [
    {
      weight: 8,
      arbitrary: fc.constantFrom(...fields).chain((f) =>
        badValue(f, ingest).map((b) => ({
          item: { ...valid, [f.name]: b.raw !== undefined ? PLACEHOLDER : b.value },
          raw: b.raw,
          field: f.name,
          kind: b.kind,
        })),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...fields.filter((f) => !f.nullable && !extraKeys.includes(f.name))).map((f) => {
        const item = { ...valid };
        delete item[f.name];
        return { item, field: f.name, kind: 'missing' };
      }),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('zzz', 'Id', 'tenantId', '__proto__x')
        .map((k) => ({ item: { ...valid, [k]: 1 }, field: k, kind: 'unknown_field' })),
    },
  ];
  if (impossible.length > 0) {
    options.push({
      weight: 2,
      arbitrary: fc.constantFrom(...impossible).map(([field, patch]) => ({
        item: { ...valid, ...patch },
        field,
        kind: field === 'tenant_id' || field === 'user_id' ? (field === 'user_id' ? 'erased_user' : 'unknown_tenant') : 'end_before_start',
      })),
    });
  }
  return fc.oneof(...options);
}

function eventsCase(): fc.Arbitrary<Case> {
  const impossible: EntityRoute['impossible'] = [
    ['tenant_id', { tenant_id: 'ghost' }],
    ['user_id', { user_id: 'gone' }],
  ];
  return fc
    .tuple(badItem(EVENT_FIELDS, VALID_EVENT, true, impossible), fc.nat({ max: 4 }), fc.nat({ max: 4 }), fc.boolean())
    .map(([bad, before, after, partial]) => {
      // Without partial the bad event sits among valid new ones (which must not be stored either).
      const valid = (k: number) => ({ ...VALID_EVENT, id: `fz-${k}` });
      const n = partial ? 0 : before;
      const events = [
        ...Array.from({ length: n }, (_, k) => valid(k)),
        bad.item,
        ...(partial ? [] : Array.from({ length: after }, (_, k) => valid(n + 1 + k))),
      ];
      const field = bad.kind === 'unknown_field' ? bad.field : `events[${n}].${bad.field}`;
      return {
        path: `/api/v1/ingest/events${partial ? '?partial=true' : ''}`,
        body: render({ events }, bad.raw),
        field,
        partial,
        kind: bad.kind,
      };
    });
}

function entityCase(): fc.Arbitrary<Case> {
  return fc.constantFrom(...ENTITY_ROUTES).chain((r) =>
    fc.tuple(badItem(r.fields, r.valid, true, r.impossible), fc.boolean(), fc.nat({ max: 2 })).map(([bad, batched, others]) => {
      if (!batched) return { path: `/api/v1/ingest/${r.route}`, body: render(bad.item, bad.raw), field: bad.field, kind: bad.kind };
      const items = [...Array.from({ length: others }, (_, k) => ({ ...r.valid, id: `fz-${k}` })), bad.item];
      const field = bad.kind === 'unknown_field' ? bad.field : `items[${others}].${bad.field}`;
      return { path: `/api/v1/ingest/${r.route}`, body: render({ items }, bad.raw), field, kind: bad.kind };
    }),
  );
}

const RANGE = { from: '2026-05-01T00:00:00Z', to: '2026-06-01T00:00:00Z' };
const FILTER_FIELDS: Field[] = [
  { name: 'filters.plan', kind: 'keys' },
  { name: 'filters.segment', kind: 'keys' },
  { name: 'filters.channel', kind: 'keys' },
];
const TIME_RANGE_FIELDS: Field[] = [
  { name: 'from', kind: 'time' },
  { name: 'to', kind: 'time' },
];
/** A valid body and its fields, per query type; a type not listed here gets its time range fuzzed. */
const QUERY_TEMPLATES: Record<string, { valid: Record<string, unknown>; fields: Field[] }> = {
  funnel: {
    valid: { ...RANGE, steps: ['a', 'b'], windowDays: 7 },
    fields: [...TIME_RANGE_FIELDS, { name: 'steps', kind: 'keys' }, { name: 'windowDays', kind: 'number' }, ...FILTER_FIELDS],
  },
  retention: {
    valid: { ...RANGE, periods: 4, returnEvent: 'x' },
    fields: [...TIME_RANGE_FIELDS, { name: 'periods', kind: 'int' }, { name: 'returnEvent', kind: 'key' }, ...FILTER_FIELDS],
  },
  feature_adoption: {
    valid: { ...RANGE, features: ['a'], plans: ['pro'], top: 5 },
    fields: [...TIME_RANGE_FIELDS, { name: 'features', kind: 'keys' }, { name: 'plans', kind: 'keys' }, { name: 'top', kind: 'int' }],
  },
  experiment: {
    valid: { experiment: 'x1', control: 'control' },
    fields: [
      { name: 'experiment', kind: 'key' },
      { name: 'control', kind: 'key' },
    ],
  },
  tenant_health: {
    valid: { limit: 10, offset: 0 },
    fields: [{ name: 'limit', kind: 'int' }, { name: 'offset', kind: 'int' }, ...FILTER_FIELDS],
  },
  variables: { valid: { of: 'plans' }, fields: [{ name: 'of', kind: 'enum' }] },
  dr_status: { valid: {}, fields: [] },
  new_tenants: {
    valid: { days: 30, limit: 10 },
    fields: [{ name: 'days', kind: 'int' }, { name: 'limit', kind: 'int' }, ...FILTER_FIELDS],
  },
  high_value_tenants: { valid: { limit: 10 }, fields: [{ name: 'limit', kind: 'int' }, ...FILTER_FIELDS] },
  churned_tenants: { valid: { ...RANGE, limit: 10 }, fields: [...TIME_RANGE_FIELDS, { name: 'limit', kind: 'int' }, ...FILTER_FIELDS] },
  plan_changes: { valid: { ...RANGE, limit: 10 }, fields: [...TIME_RANGE_FIELDS, { name: 'limit', kind: 'int' }, ...FILTER_FIELDS] },
  lifecycle_funnel: {
    valid: { ...RANGE, retainedDays: 90 },
    fields: [...TIME_RANGE_FIELDS, { name: 'retainedDays', kind: 'int' }, ...FILTER_FIELDS],
  },
  revenue_breakdown: { valid: { by: 'plan' }, fields: [{ name: 'by', kind: 'enum' }, ...FILTER_FIELDS] },
  retention_days: { valid: { ...RANGE, offsets: [30] }, fields: [...TIME_RANGE_FIELDS, ...FILTER_FIELDS] },
  power_users: { valid: { share: 10 }, fields: [{ name: 'share', kind: 'number' }, ...FILTER_FIELDS] },
  feature_impact: {
    valid: { ...RANGE, features: ['a'], retentionDay: 30 },
    fields: [...TIME_RANGE_FIELDS, { name: 'features', kind: 'keys' }, { name: 'retentionDay', kind: 'int' }, ...FILTER_FIELDS],
  },
  mrr_forecast: { valid: { months: 12 }, fields: [{ name: 'months', kind: 'int' }] },
  tenant_health_history: {
    valid: { ...RANGE, interval: 'week', filters: { tenant: ['t1'] } },
    fields: [...TIME_RANGE_FIELDS, { name: 'interval', kind: 'enum' }, { name: 'filters.tenant', kind: 'keys' }],
  },
  churn_risk: {
    valid: { limit: 10, offset: 0 },
    fields: [{ name: 'limit', kind: 'int' }, { name: 'offset', kind: 'int' }, ...FILTER_FIELDS],
  },
};

/** Sets a dotted field (filters.plan) on a copy. */
function setPath(obj: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  if (rest.length === 0) return { ...obj, [head]: value };
  return { ...obj, [head]: setPath((obj[head] as Record<string, unknown>) ?? {}, rest.join('.'), value) };
}

function queryCase(): fc.Arbitrary<Case> {
  return fc.constantFrom(...QUERY_TYPES.map((q) => q.type as string)).chain((type) => {
    const t = QUERY_TEMPLATES[type] ?? { valid: RANGE, fields: TIME_RANGE_FIELDS };
    const valid = { type, ...t.valid };
    type Made = { body: Record<string, unknown>; raw?: string; field: string; kind: string };
    const options: Array<fc.WeightedArbitrary<Made>> = [
      {
        weight: 1,
        arbitrary: fc.constantFrom('zzz', 'tenant', 'from_').map((k) => ({ body: { ...valid, [k]: 1 }, field: k, kind: 'unknown_field' })),
      },
    ];
    if (t.fields.length > 0) {
      options.push({
        weight: 8,
        arbitrary: fc.constantFrom(...t.fields).chain((f) =>
          // null is no valid value of any query field (optional means absent)
          badValue({ ...f, nullable: false }, false).map((b) => ({
            body: setPath(valid, f.name, b.raw !== undefined ? PLACEHOLDER : b.value),
            raw: b.raw,
            field: f.name,
            kind: b.kind,
          })),
        ),
      });
    }
    if ('from' in valid) {
      options.push({
        weight: 1,
        arbitrary: fc
          .constantFrom('2026-04-30T23:59:59.999999Z', '2026-05-01T00:00:00Z', '2020-01-01T00:00:00Z')
          .map((to) => ({ body: { ...valid, to }, field: 'to', kind: 'end_before_start' })),
      });
    }
    return fc.oneof(...options).map((b) => ({ path: '/api/v1/query', body: render(b.body, b.raw), field: b.field, kind: b.kind }));
  });
}

/** Bodies that are not JSON, not UTF-8, or not the expected shape at all. */
function rawCase(): fc.Arbitrary<Case> {
  const path = fc.constantFrom(
    '/api/v1/query',
    '/api/v1/ingest/events',
    '/api/v1/ingest/events?partial=true',
    ...ENTITY_ROUTES.map((r) => `/api/v1/ingest/${r.route}`),
  );
  const invalidUtf8 = fc
    .tuple(
      fc.constantFrom(...[[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf], [0xe2, 0x82]]),
      fc.nat({ max: 60 }),
    )
    .map(([bytes, at]) => {
      const text = Buffer.from(render({ events: [{ ...VALID_EVENT, id: 'fz-utf8' }] }));
      const i = Math.min(at + 12, text.length - 3);
      return new Uint8Array(Buffer.concat([text.subarray(0, i), Buffer.from(bytes), text.subarray(i)]));
    });
  const body = fc.oneof(
    fc.uint8Array({ minLength: 0, maxLength: 300 }).map((b) => ({ body: b as string | Uint8Array, kind: 'random_bytes' })),
    invalidUtf8.map((b) => ({ body: b as string | Uint8Array, kind: 'invalid_utf8' })),
    fc
      .nat({ max: render({ events: [VALID_EVENT] }).length - 1 })
      .map((n) => ({ body: render({ events: [VALID_EVENT] }).slice(0, n), kind: 'truncated' })),
    fc
      .constantFrom('null', '[]', '"x"', '1', '{}', '{"events":{}}', '{"items":[]}', '{"type":null}', '{"events":[]}')
      .map((b) => ({ body: b, kind: 'wrong_shape' })),
  );
  return fc.tuple(path, body).map(([p, b]) => ({ path: p, body: b.body, kind: b.kind }));
}

const anyCase: fc.Arbitrary<Case> = fc.oneof(
  { weight: 4, arbitrary: eventsCase() },
  { weight: 4, arbitrary: entityCase() },
  { weight: 3, arbitrary: queryCase() },
  { weight: 1, arbitrary: rawCase() },
);

// node:http with a keep-alive agent: client and server share this process, and fetch costs more per call.
const agent = new Agent({ keepAlive: true, maxSockets: REQUESTS_PER_RUN });
function send(c: Case): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const body = typeof c.body === 'string' ? Buffer.from(c.body) : Buffer.from(c.body);
    const req = request(
      `${svc.url}${c.path}`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': body.length, authorization: `Bearer ${TEST_TOKENS.admin}` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** md5 of every row of every table of the schema (partitioned tables read through their parent). */
async function checksums(): Promise<Record<string, string>> {
  const tables = (
    await db.pool.query<{ t: string }>(
      `SELECT c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`,
    )
  ).rows.map((r) => r.t);
  const out: Record<string, string> = {};
  for (const t of tables) {
    const r = await db.pool.query(`SELECT count(*) AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM ${t} x`);
    out[t] = `${r.rows[0].n}:${r.rows[0].h}`;
  }
  return out;
}

beforeAll(async () => {
  db = await createTestSchema('fuzz');
  await db.insert('tenants', [{ id: 't1', name: 'Acme', plan: 'starter', created_at: '2026-01-01T00:00:00Z' }]);
  await db.insert('users', [
    { id: 'u1', tenant_id: 't1', email: 'a@example.com', created_at: '2026-06-01T00:00:00Z' },
    { id: 'gone', tenant_id: 't1', email: 'g@example.com', created_at: '2026-06-01T00:00:00Z' },
  ]);
  await db.insert('subscriptions', [
    {
      id: 's1',
      tenant_id: 't1',
      plan: 'starter',
      status: 'active',
      amount: '49.00',
      interval_months: 1,
      valid_from: '2026-01-01T00:00:00Z',
    },
  ]);
  await db.insert('experiments', [{ id: 'x1', name: 'X', success_event: 'report.exported', status: 'running' }]);
  svc = await startTestService(
    db,
    {
      api: { rateLimit: { requestsPerSecond: 1_000_000, burst: 1_000_000 }, maxBodyBytes: 200_000 },
      rollups: { compactIntervalSeconds: 0 },
    },
    () => NOW,
  );
  // The rows the fuzzed requests aim at: a refused request must leave each exactly as it is.
  const seed = async (path: string, body: unknown) =>
    expect(
      (
        await fetch(`${svc.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKENS.admin}` },
          body: JSON.stringify(body),
        })
      ).status,
    ).toBe(200);
  await seed('/api/v1/ingest/events', { events: [VALID_EVENT] });
  for (const r of ENTITY_ROUTES) await seed(`/api/v1/ingest/${r.route}`, r.valid);
  await eraseUser(db.pool, 'gone', NOW);
});
afterAll(async () => {
  agent.destroy();
  await svc.close();
  await db.close();
});

it('refuses every bad request with a 4xx naming the field, never a 5xx, and changes no stored row', async () => {
  const before = await checksums();
  const tally = {
    requests: 0,
    s4xx: 0,
    s5xx: 0,
    partialAllRejected: 0,
    byKind: {} as Record<string, number>,
    byStatus: {} as Record<number, number>,
  };
  const started = Date.now();
  // fc.check, not fc.assert: the report is the failing request, not the whole run of ten large bodies
  const run = await fc.check(
    fc.asyncProperty(fc.array(anyCase, { minLength: REQUESTS_PER_RUN, maxLength: REQUESTS_PER_RUN }), async (cases) => {
      const answers = await Promise.all(cases.map(send));
      answers.forEach((res, i) => {
        const c = cases[i] as Case;
        tally.requests++;
        tally.byKind[c.kind] = (tally.byKind[c.kind] ?? 0) + 1;
        tally.byStatus[res.status] = (tally.byStatus[res.status] ?? 0) + 1;
        if (res.status >= 500) tally.s5xx++;
        const fail = (why: string) => {
          const body = typeof c.body === 'string' ? c.body.slice(0, 300) : `bytes ${Buffer.from(c.body).toString('hex').slice(0, 200)}`;
          throw new Error(`${why}: ${c.kind} ${c.path} (field ${c.field}) ${body} -> ${res.status} ${res.body.slice(0, 400)}`);
        };
        let parsed: { error?: unknown; results?: Array<{ status: string; error?: string }> };
        try {
          parsed = JSON.parse(res.body) as typeof parsed;
        } catch {
          return fail('answer is not JSON');
        }
        if (c.partial && res.status === 200) {
          // partial acceptance: nothing stored, every item rejected, each naming its field
          tally.partialAllRejected++;
          if (!parsed.results?.every((r) => r.status === 'rejected' && r.error?.includes(c.field as string)))
            fail('partial answer stored or did not name the field');
          return;
        }
        if (res.status < 400 || res.status >= 500) return fail('not a 4xx');
        tally.s4xx++;
        if (typeof parsed.error !== 'string') return fail('no error message');
        if (
          c.field
            ? !parsed.error.includes(c.field)
            : !/^(batch refused whole \(nothing stored\): )?[A-Za-z_][\w.[\]]*: \S/.test(parsed.error)
        )
          fail('message does not name the field');
      });
    }),
    { numRuns: RUNS, seed: 20261204, endOnFailure: true },
  );
  if (run.failed)
    throw new Error(
      `after ${tally.requests} requests (seed ${run.seed}): ${(run.errorInstance as Error)?.message ?? String(run.errorInstance)}`,
    );
  const seconds = (Date.now() - started) / 1000;
  expect(await checksums()).toEqual(before);
  expect(tally.requests).toBe(RUNS * REQUESTS_PER_RUN);
  expect(tally.s5xx).toBe(0);
  // The counts quoted in docs/security.md; printed for the record.
  console.log(
    `fuzz: ${tally.requests} requests in ${seconds.toFixed(1)} s: ${tally.s4xx} 4xx, ${tally.partialAllRejected} partial 200 with every item rejected, ${tally.s5xx} 5xx; by status ${JSON.stringify(tally.byStatus)}; by class ${JSON.stringify(tally.byKind)}`,
  );
}, 400_000); // ~60-90 s on an idle 2-core machine; generous for a shared one
