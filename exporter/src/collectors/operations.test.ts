import { operationsCollector } from './operations';
import { collectLines } from '../testing/collect';
import { createTestSchema, TestSchema } from '../testing/db';

const T = new Date('2026-06-15T12:00:00Z');
let db: TestSchema;

beforeAll(async () => {
  db = await createTestSchema('ops');
});
afterAll(() => db.close());

it('reports zeroes and leaves MTTR and last release absent on an empty database', async () => {
  expect(await collectLines(operationsCollector, db.config(), T)).toEqual([
    'saasmon_incidents_open{severity="critical"} 0',
    'saasmon_incidents_open{severity="major"} 0',
    'saasmon_incidents_open{severity="minor"} 0',
    'saasmon_rollbacks_30d 0',
  ]);
});

it('counts open incidents, MTTR over (T-30d, T] and rollbacks in 30 days', async () => {
  await db.insert('incidents', [
    // resolved 2 h and 4 h after start, inside the window: MTTR = 3 h = 10800 s
    {
      id: 'i1',
      title: 'a',
      severity: 'major',
      status: 'resolved',
      started_at: '2026-06-01T00:00:00Z',
      resolved_at: '2026-06-01T02:00:00Z',
    },
    {
      id: 'i2',
      title: 'b',
      severity: 'minor',
      status: 'resolved',
      started_at: '2026-06-10T00:00:00Z',
      resolved_at: '2026-06-10T04:00:00Z',
    },
    // resolved exactly at T-30d: outside the half-open window
    {
      id: 'i3',
      title: 'c',
      severity: 'minor',
      status: 'resolved',
      started_at: '2026-05-15T00:00:00Z',
      resolved_at: '2026-05-16T12:00:00Z',
    },
    { id: 'i4', title: 'd', severity: 'critical', status: 'investigating', started_at: '2026-06-15T11:00:00Z', resolved_at: null },
  ]);
  await db.insert('releases', [
    { id: 'r1', version: '1.0.0', kind: 'minor', deployed_at: '2026-06-01T00:00:00Z', rolled_back_at: '2026-06-01T01:00:00Z' },
    { id: 'r2', version: '1.0.1', kind: 'patch', deployed_at: '2026-06-14T00:00:00Z', rolled_back_at: null },
    { id: 'r3', version: '0.9.0', kind: 'minor', deployed_at: '2026-05-01T00:00:00Z', rolled_back_at: '2026-05-02T00:00:00Z' },
  ]);
  expect(await collectLines(operationsCollector, db.config(), T)).toEqual([
    'saasmon_incident_mttr_30d_seconds 10800',
    'saasmon_incidents_open{severity="critical"} 1',
    'saasmon_incidents_open{severity="major"} 0',
    'saasmon_incidents_open{severity="minor"} 0',
    `saasmon_release_last_timestamp_seconds ${Date.parse('2026-06-14T00:00:00Z') / 1000}`,
    'saasmon_rollbacks_30d 1',
  ]);
});
