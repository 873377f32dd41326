import { z } from 'zod';
import { breakdown, INTERVALS } from './common';
import { QueryTypeName } from './queries';

/**
 * What a Grafana panel saves for the saasmon datasource (besides refId and datasource): the query
 * type and the editor's fields, every one optional (the datasource fills the API's defaults). The
 * dashboard generator writes it, the plugin reads it; field names are stable across versions
 * since dashboards store them.
 */
export const panelQuery = z
  .object({
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
  })
  .partial();

export type PanelQuery = z.infer<typeof panelQuery> & { queryType?: QueryTypeName };

/** The saved fields (with queryType). */
export const PANEL_QUERY_FIELDS = ['queryType', ...Object.keys(panelQuery.shape)] as const;
