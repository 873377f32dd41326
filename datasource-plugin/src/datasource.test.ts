import { DataQueryRequest, DataSourceInstanceSettings, dateTime } from '@grafana/data';
import { of } from 'rxjs';
import { DataSource } from './datasource';
import { SaasmonOptions, SaasmonQuery } from './types';

// The datasource's wiring with Grafana stood in for: what it posts, and what it hands Grafana.
const posted: unknown[] = [];
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getTemplateSrv: () => ({ getVariables: () => [], replace: (s: string) => s }),
  getBackendSrv: () => ({
    fetch: (o: { data: unknown }) => {
      posted.push(o.data);
      return of({ data: { frames: [{ name: 'x', fields: [{ name: 'n', type: 'number', values: [1] }] }] } });
    },
  }),
}));

const ds = () => new DataSource({ url: '/proxy', jsonData: {}, name: 'saasmon' } as DataSourceInstanceSettings<SaasmonOptions>);
const request = (targets: SaasmonQuery[], filters?: DataQueryRequest['filters']) =>
  ({
    targets,
    filters,
    range: { from: dateTime('2026-06-01T00:00:00Z'), to: dateTime('2026-06-15T00:00:00Z'), raw: { from: 'now-14d', to: 'now' } },
    scopedVars: {},
  }) as unknown as DataQueryRequest<SaasmonQuery>;

beforeEach(() => (posted.length = 0));

it('offers plan, segment and channel as ad hoc keys, their values from the exporter lists', async () => {
  const d = ds();
  d.fetchValues = jest.fn(async (kind: string) => [{ text: kind, value: kind }]);
  expect(await d.getTagKeys()).toEqual([{ text: 'plan' }, { text: 'segment' }, { text: 'channel' }]);
  expect(await d.getTagValues({ key: 'channel', filters: [] })).toEqual([{ text: 'channels', value: 'channels' }]);
  expect(await d.getTagValues({ key: 'region', filters: [] })).toEqual([]);
});

it('applies the request ad hoc filters to the bodies that take tenant filters, and says when a type takes none', async () => {
  const res = await ds().query(
    request(
      [
        { refId: 'A', queryType: 'nps' },
        { refId: 'B', queryType: 'dr_status' },
      ],
      [{ key: 'plan', operator: '=', value: 'pro' }],
    ),
  );
  expect(posted).toEqual([
    { type: 'nps', from: '2026-06-01T00:00:00.000Z', to: '2026-06-15T00:00:00.000Z', filters: { plan: ['pro'] } },
    { type: 'dr_status' },
  ]);
  expect(res.data[0].meta?.notices).toBeUndefined();
  expect(res.data[1].meta.notices).toEqual([{ severity: 'info', text: expect.stringMatching(/do not apply to dr_status/) }]);
});

it('refuses an ad hoc operator the API cannot express, before sending anything', async () => {
  await expect(ds().query(request([{ refId: 'A', queryType: 'nps' }], [{ key: 'plan', operator: '!=', value: 'free' }]))).rejects.toThrow(
    /"=" and "one of" only/,
  );
  expect(posted).toEqual([]);
});

it('runs annotation queries with the annotations body, untouched by ad hoc filters', async () => {
  await ds().query(
    request([{ refId: 'Anno', queryType: 'annotations', kinds: ['release'] }], [{ key: 'plan', operator: '=', value: 'pro' }]),
  );
  expect(posted).toEqual([{ type: 'annotations', from: '2026-06-01T00:00:00.000Z', to: '2026-06-15T00:00:00.000Z', kinds: ['release'] }]);
});

it('has annotation and custom variable support, and interpolates queries', () => {
  const d = ds();
  expect(d.annotations?.QueryEditor).toBeDefined();
  expect(d.variables?.getType()).toBe('custom');
  expect(
    d.interpolateVariablesInQueries([{ refId: 'A', queryType: 'nps', plans: ['x'] }], {}, [{ key: 'plan', operator: '=', value: 'x' }]),
  ).toEqual([{ refId: 'A', queryType: 'nps', plans: ['x'] }]);
});
