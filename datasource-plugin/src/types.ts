import { DataSourceJsonData } from '@grafana/data';
import { DataQuery } from '@grafana/schema';

/** The query types of the exporter's POST /api/v1/query (docs/query-api.md). */
export const QUERY_TYPES = [
  { value: 'retention', label: 'Cohort retention', description: 'Users by signup period returning in later periods' },
  { value: 'funnel', label: 'Funnel', description: 'Ordered event steps within a conversion window' },
  { value: 'mrr_movements', label: 'MRR movements', description: 'New, expansion, contraction, churn, reactivation' },
  { value: 'revenue_by_plan', label: 'Revenue by plan', description: 'MRR per plan at the end of each period' },
  { value: 'churn_by_reason', label: 'Churn by reason', description: 'Churned tenants and lost MRR per reason' },
  { value: 'cac_by_channel', label: 'CAC by channel', description: 'Spend per new paying tenant, per month' },
  { value: 'feature_adoption', label: 'Feature adoption', description: 'Features x plans: share of active tenants' },
  { value: 'tenant_health', label: 'Tenant health', description: 'One row per tenant, lowest score first' },
  { value: 'active_users', label: 'Active users', description: 'DAU, WAU, MAU per day' },
  { value: 'nps', label: 'NPS', description: 'Net promoter score over time' },
  { value: 'experiment', label: 'Experiment', description: 'Per variant: conversion, lift, p-value, SRM' },
  { value: 'dr_status', label: 'DR status', description: 'Backup and DR checks per location: ok / warn / fail' },
] as const;

export type QueryType = (typeof QUERY_TYPES)[number]['value'];
export type Interval = 'day' | 'week' | 'month';
export type Breakdown = 'plan' | 'segment' | 'channel';

/** What a panel saves. Every parameter is optional here; buildRequest fills the API's defaults. */
export interface SaasmonQuery extends DataQuery {
  queryType?: QueryType;
  interval?: Interval;
  periods?: number;
  retentionMode?: 'return_on' | 'on_or_after';
  returnEvent?: string;
  steps?: string[];
  windowDays?: number;
  breakdown?: Breakdown;
  plans?: string[];
  segments?: string[];
  channels?: string[];
  experiment?: string;
  control?: string;
  page?: number;
  pageSize?: number;
}

export const DEFAULT_QUERY: Partial<SaasmonQuery> = { queryType: 'active_users' };

export type VariableKind = 'plans' | 'segments' | 'channels' | 'event_names' | 'experiments' | 'tenants' | 'locations';

/** A template-variable query: which list to fetch. */
export interface SaasmonVariableQuery {
  of: VariableKind;
}

export interface SaasmonOptions extends DataSourceJsonData {
  /** Base URL of the saasmon exporter as Grafana's server reaches it, e.g. http://exporter:9471 */
  url?: string;
}

export interface SaasmonSecureJsonData {
  apiToken?: string;
}

/** The exporter's answer: frames as columns (exporter/src/api/query/frames.ts). */
export interface ApiField {
  name: string;
  type: 'time' | 'number' | 'string' | 'boolean';
  values: Array<number | string | boolean | null>;
  config?: Record<string, unknown>;
  labels?: Record<string, string>;
}

export interface ApiFrame {
  name: string;
  fields: ApiField[];
  meta?: { notices?: Array<{ severity: 'info' | 'warning'; text: string }>; custom?: Record<string, unknown> };
}

export interface ApiAnswer {
  frames: ApiFrame[];
}
