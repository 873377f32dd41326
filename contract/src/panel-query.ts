import { z } from 'zod';
import { breakdown, INTERVALS } from './common';
import { objectShape } from './contract';
import { QueryTypeName } from './registry';

/** A saved body field: text, a number, a switch, a list, or the tenant filters (lists by attribute). */
export type SavedValue = string | number | boolean | Array<string | number> | { [attribute: string]: string[] | undefined };

/**
 * What a Grafana panel saves for the saasmon datasource (besides refId and datasource): the query
 * type and `params`, the body's fields by the schema's own names (what the editor writes; values
 * may hold template variables), every one optional (the API's defaults apply). The other fields
 * are how dashboards saved them before `params` (older names, or schema names at the top level,
 * `tenant` for filters.tenant), still read (`savedParams`) so saved and generated dashboards keep
 * working; field names are stable across versions since dashboards store them.
 */
export const panelQuery = z
  .object({
    params: z.record(z.string(), z.unknown()),
    interval: z.enum(INTERVALS),
    periods: z.number(),
    retentionMode: z.enum(['return_on', 'on_or_after']),
    returnEvent: z.string(),
    steps: z.array(z.string()),
    windowDays: z.number(),
    breakdown,
    plans: z.array(z.string()),
    segments: z.array(z.string()),
    channels: z.array(z.string()),
    experiment: z.string(),
    control: z.string(),
    page: z.number(),
    pageSize: z.number(),
    // Fields saved under the query schema's own names (the request builder sends them as they are).
    limit: z.number(),
    days: z.number(),
    share: z.number(),
    months: z.number(),
    by: z.string(),
    retainedDays: z.number(),
    offsets: z.array(z.number()),
    features: z.array(z.string()),
    retentionDay: z.number(),
    firstDays: z.number(),
    /** The drill-down to one tenant (`filters.tenant` of the body), usually `$tenant`. */
    tenant: z.string(),
    /** Annotation queries: which kinds, and the services of the incidents. */
    kinds: z.array(z.string()),
    services: z.array(z.string()),
  })
  .partial();

export type PanelQuery = Omit<z.infer<typeof panelQuery>, 'params'> & {
  queryType?: QueryTypeName;
  params?: Record<string, SavedValue | undefined>;
};

/** The saved fields (with queryType). */
export const PANEL_QUERY_FIELDS = ['queryType', ...Object.keys(panelQuery.shape)] as const;

/** The older saved fields by the body field each one fills (`filters.plan`: a tenant filter). */
const OLDER_FIELDS = {
  interval: 'interval',
  periods: 'periods',
  retentionMode: 'mode',
  returnEvent: 'returnEvent',
  steps: 'steps',
  windowDays: 'windowDays',
  breakdown: 'breakdown',
  experiment: 'experiment',
  control: 'control',
  plans: 'filters.plan',
  segments: 'filters.segment',
  channels: 'filters.channel',
} as const satisfies Partial<Record<keyof PanelQuery, string>>;

/**
 * The query with one body field set (undefined: removed): its saved fields move into `params`
 * first, so the edit wins over an older field and the query keeps its other values.
 */
export function withParam<Q extends PanelQuery>(q: Q, schema: z.ZodTypeAny, name: string, value: SavedValue | undefined): Q {
  const params: Record<string, SavedValue | undefined> = { ...savedParams(q, schema), [name]: value };
  if (value === undefined) delete params[name];
  const rest: Q = { ...q };
  const moved = [...Object.keys(OLDER_FIELDS), 'page', 'pageSize', 'tenant', ...Object.keys(objectShape(schema))];
  for (const older of moved) if (older !== 'queryType') delete rest[older as keyof Q];
  return { ...rest, params };
}

function hasPaging(schema: z.ZodTypeAny) {
  const shape = objectShape(schema);
  return 'limit' in shape && 'offset' in shape;
}

/**
 * A saved query's body fields by the schema's names: the older fields mapped to their body
 * fields, then `params` over them (a list of tenant filters replaces its older one). Values are
 * as saved (template variables not yet replaced); fields the schema lacks are left out.
 */
export function savedParams(q: PanelQuery, schema: z.ZodTypeAny): Record<string, SavedValue> {
  const shape = objectShape(schema);
  const out: Record<string, SavedValue> = {};
  const filters: Record<string, string[]> = {};
  for (const [older, to] of Object.entries(OLDER_FIELDS)) {
    const v = q[older as keyof typeof OLDER_FIELDS];
    if (v === undefined) continue;
    // A body with its own `plans` list (feature_adoption) takes the saved plans there.
    if (older === 'plans' && 'plans' in shape) out.plans = v as string[];
    else if (to.startsWith('filters.')) filters[to.slice('filters.'.length)] = v as string[];
    else if (to in shape) out[to] = v as SavedValue;
  }
  // The older editor paged tenant lists from 1; the API takes limit and offset.
  if (hasPaging(schema) && (q.page !== undefined || q.pageSize !== undefined)) {
    const limit = q.pageSize ?? 100;
    out.limit = limit;
    out.offset = Math.max(0, (q.page ?? 1) - 1) * limit;
  }
  // Fields saved at the top level under the schema's own names (dashboards generated so), and the
  // one-tenant drill-down (`tenant: '$tenant'`, the body's filters.tenant).
  for (const [name, v] of Object.entries(q)) {
    if (name in shape && name !== 'type' && !(name in OLDER_FIELDS) && v !== undefined) out[name] = v as SavedValue;
  }
  if (typeof q.tenant === 'string' && q.tenant !== '') filters.tenant = [q.tenant];
  const params = q.params ?? {};
  const savedFilters = params.filters;
  const mergedFilters = { ...filters, ...(typeof savedFilters === 'object' && !Array.isArray(savedFilters) ? savedFilters : {}) };
  if ('filters' in shape && Object.keys(mergedFilters).length) out.filters = mergedFilters;
  for (const [name, v] of Object.entries(params)) {
    if (name !== 'filters' && name in shape && v !== undefined) out[name] = v;
  }
  return out;
}
