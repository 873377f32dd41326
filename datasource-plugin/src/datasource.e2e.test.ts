/**
 * jsdom because @grafana/data needs a window; node export conditions because the exporter's
 * own dependencies (yaml, pg) must load their Node builds, not their browser ones.
 * @jest-environment-options {"customExportConditions": ["node", "require", "default"]}
 */
import { dateTime, DataQueryRequest, DataSourceInstanceSettings, FieldType } from '@grafana/data';
import { lastValueFrom } from 'rxjs';
import { createTestSchema, TestSchema } from '../../exporter/src/testing/db';
import { startTestService } from '../../exporter/src/testing/service';
import { TEST_TOKENS } from '../../exporter/src/testing/tokens';
import { RunningService } from '../../exporter/src/service';
import { annotationEvents } from './annotations';
import { DataSource } from './datasource';
import { grafanaProxyBackendSrv } from './testing/grafanaProxy';
import { SaasmonOptions, SaasmonQuery } from './types';
import { SaasmonVariableSupport } from './variables';

// The datasource against the real exporter API on a real Postgres, through an emulation of
// Grafana's data-source proxy that applies the plugin.json routes. Only Grafana is stood in for.

const PROXY_URL = '/api/datasources/proxy/uid/saasmon-analytics';
let proxy: ReturnType<typeof grafanaProxyBackendSrv>;
const templateVars: Record<string, string[]> = { plan: ['starter'] };

jest.mock('@grafana/runtime', () => ({
  getBackendSrv: () => proxy,
  isFetchError: (e: unknown) => typeof e === 'object' && e !== null && 'status' in e,
  getTemplateSrv: () => ({
    getVariables: () => [],
    replace: (value: string, _vars: unknown, format?: (v: string | string[]) => string) =>
      value.replace(/\$(\w+)/g, (m, name: string) => {
        const v = templateVars[name];
        return v === undefined ? m : format ? format(v) : v.join(',');
      }),
  }),
}));

let db: TestSchema;
let svc: RunningService;
const NOW = new Date('2026-06-30T00:00:00Z');

function datasource(token: string = TEST_TOKENS.query, url?: string) {
  proxy = grafanaProxyBackendSrv(PROXY_URL, { url: url ?? svc.url }, { apiToken: token });
  return new DataSource({ url: PROXY_URL, jsonData: {} } as DataSourceInstanceSettings<SaasmonOptions>);
}

function request(targets: SaasmonQuery[], filters?: DataQueryRequest['filters']): DataQueryRequest<SaasmonQuery> {
  return {
    filters,
    requestId: 'r1',
    interval: '1h',
    intervalMs: 3_600_000,
    range: { from: dateTime('2026-06-01T00:00:00Z'), to: dateTime('2026-06-15T00:00:00Z'), raw: { from: 'now-14d', to: 'now' } },
    scopedVars: {},
    targets,
    timezone: 'utc',
    app: 'dashboard',
    startTime: 0,
  };
}

beforeAll(async () => {
  db = await createTestSchema('dsplugin');
  svc = await startTestService(db, {}, () => NOW);
  await db.insert('tenants', [
    { id: 'ta', name: 'A', plan: 'starter', created_at: '2026-01-01T00:00:00Z' },
    { id: 'tb', name: 'B', plan: 'business', created_at: '2026-01-01T00:00:00Z' },
  ]);
  await db.insert('users', [
    { id: 'u1', tenant_id: 'ta', created_at: '2026-05-01T00:00:00Z' },
    { id: 'u2', tenant_id: 'tb', created_at: '2026-05-01T00:00:00Z' },
  ]);
  await db.insert('events', [
    { id: 'e1', tenant_id: 'ta', user_id: 'u1', name: 'signup', occurred_at: '2026-06-02T00:00:00Z' },
    { id: 'e2', tenant_id: 'ta', user_id: 'u1', name: 'project.created', occurred_at: '2026-06-02T01:00:00Z' },
    { id: 'e3', tenant_id: 'tb', user_id: 'u2', name: 'signup', occurred_at: '2026-06-03T00:00:00Z' },
  ]);
});
afterAll(async () => {
  await svc?.close();
  await db?.close();
});

it('returns typed data frames with the refId, through the plugin routes', async () => {
  const res = await datasource().query(request([{ refId: 'F', queryType: 'funnel', steps: ['signup', 'project.created'] }]));
  expect(res.data).toHaveLength(1);
  const frame = res.data[0];
  expect(frame.refId).toBe('F');
  expect(frame.fields.map((f: { name: string; type: FieldType }) => [f.name, f.type])).toEqual([
    ['step', FieldType.number],
    ['event', FieldType.string],
    ['users', FieldType.number],
    ['conversion_from_start', FieldType.number],
    ['conversion_from_previous', FieldType.number],
    ['median_seconds_from_previous', FieldType.number],
  ]);
  expect(frame.fields[2].values).toEqual([2, 1]);
  expect(frame.fields[3].config.unit).toBe('percentunit');
});

it('interpolates a multi-value template variable into the filters', async () => {
  const res = await datasource().query(
    request([{ refId: 'F', queryType: 'funnel', steps: ['signup', 'project.created'], plans: ['$plan'] }]),
  );
  expect(res.data[0].fields[2].values).toEqual([1, 1]);
});

it('runs several targets and skips hidden or incomplete ones', async () => {
  const res = await datasource().query(
    request([
      { refId: 'A', queryType: 'nps' },
      { refId: 'B', queryType: 'funnel', steps: ['signup'] },
      { refId: 'C', queryType: 'nps', hide: true },
    ]),
  );
  expect(res.data.map((f: { refId?: string }) => f.refId)).toEqual(['A']);
});

it('fills template variables with metricFindQuery', async () => {
  expect(await datasource().metricFindQuery({ of: 'plans' })).toEqual([
    { text: 'business', value: 'business' },
    { text: 'starter', value: 'starter' },
  ]);
});

it('tests the data source: success, wrong token, unreachable exporter', async () => {
  expect(await datasource().testDatasource()).toEqual(expect.objectContaining({ status: 'success' }));
  const wrong = await datasource('wrong-token-wrong-token').testDatasource();
  expect(wrong.status).toBe('error');
  expect(wrong.message).toMatch(/refused the API token \(401\)/);
  const ingestOnly = await datasource(TEST_TOKENS.ingest).testDatasource();
  expect(ingestOnly.message).toMatch(/"query" scope \(403\)/);
  const unreachable = await datasource(TEST_TOKENS.query, 'http://127.0.0.1:1').testDatasource();
  expect(unreachable.message).toMatch(/cannot reach the exporter \(502\)/);
});

it('explains a bad query with the exporter message', async () => {
  await expect(datasource().query(request([{ refId: 'X', queryType: 'experiment', experiment: 'nope' }]))).rejects.toThrow(
    /no experiment with id "nope"/,
  );
});

it('gets an answer from the API for every query type the editor offers, with its editor fields set', async () => {
  await db.insert('experiments', [{ id: 'x1', name: 'X', success_event: 'project.created', status: 'running' }]);
  const targets: SaasmonQuery[] = [
    {
      refId: 'retention',
      queryType: 'retention',
      interval: 'week',
      periods: 4,
      retentionMode: 'on_or_after',
      returnEvent: 'signup',
      plans: ['$plan'],
    },
    { refId: 'funnel', queryType: 'funnel', steps: ['signup', 'project.created'], windowDays: 7, breakdown: 'plan' },
    { refId: 'mrr_movements', queryType: 'mrr_movements', interval: 'week' },
    { refId: 'revenue_by_plan', queryType: 'revenue_by_plan', interval: 'day' },
    { refId: 'churn_by_reason', queryType: 'churn_by_reason', interval: 'month' },
    { refId: 'cac_by_channel', queryType: 'cac_by_channel' },
    { refId: 'feature_adoption', queryType: 'feature_adoption', plans: ['starter'] },
    { refId: 'tenant_health', queryType: 'tenant_health', page: 2, pageSize: 1, plans: ['starter', 'business'] },
    { refId: 'active_users', queryType: 'active_users' },
    { refId: 'nps', queryType: 'nps', interval: 'week' },
    { refId: 'experiment', queryType: 'experiment', experiment: 'x1', control: 'control' },
    { refId: 'dr_status', queryType: 'dr_status' },
  ];
  const res = await datasource().query(request(targets));
  expect(res.data.map((f) => f.refId).sort()).toEqual(targets.map((t) => t.refId).sort());
  // Page 2 of size 1 over the two tenants: the second-lowest score only.
  const health = res.data.find((f) => f.refId === 'tenant_health');
  expect(health?.length).toBe(1);
});

it('applies the dashboard ad hoc filters (from the request) to the funnel, with tag keys and values from the exporter', async () => {
  const ds = datasource();
  expect(await ds.getTagKeys()).toEqual([{ text: 'plan' }, { text: 'segment' }, { text: 'channel' }]);
  expect(await ds.getTagValues({ key: 'plan', filters: [] })).toEqual([
    { text: 'business', value: 'business' },
    { text: 'starter', value: 'starter' },
  ]);
  const res = await ds.query(
    request(
      [{ refId: 'F', queryType: 'funnel', steps: ['signup', 'project.created'] }],
      [{ key: 'plan', operator: '=', value: 'business' }],
    ),
  );
  // Only tenant B: its user signed up and never created a project.
  expect(res.data[0].fields[2].values).toEqual([1, 0]);
});

it('fills a template variable through the custom variable support', async () => {
  const ds = datasource();
  const res = await lastValueFrom(
    (ds.variables as SaasmonVariableSupport).query({ ...request([]), targets: [{ refId: 'V', of: 'plans' }] } as never),
  );
  expect(res.data[0].fields.map((f: { name: string; values: unknown[] }) => [f.name, f.values])).toEqual([
    ['text', ['business', 'starter']],
    ['value', ['business', 'starter']],
  ]);
});

it('shows releases and incidents as annotation markers and regions', async () => {
  await db.insert('releases', [{ id: 'r1', version: 'v2.0.0', kind: 'major', deployed_at: '2026-06-05T10:00:00Z' }]);
  await db.insert('incidents', [
    {
      id: 'i1',
      title: 'Checkout errors',
      severity: 'critical',
      status: 'resolved',
      services: '{api}',
      started_at: '2026-06-07T10:00:00Z',
      resolved_at: '2026-06-07T11:30:00Z',
    },
  ]);
  const ds = datasource();
  const support = ds.annotations!;
  const anno = support.prepareAnnotation!({
    name: 'Releases and incidents',
    enable: true,
    iconColor: 'red',
    target: { refId: 'Anno', kinds: ['release', 'incident'] },
  });
  const res = await ds.query(request([support.prepareQuery!(anno)!]));
  const events = await lastValueFrom(support.processEvents!(anno, res.data));
  expect(events).toEqual(annotationEvents(res.data));
  expect(events).toEqual([
    {
      time: Date.parse('2026-06-07T10:00:00Z'),
      timeEnd: Date.parse('2026-06-07T11:30:00Z'),
      isRegion: true,
      title: 'Incident: Checkout errors',
      text: 'critical incident, resolved: Checkout errors; services: api',
      tags: ['incident', 'critical', 'api'],
    },
    {
      time: Date.parse('2026-06-05T10:00:00Z'),
      isRegion: false,
      title: 'Release v2.0.0',
      text: 'v2.0.0 (major) deployed',
      tags: ['release', 'major'],
    },
  ]);
});
