import { DataQueryRequest, dateTime } from '@grafana/data';
import { lastValueFrom } from 'rxjs';
import type { DataSource } from './datasource';
import { Replace } from './request';
import { SaasmonVariableQuery } from './types';
import { SaasmonVariableSupport, variableKindOf } from './variables';

const replace: Replace = (v) => v.replace('$kind', 'segments');

it('reads saved variable queries of every form: { of }, with or without refId, and a bare string', () => {
  expect(variableKindOf({ of: 'plans' }, replace)).toBe('plans');
  expect(variableKindOf({ refId: 'A', of: 'event_names' }, replace)).toBe('event_names');
  expect(variableKindOf('channels', replace)).toBe('channels');
  expect(variableKindOf('$kind', replace)).toBe('segments');
  expect(variableKindOf('', replace)).toBeUndefined();
  expect(variableKindOf(undefined, replace)).toBeUndefined();
  expect(() => variableKindOf('plan', replace)).toThrow('saasmon variable: "plan" is not a list the exporter offers (plans, segments');
});

it('answers a variable query with text and value fields from the exporter lists', async () => {
  const fetchValues = jest.fn(async () => [
    { text: 'Starter', value: 'starter' },
    { text: 'Pro', value: 'pro' },
  ]);
  const support = new SaasmonVariableSupport({ fetchValues } as unknown as DataSource, () => replace);
  const request = {
    targets: [{ refId: 'A', of: 'plans' }],
    range: { from: dateTime(0), to: dateTime(1), raw: { from: 'now-1h', to: 'now' } },
    scopedVars: {},
  } as unknown as DataQueryRequest<SaasmonVariableQuery>;
  const res = await lastValueFrom(support.query(request));
  expect(fetchValues).toHaveBeenCalledWith('plans');
  const frame = res.data[0];
  expect(frame.fields.map((f: { name: string; values: unknown[] }) => [f.name, f.values])).toEqual([
    ['text', ['Starter', 'Pro']],
    ['value', ['starter', 'pro']],
  ]);
  expect(support.getType()).toBe('custom');
});
