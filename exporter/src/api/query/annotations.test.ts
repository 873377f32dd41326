import { createTestSchema, TestSchema } from '../../testing/db';
import { postJson, startTestService } from '../../testing/service';
import { RunningService } from '../../service';
import { humanDuration } from './annotations';

type Frame = {
  fields: Array<{ name: string; type: string; values: unknown[] }>;
  meta?: { notices?: Array<{ severity: string; text: string }> };
};
const col = (f: Frame | undefined, n: string) => f?.fields.find((x) => x.name === n)?.values;
const ms = (s: string) => Date.parse(s);

// The range of most tests: [June 1, June 15).
const FROM = '2026-06-01T00:00:00Z';
const TO = '2026-06-15T00:00:00Z';

describe('annotations over a fixture', () => {
  let db: TestSchema;
  let svc: RunningService;
  const query = (body: Record<string, unknown> = {}) =>
    postJson(`${svc.url}/api/v1/query`, { type: 'annotations', from: FROM, to: TO, ...body });
  const frameOf = async (body: Record<string, unknown> = {}) => {
    const res = await query(body);
    expect(res.status).toBe(200);
    return (res.body.frames as Frame[])[0];
  };

  beforeAll(async () => {
    db = await createTestSchema('annotations');
    svc = await startTestService(db, {}, () => new Date('2026-06-20T00:00:00Z'));
    await db.insert('releases', [
      { id: 'r0', version: 'v1.3.9', kind: 'minor', deployed_at: '2026-05-31T23:59:59Z' }, // before the range
      { id: 'r3', version: 'v1.4.0', kind: 'patch', deployed_at: FROM, rolled_back_at: '2026-06-01T02:00:00Z' }, // at from: in
      { id: 'r1', version: 'v1.4.2', kind: 'minor', deployed_at: '2026-06-05T10:00:00Z' },
      { id: 'r2', version: 'v1.4.3', kind: 'hotfix', deployed_at: TO }, // at to: out ([from, to))
    ]);
    await db.insert('incidents', [
      // resolved before the range: out
      {
        id: 'i0',
        title: 'Old outage',
        severity: 'major',
        status: 'resolved',
        started_at: '2026-05-20T00:00:00Z',
        resolved_at: '2026-05-31T23:00:00Z',
      },
      // started before the range, resolved inside it: in, from its real start
      {
        id: 'i2',
        title: 'Slow search',
        severity: 'major',
        status: 'resolved',
        services: '{search}',
        started_at: '2026-05-31T20:00:00Z',
        resolved_at: '2026-06-01T01:00:00Z',
      },
      {
        id: 'i3',
        title: 'Invoices late',
        severity: 'minor',
        status: 'resolved',
        services: '{billing}',
        started_at: '2026-06-10T00:00:00Z',
        resolved_at: '2026-06-10T01:00:00Z',
      },
      // still open: no end
      {
        id: 'i1',
        title: 'Checkout errors',
        severity: 'critical',
        status: 'investigating',
        services: '{api,db}',
        started_at: '2026-06-14T12:00:00Z',
      },
    ]);
    await db.insert('dr_tests', [
      {
        id: 'd1',
        kind: 'full_failover',
        tested_at: '2026-06-10T00:00:00Z',
        recovery_time_seconds: 5400,
        data_loss_seconds: 30,
        result: 'fail',
        notes: 'replica lagged',
      },
      {
        id: 'd0',
        kind: 'backup_restore',
        tested_at: '2026-05-01T00:00:00Z',
        recovery_time_seconds: 600,
        data_loss_seconds: 0,
        result: 'pass',
      },
    ]);
    await db.insert('experiments', [
      // running since before the range, still open: spans the from edge
      {
        id: 'x1',
        name: 'Onboarding checklist',
        hypothesis: 'A checklist lifts activation',
        success_event: 'activated',
        status: 'running',
        started_at: '2026-05-15T00:00:00Z',
      },
      // concluded after the range: spans the to edge
      {
        id: 'x2',
        name: 'Pricing page',
        success_event: 'paid',
        status: 'concluded',
        started_at: '2026-06-12T00:00:00Z',
        concluded_at: '2026-06-20T00:00:00Z',
        winner_variant: 'B',
      },
      { id: 'x3', name: 'Not started', success_event: 'paid', status: 'draft' },
      {
        id: 'x4',
        name: 'Long ago',
        success_event: 'paid',
        status: 'concluded',
        started_at: '2026-04-01T00:00:00Z',
        concluded_at: '2026-05-01T00:00:00Z',
      },
    ]);
    await db.insert('experiment_assignments', [
      { experiment_id: 'x1', user_id: 'u1', variant: 'control', assigned_at: '2026-05-15T01:00:00Z' },
      { experiment_id: 'x1', user_id: 'u2', variant: 'checklist', assigned_at: '2026-05-15T02:00:00Z' },
      { experiment_id: 'x1', user_id: 'u3', variant: 'control', assigned_at: '2026-05-16T02:00:00Z' },
    ]);
  });
  afterAll(async () => {
    await svc.close();
    await db.close();
  });

  it('answers every kind over the range, newest start first: instants in [from, to), spans overlapping it', async () => {
    const f = await frameOf();
    expect(f?.fields.map((x) => [x.name, x.type])).toEqual([
      ['time', 'time'],
      ['timeEnd', 'time'],
      ['title', 'string'],
      ['text', 'string'],
      ['tags', 'other'],
      ['kind', 'string'],
      ['id', 'string'],
    ]);
    // A tie at the same start (d1, i3 at June 10) goes by kind.
    expect(col(f, 'id')).toEqual(['i1', 'x2', 'd1', 'i3', 'r1', 'r3', 'i2', 'x1']);
    expect(col(f, 'kind')).toEqual(['incident', 'experiment', 'dr_test', 'incident', 'release', 'release', 'incident', 'experiment']);
    expect(col(f, 'time')).toEqual(
      [
        '2026-06-14T12:00:00Z',
        '2026-06-12T00:00:00Z',
        '2026-06-10T00:00:00Z',
        '2026-06-10T00:00:00Z',
        '2026-06-05T10:00:00Z',
        FROM,
        '2026-05-31T20:00:00Z',
        '2026-05-15T00:00:00Z',
      ].map(ms),
    );
    // Open spans have no end; instants end where they start; a span past `to` keeps its real end.
    expect(col(f, 'timeEnd')).toEqual([
      null,
      ms('2026-06-20T00:00:00Z'),
      ms('2026-06-10T00:00:00Z'),
      ms('2026-06-10T01:00:00Z'),
      ms('2026-06-05T10:00:00Z'),
      ms(FROM),
      ms('2026-06-01T01:00:00Z'),
      null,
    ]);
    expect(col(f, 'title')).toEqual([
      'Incident: Checkout errors',
      'Experiment: Pricing page',
      'DR test: full_failover fail',
      'Incident: Invoices late',
      'Release v1.4.2',
      'Release v1.4.0',
      'Incident: Slow search',
      'Experiment: Onboarding checklist',
    ]);
    expect(col(f, 'text')).toEqual([
      'critical incident, investigating (open): Checkout errors; services: api, db',
      'Pricing page (concluded); no assignments yet; winner: B',
      'full_failover fail: recovery time 1h 30m, data loss 30s; replica lagged',
      'minor incident, resolved: Invoices late; services: billing',
      'v1.4.2 (minor) deployed',
      'v1.4.0 (patch) deployed; rolled back at 2026-06-01T02:00:00Z',
      'major incident, resolved: Slow search; services: search',
      'Onboarding checklist (running, open); variants: checklist, control; hypothesis: A checklist lifts activation',
    ]);
    expect(col(f, 'tags')).toEqual([
      ['incident', 'critical', 'api', 'db'],
      ['experiment', 'concluded'],
      ['dr_test', 'full_failover', 'fail'],
      ['incident', 'minor', 'billing'],
      ['release', 'minor'],
      ['release', 'patch', 'rolled_back'],
      ['incident', 'major', 'search'],
      ['experiment', 'running'],
    ]);
    expect(f?.meta).toBeUndefined();
  });

  it('answers an empty range with the columns and no rows', async () => {
    const f = await frameOf({ from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' });
    expect(f?.fields.map((x) => x.name)).toEqual(['time', 'timeEnd', 'title', 'text', 'tags', 'kind', 'id']);
    expect(f?.fields.every((x) => x.values.length === 0)).toBe(true);
  });

  it('shows an open incident and an open experiment in any later range', async () => {
    const f = await frameOf({ from: '2026-07-01T00:00:00Z', to: '2026-07-02T00:00:00Z' });
    expect(col(f, 'id')).toEqual(['i1', 'x1']);
    expect(col(f, 'timeEnd')).toEqual([null, null]);
  });

  it('keeps the kinds asked for, and incidents of the services asked for (saying the filter applies to incidents only)', async () => {
    expect(col(await frameOf({ kinds: ['release'] }), 'id')).toEqual(['r1', 'r3']);
    const incidents = await frameOf({ kinds: ['incident'], services: ['billing', 'db'] });
    expect(col(incidents, 'id')).toEqual(['i1', 'i3']);
    expect(incidents?.meta).toBeUndefined();
    const mixed = await frameOf({ kinds: ['incident', 'release'], services: ['search'] });
    expect(col(mixed, 'id')).toEqual(['r1', 'r3', 'i2']);
    expect(mixed?.meta?.notices).toEqual([{ severity: 'info', text: expect.stringMatching(/applies to incidents only/) }]);
  });

  it('keeps the newest `limit` and says it cut', async () => {
    const f = await frameOf({ limit: 2 });
    expect(col(f, 'id')).toEqual(['i1', 'x2']);
    expect(f?.meta?.notices).toEqual([{ severity: 'warning', text: 'More than 2 annotations in the range: the 2 newest are shown.' }]);
    expect((await frameOf({ limit: 8 }))?.meta).toBeUndefined();
  });

  it('refuses bad bodies with a 400 naming the field', async () => {
    for (const [body, field] of [
      [{ kinds: [] }, 'kinds'],
      [{ kinds: ['deploy'] }, 'kinds[0]'],
      [{ kinds: ['release', 'release'] }, 'kinds'],
      [{ services: [''] }, 'services[0]'],
      [{ to: FROM }, 'to'],
      [{ service: ['api'] }, 'service'],
    ] as const) {
      const res = await query(body);
      expect(res.status).toBe(400);
      expect(String(res.body.error)).toContain(field);
    }
  });
});

it('writes durations people read', () => {
  expect([0, 45, 60, 600, 5400, 3601, 86_400 + 7200, 3599].map(humanDuration)).toEqual([
    '0s',
    '45s',
    '1m',
    '10m',
    '1h 30m',
    '1h',
    '1d 2h',
    '59m 59s',
  ]);
});
