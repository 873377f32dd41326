import { AdHocVariableFilter, ScopedVars } from '@grafana/data';
import { ADHOC_KEYS, adhocValues, AdhocKey, filterKeysOf } from './adhoc';
import { expandList, Replace } from './request';
import { SaasmonQuery } from './types';

/** Fields that name the query rather than hold its values. */
const NOT_VALUES = new Set(['refId', 'key', 'datasource', 'queryType', 'hide']);

/** The saved list field of each ad hoc key. */
const LIST_FIELD: Record<AdhocKey, 'plans' | 'segments' | 'channels'> = { plan: 'plans', segment: 'segments', channel: 'channels' };

/**
 * The query with its template variables replaced by their values, for Explore and the dashboard
 * export (interpolateVariablesInQueries): every string field interpolated, every list field
 * expanded (a multi-value variable becomes its values; a list left empty is dropped). The ad hoc
 * filters Grafana hands over ("=" and "one of" on plan, segment, channel) are written into the
 * query's plans, segments and channels, for query types that take tenant filters, so the query
 * keeps them where the filter bar does not follow.
 */
export function interpolateQuery(
  q: SaasmonQuery,
  replace: Replace,
  scopedVars: ScopedVars = {},
  filters: readonly AdHocVariableFilter[] = [],
): SaasmonQuery {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(q)) {
    if (NOT_VALUES.has(k)) out[k] = v;
    else if (typeof v === 'string') out[k] = replace(v, scopedVars);
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) {
      const expanded = expandList(v as string[], replace, scopedVars);
      if (expanded) out[k] = expanded;
    } else out[k] = v;
  }
  const query = out as unknown as SaasmonQuery;
  if (!filters.length || !ADHOC_KEYS.every((k) => filterKeysOf(q.queryType).includes(k))) return query;
  let narrowed: ReturnType<typeof adhocValues>;
  try {
    narrowed = adhocValues(filters);
  } catch {
    // Filters saasmon cannot express stay out of the query; running it with them says why.
    return query;
  }
  for (const key of ADHOC_KEYS) {
    const values = narrowed[key];
    if (!values) continue;
    const field = LIST_FIELD[key];
    const current = query[field];
    const both = current?.length ? current.filter((v) => values.includes(v)) : values;
    if (both.length) query[field] = both;
  }
  return query;
}
