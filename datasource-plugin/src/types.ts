import { DataSourceJsonData } from '@grafana/data';
import { DataQuery } from '@grafana/schema';
import {
  Breakdown,
  Frame,
  FrameField,
  Interval,
  PanelQuery,
  QUERY_CONTRACTS,
  QueryAnswer,
  QueryTypeName,
  VariableKind,
} from '@saasmon/contract';

/** The query types the editor offers, from the query contract (docs/query-api.md). */
export const QUERY_TYPES = QUERY_CONTRACTS.filter((c) => !c.hidden).map((c) => ({
  value: c.type,
  label: c.label,
  description: c.description,
}));

export type QueryType = QueryTypeName;
export type { Breakdown, Interval, VariableKind };

/** What a panel saves: the contract's saved query model. buildRequest fills the API's defaults. */
export interface SaasmonQuery extends DataQuery, Omit<PanelQuery, 'queryType'> {
  queryType?: QueryType;
}

export const DEFAULT_QUERY: Partial<SaasmonQuery> = { queryType: 'active_users' };

/** A template-variable query: which list to fetch (saved before Grafana's custom variable support without a refId). */
export interface SaasmonVariableQuery extends DataQuery {
  of: VariableKind;
}

export interface SaasmonOptions extends DataSourceJsonData {
  /** Base URL of the saasmon exporter as Grafana's server reaches it, e.g. http://exporter:9471 */
  url?: string;
}

export interface SaasmonSecureJsonData {
  apiToken?: string;
}

/** The exporter's answer: frames as columns, as the query contract defines them. */
export type ApiField = FrameField;
export type ApiFrame = Frame;
export type ApiAnswer = QueryAnswer;
