import { adhocValues, applyAdhocFilters, filterKeysOf } from './adhoc';

const funnel = { type: 'funnel', from: 'a', to: 'b', steps: ['signup', 'paid'] };
const eq = (key: string, value: string) => ({ key, operator: '=', value });

it('reads which query types take tenant filters from the contract', () => {
  expect(filterKeysOf('funnel')).toEqual(['plan', 'segment', 'channel', 'tenant']);
  expect(filterKeysOf('dr_status')).toEqual([]);
  expect(filterKeysOf('annotations')).toEqual([]);
  expect(filterKeysOf(undefined)).toEqual([]);
});

it('adds "=" and "one of" filters to the body filters', () => {
  expect(applyAdhocFilters(funnel, [eq('plan', 'pro'), { key: 'channel', operator: '=|', value: 'ads', values: ['ads', 'seo'] }])).toEqual({
    body: { ...funnel, filters: { plan: ['pro'], channel: ['ads', 'seo'] } },
  });
});

it("keeps the values both the panel's filter and the ad hoc filters allow", () => {
  const body = { ...funnel, filters: { plan: ['starter', 'pro'], segment: ['smb'] } };
  expect(applyAdhocFilters(body, [eq('plan', 'pro')]).body.filters).toEqual({ plan: ['pro'], segment: ['smb'] });
  // Two filters on one key both hold.
  expect(adhocValues([{ key: 'plan', operator: '=|', value: '', values: ['a', 'b'] }, eq('plan', 'b')])).toEqual({ plan: ['b'] });
});

it('refuses filters the API cannot express, and filters that leave nothing, saying what to change', () => {
  expect(() => applyAdhocFilters(funnel, [{ key: 'plan', operator: '!=', value: 'free' }])).toThrow(
    'Ad hoc filter "plan != free": saasmon supports "=" and "one of" only. Change the operator.',
  );
  expect(() => applyAdhocFilters(funnel, [{ key: 'plan', operator: '=~', value: 'p.*' }])).toThrow(/"=" and "one of" only/);
  expect(() => applyAdhocFilters(funnel, [eq('region', 'eu')])).toThrow(
    'Ad hoc filter "region": saasmon filters by plan, segment, channel only. Remove this filter.',
  );
  expect(() => applyAdhocFilters({ ...funnel, filters: { plan: ['starter'] } }, [eq('plan', 'pro')])).toThrow(
    "No plan is left: the panel's plan filter (starter) and the ad hoc filters exclude each other.",
  );
  expect(() => applyAdhocFilters(funnel, [eq('plan', 'pro'), eq('plan', 'free')])).toThrow(
    'No plan is left: the ad hoc filters exclude each other.',
  );
});

it('sends a query type without tenant filters as it is, with a notice; no filters change nothing', () => {
  const dr = { type: 'dr_status' };
  expect(applyAdhocFilters(dr, [eq('plan', 'pro')])).toEqual({
    body: dr,
    notice: "The dashboard's ad hoc filters do not apply to dr_status (it takes no tenant filters).",
  });
  expect(applyAdhocFilters(funnel, [])).toEqual({ body: funnel });
  expect(applyAdhocFilters(funnel, undefined)).toEqual({ body: funnel });
});
