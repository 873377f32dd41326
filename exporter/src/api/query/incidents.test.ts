import { createTestSchema, TestSchema } from '../../testing/db';
import { postJson, startTestService } from '../../testing/service';
import { RunningService } from '../../service';

const T = new Date('2026-06-15T12:00:00Z');
type Frame = { name: string; fields: Array<{ name: string; values: unknown[]; config?: { unit?: string } }> };
const col = (f: Frame | undefined, n: string) => f?.fields.find((x) => x.name === n)?.values;

const inc = (id: string, services: string[], started: string, resolved: string | null, severity = 'major') => ({
  id,
  title: `incident ${id}`,
  severity,
  status: resolved ? 'resolved' : 'investigating',
  services: `{${services.join(',')}}`,
  started_at: started,
  resolved_at: resolved,
});

// The range [2026-06-10, 2026-06-15); by hand, the incidents overlapping it, newest first:
//   d open since 06-14 23:00 (web): duration null
//   c 06-12 08:00 to 08:45 (api, db): 2700 s
//   f 06-09 23:00 to 06-10 00:00 (api): ends exactly at `from`, 3600 s
//   b 06-09 22:00 to 06-10 01:30 (db): 12600 s
//   h open since 06-01 (api): still open, duration null
// and not: a (ended 06-01), e (starts after `to`), g (starts exactly at `to`).
const FROM = '2026-06-10T00:00:00Z';
const TO = '2026-06-15T00:00:00Z';

describe('incidents over a fixture', () => {
  let db: TestSchema;
  let svc: RunningService;
  const query = (body: Record<string, unknown> = {}) =>
    postJson(`${svc.url}/api/v1/query`, { type: 'incidents', from: FROM, to: TO, ...body });
  const frame = async (body: Record<string, unknown> = {}) => {
    const res = await query(body);
    expect(res.status).toBe(200);
    return (res.body.frames as Frame[])[0];
  };

  beforeAll(async () => {
    db = await createTestSchema('incidents_query');
    svc = await startTestService(db, {}, () => T);
    await db.insert('incidents', [
      inc('a', ['api'], '2026-06-01T10:00:00Z', '2026-06-01T11:00:00Z'),
      inc('b', ['db'], '2026-06-09T22:00:00Z', '2026-06-10T01:30:00Z', 'critical'),
      inc('c', ['api', 'db'], '2026-06-12T08:00:00Z', '2026-06-12T08:45:00Z', 'minor'),
      inc('d', ['web'], '2026-06-14T23:00:00Z', null, 'critical'),
      inc('e', ['web'], '2026-06-15T02:00:00Z', null),
      inc('f', ['api'], '2026-06-09T23:00:00Z', '2026-06-10T00:00:00Z'),
      inc('g', ['api'], '2026-06-15T00:00:00Z', '2026-06-15T01:00:00Z'),
      inc('h', ['api'], '2026-06-01T00:00:00Z', null),
    ]);
  });
  afterAll(async () => {
    await svc.close();
    await db.close();
  });

  it('lists the incidents overlapping the range, newest first, open ones without a duration', async () => {
    const f = await frame();
    expect(f?.name).toBe('incidents');
    expect(f?.fields.map((x) => x.name)).toEqual([
      'started_at',
      'resolved_at',
      'id',
      'title',
      'severity',
      'status',
      'services',
      'duration_seconds',
    ]);
    expect(col(f, 'id')).toEqual(['d', 'c', 'f', 'b', 'h']);
    expect(col(f, 'started_at')).toEqual(
      ['2026-06-14T23:00:00Z', '2026-06-12T08:00:00Z', '2026-06-09T23:00:00Z', '2026-06-09T22:00:00Z', '2026-06-01T00:00:00Z'].map(
        Date.parse,
      ),
    );
    expect(col(f, 'resolved_at')).toEqual([
      null,
      Date.parse('2026-06-12T08:45:00Z'),
      Date.parse(FROM),
      Date.parse('2026-06-10T01:30:00Z'),
      null,
    ]);
    expect(col(f, 'duration_seconds')).toEqual([null, 2700, 3600, 12600, null]);
    expect(f?.fields.find((x) => x.name === 'duration_seconds')?.config?.unit).toBe('s');
    expect(col(f, 'services')).toEqual(['web', 'api, db', 'api', 'db', 'api']);
    expect(col(f, 'severity')).toEqual(['critical', 'minor', 'major', 'critical', 'major']);
    expect(col(f, 'status')).toEqual(['investigating', 'resolved', 'resolved', 'resolved', 'investigating']);
    expect(col(f, 'title')).toEqual(['incident d', 'incident c', 'incident f', 'incident b', 'incident h']);
  });

  it('keeps the incidents sharing a service with the filter, and at most `limit`', async () => {
    expect(col(await frame({ service: ['db'] }), 'id')).toEqual(['c', 'b']);
    expect(col(await frame({ service: ['web', 'db'] }), 'id')).toEqual(['d', 'c', 'b']);
    expect(col(await frame({ service: [] }), 'id')).toEqual(['d', 'c', 'f', 'b', 'h']);
    expect(col(await frame({ limit: 2 }), 'id')).toEqual(['d', 'c']);
  });

  it('answers an empty table when nothing overlaps the range', async () => {
    const f = await frame({ from: '2025-01-01T00:00:00Z', to: '2025-02-01T00:00:00Z' });
    expect(f?.fields.map((x) => [x.name, x.values.length])).toEqual(
      ['started_at', 'resolved_at', 'id', 'title', 'severity', 'status', 'services', 'duration_seconds'].map((n) => [n, 0]),
    );
    expect(col(await frame({ service: ['billing'] }), 'id')).toEqual([]);
  });

  it('refuses a bad limit, an unknown field and a reversed range, naming the field', async () => {
    for (const [body, field] of [
      [{ limit: 0 }, 'limit'],
      [{ limit: 1001 }, 'limit'],
      [{ severity: 'major' }, 'severity'],
      [{ from: TO, to: FROM }, 'to'],
    ] as const) {
      const res = await query(body);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain(field);
    }
  });
});
