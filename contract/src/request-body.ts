import { FieldSpec, fieldsOf } from './fields';
import { PanelQuery, savedParams, SavedValue } from './panel-query';
import { contractOf } from './registry';

// The body of POST /api/v1/query for a saved panel query. One builder for every client that turns
// a dashboard target into a request: the datasource (with Grafana's template service) and the
// exporter's answer warmer (with the dashboards' saved variable values), so both ask the same
// question and share one answer-cache entry.

export type Format = (value: string | string[]) => string;
/** Grafana's templateSrv.replace shape; scoped variables are passed through untouched. */
export type Replace<S = unknown> = (value: string, scopedVars?: S, format?: string | Format) => string;

/**
 * Template variables in a list field: an element that is a (multi-value or All) variable expands
 * to all its values. Values travel as JSON so a value with a comma survives.
 */
export function expandList<S>(values: Array<string | number> | undefined, replace: Replace<S>, scopedVars: S): string[] | undefined {
  if (!values || values.length === 0) return undefined;
  const out: string[] = [];
  for (const v of values.map(String)) {
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

function expandOne<S>(value: string | undefined, replace: Replace<S>, scopedVars: S): string | undefined {
  if (value === undefined || value === '') return undefined;
  const r = replace(value, scopedVars);
  return r === '' ? undefined : r;
}

/** A number as typed (a variable replaced); text that is not a number goes as is, for the API to refuse by name. */
function toNumber(v: string): number | string {
  const n = Number(v.trim());
  return v.trim() !== '' && Number.isFinite(n) ? n : v;
}

/** One body field from its saved value: variables replaced, lists expanded, numbers parsed; undefined when empty. */
function bodyValue<S>(field: FieldSpec, saved: SavedValue | undefined, replace: Replace<S>, scopedVars: S): unknown {
  if (saved === undefined || saved === null) return undefined;
  switch (field.kind) {
    case 'object': {
      if (typeof saved !== 'object' || Array.isArray(saved)) return undefined;
      const out: Record<string, unknown> = {};
      for (const sub of field.fields ?? []) {
        const v = bodyValue(sub, saved[sub.name], replace, scopedVars);
        if (v !== undefined) out[sub.name] = v;
      }
      return Object.keys(out).length ? out : undefined;
    }
    case 'list': {
      const list = expandList(Array.isArray(saved) ? saved : [String(saved)], replace, scopedVars);
      return list && field.element?.kind === 'number' ? list.map(toNumber) : list;
    }
    case 'number': {
      if (typeof saved === 'number') return saved;
      const text = expandOne(String(saved), replace, scopedVars);
      return text === undefined ? undefined : toNumber(text);
    }
    case 'boolean':
      return typeof saved === 'boolean' ? saved : expandOne(String(saved), replace, scopedVars) === 'true';
    case 'enum': {
      const text = expandOne(String(saved), replace, scopedVars);
      // A value of another type's enum (the period of the type picked before) is left out: the default applies.
      return text !== undefined && field.options?.includes(text) ? text : undefined;
    }
    default:
      return expandOne(String(saved), replace, scopedVars);
  }
}

/**
 * The JSON body of POST /api/v1/query for one panel query, from its contract alone: the time range
 * (ISO instants) for `from`/`to`, every other field of the schema from the saved query (template
 * variables replaced, lists expanded, numbers parsed), empty ones left out so the API's defaults
 * apply. Undefined when the query is incomplete: no type, or a required field missing (a list
 * shorter than its minimum).
 */
export function requestBody<S>(
  q: PanelQuery,
  range: { from: string; to: string },
  replace: Replace<S>,
  scopedVars: S,
): Record<string, unknown> | undefined {
  const contract = q.queryType ? contractOf(q.queryType) : undefined;
  if (!contract || contract.hidden) return undefined;
  const saved = savedParams(q, contract.schema);
  const time: Record<string, string> = { ...range };
  const body: Record<string, unknown> = { type: contract.type };
  for (const field of fieldsOf(contract)) {
    const value = field.name in time ? time[field.name] : bodyValue(field, saved[field.name], replace, scopedVars);
    const short = Array.isArray(value) && value.length < (field.min ?? 1);
    if (field.required && (value === undefined || short)) return undefined;
    if (value !== undefined) body[field.name] = value;
  }
  return body;
}
