import { AdHocVariableFilter } from '@grafana/data';
import { contractOf, objectFieldNames } from '@saasmon/contract';

/** The tenant attributes a dashboard's ad hoc filters can narrow (the API's `filters` keys). */
export const ADHOC_KEYS = ['plan', 'segment', 'channel'] as const;
export type AdhocKey = (typeof ADHOC_KEYS)[number];

/** Grafana's "equals" and "is one of" operators: the only ones a list of values can express. */
const EQUALS = '=';
const ONE_OF = '=|';

/**
 * The values each key is narrowed to by the ad hoc filters (filters on one key all hold: their
 * values intersect). Anything the API cannot express exactly (!=, regular expressions, another key)
 * is refused with a message that says what to change: applying part of a filter would show numbers
 * the filter bar says they are not.
 */
export function adhocValues(filters: readonly AdHocVariableFilter[]): Partial<Record<AdhocKey, string[]>> {
  const out: Partial<Record<AdhocKey, string[]>> = {};
  for (const f of filters) {
    if (!(ADHOC_KEYS as readonly string[]).includes(f.key)) {
      throw new Error(`Ad hoc filter "${f.key}": saasmon filters by ${ADHOC_KEYS.join(', ')} only. Remove this filter.`);
    }
    if (f.operator !== EQUALS && f.operator !== ONE_OF) {
      throw new Error(`Ad hoc filter "${f.key} ${f.operator} ${f.value}": saasmon supports "=" and "one of" only. Change the operator.`);
    }
    const values = f.operator === ONE_OF && f.values?.length ? f.values : [f.value];
    const key = f.key as AdhocKey;
    const prior = out[key];
    out[key] = prior ? prior.filter((v) => values.includes(v)) : [...new Set(values)];
  }
  return out;
}

/** The keys the `filters` object of a query type's body takes (none when it has no filters). */
export function filterKeysOf(type: unknown): string[] {
  const contract = typeof type === 'string' ? contractOf(type) : undefined;
  return contract ? objectFieldNames(contract.schema, 'filters') : [];
}

export interface AdhocResult {
  body: Record<string, unknown>;
  /** Said on the panel: the filters could not apply to this query type. */
  notice?: string;
}

/**
 * A request body narrowed by the dashboard's ad hoc filters, for query types whose body takes
 * tenant `filters`: a key the panel filters already keeps the values both allow. A query type
 * without filters is sent as it is, with a notice. Filters that leave nothing are refused (the API
 * reads an empty list as "no filter").
 */
export function applyAdhocFilters(body: Record<string, unknown>, filters: readonly AdHocVariableFilter[] | undefined): AdhocResult {
  if (!filters?.length) return { body };
  const keys = filterKeysOf(body.type);
  if (!ADHOC_KEYS.every((k) => keys.includes(k))) {
    return { body, notice: `The dashboard's ad hoc filters do not apply to ${String(body.type)} (it takes no tenant filters).` };
  }
  const narrowed = adhocValues(filters);
  const current = (body.filters ?? {}) as Record<string, string[] | undefined>;
  const next: Record<string, string[] | undefined> = { ...current };
  for (const key of ADHOC_KEYS) {
    const values = narrowed[key];
    if (!values) continue;
    const panel = current[key];
    const both = panel?.length ? panel.filter((v) => values.includes(v)) : values;
    if (both.length === 0) {
      const why = panel?.length ? `the panel's ${key} filter (${panel.join(', ')}) and the ad hoc filters` : 'the ad hoc filters';
      throw new Error(`No ${key} is left: ${why} exclude each other.`);
    }
    next[key] = both;
  }
  return { body: { ...body, filters: next } };
}
