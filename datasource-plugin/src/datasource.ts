import {
  AdHocVariableFilter,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceApi,
  DataSourceGetTagValuesOptions,
  DataSourceInstanceSettings,
  MetricFindValue,
  ScopedVars,
  TestDataSourceResponse,
} from '@grafana/data';
import { FetchError, getBackendSrv, getTemplateSrv, isFetchError } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';
import { ADHOC_KEYS, AdhocKey, applyAdhocFilters } from './adhoc';
import { annotationSupport, ANNOTATIONS_TYPE, buildAnnotationRequest } from './annotations';
import { AnnotationQueryEditor } from './components/AnnotationQueryEditor';
import { toDataFrame } from './frames';
import { interpolateQuery } from './interpolate';
import { buildRequest, Replace } from './request';
import { ApiAnswer, DEFAULT_QUERY, SaasmonOptions, SaasmonQuery, SaasmonVariableQuery, VariableKind } from './types';
import { SaasmonVariableSupport, variableKindOf } from './variables';

/** The `variables` list of each ad hoc filter key. */
const TAG_VALUES: Record<AdhocKey, VariableKind> = { plan: 'plans', segment: 'segments', channel: 'channels' };

const templateReplace = (): Replace => {
  const srv = getTemplateSrv();
  return srv.replace.bind(srv) as Replace;
};

/**
 * Calls the exporter through Grafana's data-source proxy: `${url}/api/...` matches the plugin.json
 * route "api", which adds the bearer token from secureJsonData on Grafana's server. The browser
 * never sees the token and never sends SQL.
 */
export class DataSource extends DataSourceApi<SaasmonQuery, SaasmonOptions> {
  private readonly baseUrl: string;

  constructor(instanceSettings: DataSourceInstanceSettings<SaasmonOptions>) {
    super(instanceSettings);
    this.baseUrl = `${instanceSettings.url ?? ''}/api`;
    this.annotations = { ...annotationSupport(), QueryEditor: AnnotationQueryEditor };
    this.variables = new SaasmonVariableSupport(this, templateReplace);
  }

  getDefaultQuery(): Partial<SaasmonQuery> {
    return DEFAULT_QUERY;
  }

  filterQuery(query: SaasmonQuery): boolean {
    return !query.hide && !!query.queryType;
  }

  async query(request: DataQueryRequest<SaasmonQuery>): Promise<DataQueryResponse> {
    const replace = templateReplace();
    const adhoc = this.adhocFilters(request);
    const targets = request.targets.filter((t) => this.filterQuery(t));
    const results = await Promise.all(
      targets.map(async (target) => {
        if (target.queryType === ANNOTATIONS_TYPE) {
          const answer = await this.post<ApiAnswer>(
            '/v1/query',
            buildAnnotationRequest(target, request.range, replace, request.scopedVars),
          );
          return answer.frames.map((f) => toDataFrame(f, target.refId));
        }
        const built = buildRequest(target, request.range, replace, request.scopedVars);
        if (!built) return [];
        const { body, notice } = applyAdhocFilters(built, adhoc);
        const answer = await this.post<ApiAnswer>('/v1/query', body, request.requestId);
        return answer.frames.map((f) => {
          const frame = toDataFrame(f, target.refId);
          if (notice) frame.meta = { ...frame.meta, notices: [...(frame.meta?.notices ?? []), { severity: 'info', text: notice }] };
          return frame;
        });
      }),
    );
    return { data: results.flat() };
  }

  /** The dashboard's ad hoc filters: on the request (Grafana 12), else from the template service (older dashboards). */
  private adhocFilters(request: DataQueryRequest<SaasmonQuery>): AdHocVariableFilter[] {
    if (request.filters) return request.filters;
    const legacy = getTemplateSrv() as { getAdhocFilters?: (datasourceName: string) => AdHocVariableFilter[] };
    return legacy.getAdhocFilters?.(this.name) ?? [];
  }

  /** Ad hoc filter keys: the tenant attributes the API filters by. */
  async getTagKeys(): Promise<MetricFindValue[]> {
    return ADHOC_KEYS.map((k) => ({ text: k }));
  }

  /** Ad hoc filter values: the exporter's lists of plans, segments and channels. */
  async getTagValues(options: DataSourceGetTagValuesOptions<SaasmonQuery>): Promise<MetricFindValue[]> {
    const of = TAG_VALUES[options.key as AdhocKey];
    return of ? this.fetchValues(of) : [];
  }

  /** Template variables replaced in every field (Explore, dashboard export), ad hoc filters written into the tenant lists. */
  interpolateVariablesInQueries(queries: SaasmonQuery[], scopedVars: ScopedVars, filters?: AdHocVariableFilter[]): SaasmonQuery[] {
    const replace = templateReplace();
    return queries.map((q) => interpolateQuery(q, replace, scopedVars, filters));
  }

  /** Lists for template variables and the query editor's pickers. */
  async fetchValues(of: VariableKind): Promise<MetricFindValue[]> {
    const answer = await this.post<ApiAnswer>('/v1/query', { type: 'variables', of });
    const frame = answer.frames[0];
    const text = frame?.fields.find((f) => f.name === 'text')?.values ?? [];
    const value = frame?.fields.find((f) => f.name === 'value')?.values ?? text;
    return text.map((t, i) => ({ text: String(t), value: String(value[i] ?? t) }));
  }

  /** The same lists for callers of the older API (the variables support is what dashboards use). */
  async metricFindQuery(
    query: Pick<SaasmonVariableQuery, 'of'> | string,
    options?: { scopedVars?: ScopedVars },
  ): Promise<MetricFindValue[]> {
    const of = variableKindOf(query, templateReplace(), options?.scopedVars);
    return of ? this.fetchValues(of) : [];
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    try {
      const health = await this.request<{ status: string; queryTypes?: string[] }>('GET', '/v1/health');
      return {
        status: 'success',
        message: `Connected to saasmon: ${health.queryTypes?.length ?? 0} query types available.`,
      };
    } catch (err) {
      return { status: 'error', message: explainFailure(err) };
    }
  }

  private post<T>(path: string, data: unknown, requestId?: string): Promise<T> {
    return this.request<T>('POST', path, data, requestId);
  }

  private async request<T>(method: 'GET' | 'POST', path: string, data?: unknown, requestId?: string): Promise<T> {
    try {
      const response = await lastValueFrom(
        getBackendSrv().fetch<T>({ url: `${this.baseUrl}${path}`, method, data, requestId, showErrorAlert: false }),
      );
      return response.data;
    } catch (err) {
      throw new Error(explainFailure(err));
    }
  }
}

/** A message that says what to fix, from the status the proxy or the exporter answered. */
export function explainFailure(err: unknown): string {
  if (isFetchError(err)) {
    const e = err as FetchError<{ error?: string; message?: string }>;
    const detail = e.data?.error ?? e.data?.message ?? e.statusText ?? '';
    switch (e.status) {
      case 401:
        return `The exporter refused the API token (401). Check the token in this data source's settings. ${detail}`.trim();
      case 403:
        return `The API token lacks the "query" scope (403). ${detail}`.trim();
      case 404:
        return `The exporter URL answers, but not as saasmon (404). Check the URL: it should be the exporter's base URL, e.g. http://exporter:9471. ${detail}`.trim();
      case 502:
      case 503:
      case 504:
        return `Grafana cannot reach the exporter (${e.status}). Check the URL and that the exporter runs. ${detail}`.trim();
      default:
        return `Query failed (${e.status}): ${detail}`;
    }
  }
  return err instanceof Error ? err.message : String(err);
}
