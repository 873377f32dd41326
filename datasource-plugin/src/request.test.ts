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

it('interpolates single-value variables and applies defaults', () => {
  expect(buildRequest({ refId: 'A', queryType: 'experiment', experiment: '$exp' }, range, replace)).toEqual({
    type: 'experiment',
    experiment: 'x1',
  });
  expect(buildRequest({ refId: 'A', queryType: 'retention' }, range, replace)).toEqual({
    type: 'retention',
    from: '2026-06-01T00:00:00.000Z',
    to: '2026-06-15T00:00:00.000Z',
    interval: 'week',
  });
  expect(buildRequest({ refId: 'A', queryType: 'nps' }, range, replace)).toMatchObject({ interval: 'month' });
});

it('builds every other query type from its contract: time range, period (or its default), plans', () => {
  expect(buildRequest({ refId: 'A', queryType: 'subscribers_by_plan' }, range, replace)).toEqual({ type: 'subscribers_by_plan' });
  expect(buildRequest({ refId: 'A', queryType: 'dr_status' }, range, replace)).toEqual({ type: 'dr_status' });
  expect(buildRequest({ refId: 'A', queryType: 'mrr_movements', interval: 'day' }, range, replace)).toEqual({
    type: 'mrr_movements',
    from: '2026-06-01T00:00:00.000Z',
    to: '2026-06-15T00:00:00.000Z',
    interval: 'month',
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
