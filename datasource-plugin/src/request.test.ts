import { dateTime, ScopedVars, TimeRange } from '@grafana/data';
import { buildRequest, expandList, Format, Replace } from './request';

const range: TimeRange = {
  from: dateTime('2026-06-01T00:00:00Z'),
  to: dateTime('2026-06-15T00:00:00Z'),
  raw: { from: 'now-14d', to: 'now' },
};

// A stand-in for getTemplateSrv().replace with the variables $plan (multi: two values), $all (All),
// $exp (single); it calls the format function with arrays exactly as Grafana does.
const VARS: Record<string, string | string[]> = { plan: ['starter', 'business, annual'], all: ['a', 'b', 'c'], exp: 'x1' };
const replace: Replace = (value, _scoped?: ScopedVars, format?: string | Format) =>
  value.replace(/\$(\w+)/g, (m, name: string) => {
    const v = VARS[name];
    if (v === undefined) return m;
    if (typeof format === 'function') return format(v);
    return Array.isArray(v) ? v.join(',') : v;
  });

it('expands multi-value and All variables in list fields, keeping values with commas whole', () => {
  expect(expandList(['$plan'], replace, {})).toEqual(['starter', 'business, annual']);
  expect(expandList(['$all', 'd'], replace, {})).toEqual(['a', 'b', 'c', 'd']);
  expect(expandList([], replace, {})).toBeUndefined();
});

it('builds a funnel request with the time range, steps and filters', () => {
  expect(
    buildRequest(
      { refId: 'A', queryType: 'funnel', steps: ['signup', 'project.created'], plans: ['$plan'], windowDays: 7 },
      range,
      replace,
    ),
  ).toEqual({
    type: 'funnel',
    from: '2026-06-01T00:00:00.000Z',
    to: '2026-06-15T00:00:00.000Z',
    steps: ['signup', 'project.created'],
    windowDays: 7,
    filters: { plan: ['starter', 'business, annual'] },
  });
});

it('does not send an incomplete funnel or experiment', () => {
  expect(buildRequest({ refId: 'A', queryType: 'funnel', steps: ['signup'] }, range, replace)).toBeUndefined();
  expect(buildRequest({ refId: 'A', queryType: 'experiment' }, range, replace)).toBeUndefined();
  expect(buildRequest({ refId: 'A' }, range, replace)).toBeUndefined();
});

it('interpolates single-value variables and leaves defaults to the API', () => {
  expect(buildRequest({ refId: 'A', queryType: 'experiment', experiment: '$exp' }, range, replace)).toEqual({
    type: 'experiment',
    experiment: 'x1',
  });
  expect(buildRequest({ refId: 'A', queryType: 'retention' }, range, replace)).toEqual({
    type: 'retention',
    from: '2026-06-01T00:00:00.000Z',
    to: '2026-06-15T00:00:00.000Z',
  });
  expect(buildRequest({ refId: 'A', queryType: 'nps' }, range, replace)).not.toHaveProperty('interval');
});

it('builds every query type from its contract: time range, a period the type takes (else none), plans', () => {
  expect(buildRequest({ refId: 'A', queryType: 'subscribers_by_plan' }, range, replace)).toEqual({ type: 'subscribers_by_plan' });
  expect(buildRequest({ refId: 'A', queryType: 'dr_status' }, range, replace)).toEqual({ type: 'dr_status' });
  // A period the type does not take (saved for the type picked before) is left to the default.
  expect(buildRequest({ refId: 'A', queryType: 'mrr_movements', interval: 'day' }, range, replace)).toEqual({
    type: 'mrr_movements',
    from: '2026-06-01T00:00:00.000Z',
    to: '2026-06-15T00:00:00.000Z',
  });
  expect(buildRequest({ refId: 'A', queryType: 'revenue_by_plan', interval: 'week' }, range, replace)).toMatchObject({ interval: 'week' });
  expect(buildRequest({ refId: 'A', queryType: 'cac_by_channel', interval: 'week' }, range, replace)).toEqual({
    type: 'cac_by_channel',
    from: '2026-06-01T00:00:00.000Z',
    to: '2026-06-15T00:00:00.000Z',
  });
  expect(buildRequest({ refId: 'A', queryType: 'feature_adoption', plans: ['$plan'] }, range, replace)).toMatchObject({
    plans: ['starter', 'business, annual'],
  });
  // The template-variable lists are not a panel query.
  expect(buildRequest({ refId: 'A', queryType: 'variables' as never }, range, replace)).toBeUndefined();
});

// More variables: $tenant (multi), $share and $months (single values typed into number fields).
Object.assign(VARS, { tenant: ['t-1', 't-2'], share: '5', months: '6', offsets: ['30', '90'] });

it('fills every field of a power users query from its params: share parsed, tenant filter expanded', () => {
  expect(
    buildRequest(
      {
        refId: 'A',
        queryType: 'power_users',
        params: { share: '$share', filters: { plan: ['$plan'], segment: [], channel: ['ads'], tenant: ['$tenant'] } },
      },
      range,
      replace,
    ),
  ).toEqual({
    type: 'power_users',
    share: 5,
    filters: { plan: ['starter', 'business, annual'], channel: ['ads'], tenant: ['t-1', 't-2'] },
  });
  // Empty fields are left out: the API's defaults apply.
  expect(buildRequest({ refId: 'A', queryType: 'power_users', params: { share: '', filters: { tenant: [] } } }, range, replace)).toEqual({
    type: 'power_users',
  });
});

it('fills every field of an MRR forecast, a churn risk and a retention at day offsets query', () => {
  expect(buildRequest({ refId: 'A', queryType: 'mrr_forecast', params: { months: '$months', model: 'drift' } }, range, replace)).toEqual({
    type: 'mrr_forecast',
    months: 6,
    model: 'drift',
  });
  expect(
    buildRequest({ refId: 'A', queryType: 'churn_risk', params: { limit: 20, offset: 40, filters: { tenant: ['t-9'] } } }, range, replace),
  ).toEqual({ type: 'churn_risk', limit: 20, offset: 40, filters: { tenant: ['t-9'] } });
  expect(
    buildRequest(
      {
        refId: 'A',
        queryType: 'retention_days',
        params: { interval: 'week', offsets: [7, '$offsets'], mode: 'on_or_after', returnEvent: 'login', format: 'cells' },
      },
      range,
      replace,
    ),
  ).toEqual({
    type: 'retention_days',
    from: '2026-06-01T00:00:00.000Z',
    to: '2026-06-15T00:00:00.000Z',
    interval: 'week',
    offsets: [7, 30, 90],
    mode: 'on_or_after',
    returnEvent: 'login',
    format: 'cells',
  });
});

it('sends text that is not a number as typed, for the API to refuse by name', () => {
  expect(buildRequest({ refId: 'A', queryType: 'mrr_forecast', params: { months: '$unknown' } }, range, replace)).toEqual({
    type: 'mrr_forecast',
    months: '$unknown',
  });
});

it('reads the older saved fields, params winning over them', () => {
  expect(
    buildRequest(
      {
        refId: 'A',
        queryType: 'tenant_health',
        plans: ['pro'],
        segments: ['smb'],
        pageSize: 50,
        page: 3,
        params: { filters: { tenant: ['t-1'] } },
      },
      range,
      replace,
    ),
  ).toEqual({ type: 'tenant_health', limit: 50, offset: 100, filters: { plan: ['pro'], segment: ['smb'], tenant: ['t-1'] } });
  expect(
    buildRequest({ refId: 'A', queryType: 'retention', retentionMode: 'on_or_after', periods: 4, params: { periods: 6 } }, range, replace),
  ).toMatchObject({ mode: 'on_or_after', periods: 6 });
});

it('builds an incidents request: the time range, services with variables, the limit', () => {
  expect(buildRequest({ refId: 'A', queryType: 'incidents', params: { service: ['$all'], limit: '50' } }, range, replace)).toEqual({
    type: 'incidents',
    from: '2026-06-01T00:00:00.000Z',
    to: '2026-06-15T00:00:00.000Z',
    service: ['a', 'b', 'c'],
    limit: 50,
  });
});

it('reads fields saved at the top level under the schema names, and the one-tenant drill-down', () => {
  expect(buildRequest({ refId: 'A', queryType: 'churn_risk', limit: 10, tenant: '$tenant', plans: ['pro'] }, range, replace)).toEqual({
    type: 'churn_risk',
    limit: 10,
    filters: { plan: ['pro'], tenant: ['t-1', 't-2'] },
  });
  expect(buildRequest({ refId: 'A', queryType: 'power_users', share: 5, params: { share: 20 } }, range, replace)).toEqual({
    type: 'power_users',
    share: 20,
  });
});
