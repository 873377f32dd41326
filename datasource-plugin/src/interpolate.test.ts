import { interpolateQuery } from './interpolate';
import { Replace } from './request';

const VARS: Record<string, string | string[]> = { plan: ['starter', 'pro'], exp: 'x1', step: 'signup', none: [] };
const replace: Replace = (value, _s, format) =>
  value.replace(/\$(\w+)/g, (m, name: string) => {
    const v = VARS[name];
    if (v === undefined) return m;
    if (typeof format === 'function') return format(v);
    return Array.isArray(v) ? v.join(',') : v;
  });

it('interpolates every string field and expands every list field, leaving names and numbers', () => {
  expect(
    interpolateQuery(
      {
        refId: 'A',
        queryType: 'funnel',
        steps: ['$step', 'paid'],
        plans: ['$plan'],
        segments: ['$none'],
        windowDays: 7,
        experiment: '$exp',
      },
      replace,
    ),
  ).toEqual({ refId: 'A', queryType: 'funnel', steps: ['signup', 'paid'], plans: ['starter', 'pro'], windowDays: 7, experiment: 'x1' });
  expect(interpolateQuery({ refId: 'A', queryType: 'annotations', kinds: ['incident'], services: ['$plan'] }, replace)).toEqual({
    refId: 'A',
    queryType: 'annotations',
    kinds: ['incident'],
    services: ['starter', 'pro'],
  });
});

it('writes the ad hoc filters into the tenant lists of query types that take tenant filters', () => {
  const filters = [
    { key: 'plan', operator: '=', value: 'pro' },
    { key: 'channel', operator: '=', value: 'ads' },
  ];
  expect(interpolateQuery({ refId: 'A', queryType: 'retention', plans: ['$plan'] }, replace, {}, filters)).toEqual({
    refId: 'A',
    queryType: 'retention',
    plans: ['pro'],
    channels: ['ads'],
  });
  // No tenant filters on this type; filters saasmon cannot express are left to query() to refuse.
  expect(interpolateQuery({ refId: 'A', queryType: 'dr_status' }, replace, {}, filters)).toEqual({ refId: 'A', queryType: 'dr_status' });
  expect(interpolateQuery({ refId: 'A', queryType: 'retention' }, replace, {}, [{ key: 'plan', operator: '!=', value: 'x' }])).toEqual({
    refId: 'A',
    queryType: 'retention',
  });
});
