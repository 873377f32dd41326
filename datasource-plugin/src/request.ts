import { ScopedVars, TimeRange } from '@grafana/data';
import { contractOf, enumField, hasField } from '@saasmon/contract';
import { SaasmonQuery } from './types';

export type Format = (value: string | string[]) => string;
export type Replace = (value: string, scopedVars?: ScopedVars, format?: string | Format) => string;

/**
 * Template variables in a list field: an element that is a (multi-value or All) variable expands
 * to all its values. Values travel as JSON so a value with a comma survives.
 */
export function expandList(values: string[] | undefined, replace: Replace, scopedVars: ScopedVars): string[] | undefined {
  if (!values || values.length === 0) return undefined;
  const out: string[] = [];
  for (const v of values) {
    const replaced = replace(v, scopedVars, (value: string | string[]) => JSON.stringify(Array.isArray(value) ? value : [value]));
    let parsed: unknown;
    try {
      parsed = JSON.parse(replaced);
    } catch {
      parsed = undefined;
    }
    if (Array.isArray(parsed)) out.push(...parsed.map(String));
    else out.push(replaced);
  }
  const unique = [...new Set(out.filter((v) => v !== ''))];
  return unique.length ? unique : undefined;
}

function expandOne(value: string | undefined, replace: Replace, scopedVars: ScopedVars): string | undefined {
  if (value === undefined || value === '') return undefined;
  const r = replace(value, scopedVars);
  return r === '' ? undefined : r;
}

function filtersOf(q: SaasmonQuery, replace: Replace, scopedVars: ScopedVars) {
  const filters = {
    plan: expandList(q.plans, replace, scopedVars),
    segment: expandList(q.segments, replace, scopedVars),
    channel: expandList(q.channels, replace, scopedVars),
  };
  return Object.values(filters).some(Boolean) ? dropUndefined(filters) : undefined;
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The JSON body of POST /api/v1/query for one panel query, or undefined when it is incomplete. */
export function buildRequest(
  q: SaasmonQuery,
  range: TimeRange,
  replace: Replace,
  scopedVars: ScopedVars = {},
): Record<string, unknown> | undefined {
  const time = { from: range.from.toISOString(), to: range.to.toISOString() };
  switch (q.queryType) {
    case 'retention':
      return dropUndefined({
        type: 'retention',
        ...time,
        interval: q.interval ?? 'week',
        periods: q.periods,
        mode: q.retentionMode,
        returnEvent: expandOne(q.returnEvent, replace, scopedVars),
        filters: filtersOf(q, replace, scopedVars),
      });
    case 'funnel': {
      const steps = expandList(q.steps, replace, scopedVars);
      if (!steps || steps.length < 2) return undefined;
      return dropUndefined({
        type: 'funnel',
        ...time,
        steps,
        windowDays: q.windowDays,
        breakdown: q.breakdown,
        filters: filtersOf(q, replace, scopedVars),
      });
    }
    case 'tenant_health': {
      // The editor pages from 1; the API takes limit and offset.
      const limit = q.pageSize ?? 100;
      return dropUndefined({
        type: 'tenant_health',
        limit,
        offset: Math.max(0, (q.page ?? 1) - 1) * limit,
        filters: filtersOf(q, replace, scopedVars),
      });
    }
    case 'experiment': {
      const experiment = expandOne(q.experiment, replace, scopedVars);
      if (!experiment) return undefined;
      return dropUndefined({ type: 'experiment', experiment, control: expandOne(q.control, replace, scopedVars) });
    }
    default:
      return fromContract(q, time, replace, scopedVars);
  }
}

/**
 * Every other query type, from its contract alone: the time range if it takes one, the saved
 * period if the type offers it (else its default), plans and tenant filters if it takes them.
 * A new query type with only these fields needs no code here.
 */
function fromContract(
  q: SaasmonQuery,
  time: { from: string; to: string },
  replace: Replace,
  scopedVars: ScopedVars,
): Record<string, unknown> | undefined {
  const contract = q.queryType ? contractOf(q.queryType) : undefined;
  if (!contract || contract.hidden) return undefined;
  const { schema } = contract;
  const interval = enumField(schema, 'interval');
  return dropUndefined({
    type: contract.type,
    ...(hasField(schema, 'from') ? time : {}),
    interval: interval && (q.interval && interval.values.includes(q.interval) ? q.interval : interval.default),
    plans: hasField(schema, 'plans') ? expandList(q.plans, replace, scopedVars) : undefined,
    filters: hasField(schema, 'filters') ? filtersOf(q, replace, scopedVars) : undefined,
  });
}
