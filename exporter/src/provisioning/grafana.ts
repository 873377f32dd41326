/**
 * A small builder for Grafana dashboard JSON (schemaVersion 39, what Grafana 11 and 12 load without
 * migrating). Dashboards are written in TypeScript so that datasource refs, units and layout stay
 * consistent; the JSON under provisioning/dashboards/json is generated from them and a test keeps
 * the two in sync (provisioning.test.ts).
 */

import type { AnnotationKind, PanelQuery, QueryTypeName } from '@saasmon/contract';

export const SCHEMA_VERSION = 39;

/**
 * Datasources by template variable (every dashboard has `$prometheus` and `$saasmon`), so that an
 * imported dashboard works with any Prometheus and saasmon datasource; the provisioned ones
 * (provisioning/datasources/saasmon.yml) are the defaults.
 */
export const DS = {
  prometheus: { type: 'prometheus', uid: '${prometheus}' },
  saasmon: { type: 'saasmon-analytics-datasource', uid: '${saasmon}' },
} as const;
export type DatasourceRef = { type: string; uid: string };

export const PANEL_PLUGINS = { alignment: 'saasmon-alignment-panel', healthMatrix: 'saasmon-healthmatrix-panel' } as const;

/** The dashboards' uids; links and data links use these, the test checks they exist. */
export const UID = {
  executive: 'saasmon-executive',
  revenue: 'saasmon-revenue',
  engagement: 'saasmon-engagement',
  tenants: 'saasmon-tenants',
  tenant: 'saasmon-tenant',
  dr: 'saasmon-dr',
  operations: 'saasmon-operations',
  platform: 'saasmon-platform',
  ai: 'saasmon-ai',
} as const;

/** The saved query of the saasmon datasource, as the query contract defines it (@saasmon/contract). */
export type SaasmonQuery = PanelQuery & { queryType: QueryTypeName };

export interface PromTarget {
  kind: 'prom';
  expr: string;
  legendFormat?: string;
  /** Instant query (stat, table); otherwise a range query. */
  instant?: boolean;
  format?: 'time_series' | 'table';
}

export interface SaasmonTarget {
  kind: 'saasmon';
  query: SaasmonQuery;
}

export type Target = PromTarget | SaasmonTarget;

export function prom(expr: string, legendFormat?: string, opts: Partial<Omit<PromTarget, 'kind' | 'expr'>> = {}): PromTarget {
  return { kind: 'prom', expr, legendFormat, ...opts };
}

/** An instant query, one row per series (for tables and merged instant values). */
export function promTable(expr: string): PromTarget {
  return { kind: 'prom', expr, instant: true, format: 'table' };
}

export function saasmon(query: SaasmonQuery): SaasmonTarget {
  return { kind: 'saasmon', query };
}

export type ThresholdStep = { color: string; value: number | null };
export type Json = Record<string, unknown>;

export function thresholds(base: string, ...steps: Array<[number, string]>): Json {
  return { mode: 'absolute', steps: [{ color: base, value: null }, ...steps.map(([value, color]) => ({ color, value }))] };
}

/** Green when 1, red when 0: the exporter's boolean gauges. */
export const BOOLEAN_MAPPINGS = (yes: string, no: string): Json[] => [
  {
    type: 'value',
    options: {
      '0': { text: no, color: 'red', index: 0 },
      '1': { text: yes, color: 'green', index: 1 },
    },
  },
];

export interface PanelSpec {
  type: string;
  title: string;
  description?: string;
  targets: Target[];
  /** Grid size; panels flow left to right and wrap at 24 columns. */
  w: number;
  h: number;
  defaults?: Json;
  overrides?: Json[];
  options?: Json;
  transformations?: Json[];
  links?: Json[];
  /** Defaults to the datasource of the first target. */
  datasource?: DatasourceRef;
  interval?: string;
  maxDataPoints?: number;
}

export interface RowSpec {
  type: 'row';
  title: string;
}

export type LayoutItem = PanelSpec | RowSpec;

export function row(title: string): RowSpec {
  return { type: 'row', title };
}

type FieldOpts = {
  unit?: string;
  decimals?: number;
  min?: number;
  max?: number;
  thresholds?: Json;
  mappings?: Json[];
  color?: Json;
  custom?: Json;
  links?: Json[];
  noValue?: string;
  displayName?: string;
};

type CommonOpts = FieldOpts & {
  description?: string;
  w?: number;
  h?: number;
  overrides?: Json[];
  options?: Json;
  transformations?: Json[];
  panelLinks?: Json[];
  interval?: string;
};

function fieldDefaults(o: FieldOpts): Json {
  const d: Json = {};
  if (o.unit !== undefined) d.unit = o.unit;
  if (o.decimals !== undefined) d.decimals = o.decimals;
  if (o.min !== undefined) d.min = o.min;
  if (o.max !== undefined) d.max = o.max;
  if (o.noValue !== undefined) d.noValue = o.noValue;
  if (o.displayName !== undefined) d.displayName = o.displayName;
  d.thresholds = o.thresholds ?? thresholds('green');
  d.mappings = o.mappings ?? [];
  d.color = o.color ?? { mode: o.thresholds ? 'thresholds' : 'palette-classic' };
  if (o.custom) d.custom = o.custom;
  if (o.links) d.links = o.links;
  return d;
}

function spec(type: string, title: string, targets: Target[], o: CommonOpts, w: number, h: number, options: Json): PanelSpec {
  return {
    type,
    title,
    description: o.description,
    targets,
    w: o.w ?? w,
    h: o.h ?? h,
    defaults: fieldDefaults(o),
    overrides: o.overrides,
    options: { ...options, ...o.options },
    transformations: o.transformations,
    links: o.panelLinks,
    interval: o.interval,
  };
}

const REDUCE_LAST = { calcs: ['lastNotNull'], fields: '', values: false };

export function stat(title: string, targets: Target[], o: CommonOpts & { textMode?: string; graph?: boolean } = {}): PanelSpec {
  return spec('stat', title, targets, { ...o, color: o.color ?? { mode: 'thresholds' } }, 4, 4, {
    reduceOptions: REDUCE_LAST,
    colorMode: 'value',
    graphMode: o.graph === false ? 'none' : 'area',
    justifyMode: 'auto',
    textMode: o.textMode ?? 'auto',
    orientation: 'auto',
    showPercentChange: false,
    wideLayout: true,
  });
}

export function gauge(title: string, targets: Target[], o: CommonOpts = {}): PanelSpec {
  return spec('gauge', title, targets, { ...o, color: o.color ?? { mode: 'thresholds' } }, 6, 6, {
    reduceOptions: REDUCE_LAST,
    showThresholdLabels: false,
    showThresholdMarkers: true,
    orientation: 'auto',
  });
}

export function barGauge(title: string, targets: Target[], o: CommonOpts & { allValues?: boolean } = {}): PanelSpec {
  return spec('bargauge', title, targets, { ...o, color: o.color ?? { mode: 'thresholds' } }, 8, 8, {
    reduceOptions: o.allValues ? { calcs: [], fields: '', values: true } : REDUCE_LAST,
    orientation: 'horizontal',
    displayMode: 'gradient',
    valueMode: 'color',
    showUnfilled: true,
    namePlacement: 'auto',
    sizing: 'auto',
    minVizHeight: 16,
    minVizWidth: 8,
    maxVizHeight: 300,
  });
}

export function timeseries(
  title: string,
  targets: Target[],
  o: CommonOpts & { stack?: boolean; bars?: boolean; thresholdLine?: boolean } = {},
): PanelSpec {
  const custom: Json = {
    drawStyle: o.bars ? 'bars' : 'line',
    lineWidth: 1,
    fillOpacity: o.bars ? 80 : o.stack ? 40 : 10,
    gradientMode: 'none',
    showPoints: 'never',
    spanNulls: false,
    axisPlacement: 'auto',
    stacking: { mode: o.stack ? 'normal' : 'none', group: 'A' },
    thresholdsStyle: { mode: o.thresholdLine ? 'line+area' : 'off' },
    ...o.custom,
  };
  return spec('timeseries', title, targets, { ...o, custom }, 12, 8, {
    legend: { displayMode: 'list', placement: 'bottom', showLegend: true, calcs: [] },
    tooltip: { mode: 'multi', sort: 'desc' },
  });
}

export function table(
  title: string,
  targets: Target[],
  o: CommonOpts & { sortBy?: Array<{ displayName: string; desc: boolean }> } = {},
): PanelSpec {
  const custom: Json = { align: 'auto', cellOptions: { type: 'auto' }, inspect: false, filterable: false, ...o.custom };
  return spec('table', title, targets, { ...o, custom, color: o.color ?? { mode: 'thresholds' } }, 12, 8, {
    showHeader: true,
    cellHeight: 'sm',
    footer: { show: false, reducer: ['sum'], fields: '', countRows: false },
    sortBy: o.sortBy ?? [],
  });
}

export function stateTimeline(title: string, targets: Target[], o: CommonOpts = {}): PanelSpec {
  return spec(
    'state-timeline',
    title,
    targets,
    { ...o, color: o.color ?? { mode: 'thresholds' }, custom: { fillOpacity: 80, lineWidth: 0 } },
    12,
    8,
    {
      mergeValues: true,
      showValue: 'never',
      alignValue: 'left',
      rowHeight: 0.9,
      legend: { displayMode: 'list', placement: 'bottom', showLegend: true },
      tooltip: { mode: 'single', sort: 'none' },
    },
  );
}

export function barChart(title: string, targets: Target[], o: CommonOpts & { xField?: string; stack?: boolean } = {}): PanelSpec {
  return spec('barchart', title, targets, { ...o, custom: { fillOpacity: 80, lineWidth: 1, gradientMode: 'none', ...o.custom } }, 12, 8, {
    orientation: 'auto',
    xField: o.xField,
    stacking: o.stack ? 'normal' : 'none',
    showValue: 'auto',
    groupWidth: 0.7,
    barWidth: 0.9,
    xTickLabelRotation: 0,
    legend: { displayMode: 'list', placement: 'bottom', showLegend: true, calcs: [] },
    tooltip: { mode: 'multi', sort: 'none' },
  });
}

/** A heatmap of time series as they are (each series a row; no bucketing by Grafana). */
export function heatmap(title: string, targets: Target[], o: CommonOpts = {}): PanelSpec {
  return spec('heatmap', title, targets, o, 12, 8, {
    calculate: false,
    cellGap: 1,
    color: { mode: 'scheme', scheme: 'Oranges', steps: 64, exponent: 0.5, reverse: false, fill: 'dark-orange' },
    yAxis: { axisPlacement: 'left', unit: o.unit },
    rowsFrame: { layout: 'auto' },
    legend: { show: true },
    tooltip: { mode: 'single', yHistogram: false, showColorScale: true },
    cellValues: { unit: o.unit },
  });
}

export function text(title: string, content: string, o: { w?: number; h?: number } = {}): PanelSpec {
  return { type: 'text', title, targets: [], w: o.w ?? 24, h: o.h ?? 3, options: { mode: 'markdown', content } };
}

/** Options of the health-matrix panel (panel-plugin/src/healthmatrix/types.ts). */
export type HealthMatrixOptions =
  | { layout: 'long'; rowField: string; columnField: string; valueField: string }
  | { layout: 'wide'; rowField: string; columnFields: string[] };

/** The health-matrix panel (panel-plugin): rows x columns of colored cells from a table frame. */
export function healthMatrix(
  title: string,
  targets: Target[],
  o: CommonOpts & {
    matrix: HealthMatrixOptions;
    sortRows?: 'worst' | 'average' | 'name' | 'none';
    higherIsBetter?: boolean;
    rowLimit?: number;
  },
): PanelSpec {
  const m = o.matrix;
  return spec(PANEL_PLUGINS.healthMatrix, title, targets, { ...o, color: o.color ?? { mode: 'thresholds' } }, 24, 12, {
    layout: m.layout,
    rowField: m.rowField,
    columnField: m.layout === 'long' ? m.columnField : '',
    valueField: m.layout === 'long' ? m.valueField : '',
    columnFields: m.layout === 'wide' ? m.columnFields : [],
    sortRows: o.sortRows ?? 'worst',
    higherIsBetter: o.higherIsBetter ?? true,
    rowLimit: o.rowLimit ?? 50,
    showValues: true,
    rowHeight: 0,
    colWidth: 0,
    noDataColor: '',
  });
}

/** The alignment-score panel (panel-plugin). */
export function alignment(title: string, targets: Target[], o: CommonOpts = {}): PanelSpec {
  return spec(PANEL_PLUGINS.alignment, title, targets, { ...o, color: o.color ?? { mode: 'thresholds' } }, 12, 12, {
    scoreDisplay: 'ring',
    onTrackFrom: 80,
    atRiskFrom: 50,
    showTrend: true,
    showBreakdown: true,
    columns: ['value', 'target', 'weight', 'score', 'gap'],
    sortKpis: 'gap',
    layout: 'auto',
  });
}

/** Link to another saasmon dashboard, keeping the time range (and variables when asked). */
export function dashboardLink(uid: string, title: string, opts: { vars?: string; tooltip?: string } = {}): Json {
  const query = ['${__url_time_range}', opts.vars].filter(Boolean).join('&');
  return { title, url: `/d/${uid}?${query}`, targetBlank: false, ...(opts.tooltip ? { tooltip: opts.tooltip } : {}) };
}

export interface Variable {
  name: string;
  json: Json;
}

/** A Prometheus label_values() variable. */
export function promVariable(
  name: string,
  label: string,
  query: string,
  o: { multi?: boolean; includeAll?: boolean; allValue?: string } = {},
): Variable {
  return {
    name,
    json: {
      type: 'query',
      name,
      label,
      datasource: DS.prometheus,
      definition: query,
      query: { query, refId: 'PrometheusVariableQueryEditor-VariableQuery', qryType: 1 },
      refresh: 2,
      sort: 1,
      multi: o.multi ?? false,
      includeAll: o.includeAll ?? false,
      ...(o.allValue ? { allValue: o.allValue } : {}),
      current: {},
      options: [],
      regex: '',
      hide: 0,
      skipUrlSync: false,
    },
  };
}

/** A saasmon datasource variable: the `variables` query of the API (plans, event names, ...). */
export function saasmonVariable(
  name: string,
  label: string,
  of: string,
  o: { multi?: boolean; includeAll?: boolean; current?: string[] } = {},
): Variable {
  const current = o.current
    ? { text: o.current, value: o.current, selected: true }
    : o.includeAll
      ? { text: ['All'], value: ['$__all'], selected: true }
      : {};
  return {
    name,
    json: {
      type: 'query',
      name,
      label,
      datasource: DS.saasmon,
      definition: `saasmon: ${of}`,
      query: { of },
      refresh: 1,
      sort: 1,
      multi: o.multi ?? false,
      includeAll: o.includeAll ?? false,
      current,
      options: [],
      regex: '',
      hide: 0,
      skipUrlSync: false,
    },
  };
}

export function customVariable(name: string, label: string, values: string[], current: string): Variable {
  return {
    name,
    json: {
      type: 'custom',
      name,
      label,
      query: values.join(','),
      current: { text: current, value: current, selected: true },
      options: values.map((v) => ({ text: v, value: v, selected: v === current })),
      multi: false,
      includeAll: false,
      hide: 0,
      skipUrlSync: false,
    },
  };
}

/**
 * An annotation from the saasmon datasource: releases, incidents, DR tests or experiments as
 * markers and regions (the `annotations` query type; the plugin's annotation support runs it).
 */
export function saasmonAnnotation(name: string, kinds: AnnotationKind[], iconColor: string): Json {
  return {
    name,
    datasource: DS.saasmon,
    enable: true,
    hide: false,
    iconColor,
    target: { refId: 'Anno', queryType: 'annotations', kinds },
  };
}

/** Deployments and incidents: the two things to look for when a line moves. */
export const RELEASE_AND_INCIDENT_ANNOTATIONS: Json[] = [
  saasmonAnnotation('Releases', ['release'], 'blue'),
  saasmonAnnotation('Incidents', ['incident'], 'red'),
];

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  time?: { from: string; to: string };
  refresh?: string;
  variables?: Variable[];
  links?: Json[];
  annotations?: Json[];
  items: LayoutItem[];
}

const BUILTIN_ANNOTATION = {
  builtIn: 1,
  datasource: { type: 'grafana', uid: '-- Grafana --' },
  enable: true,
  hide: true,
  iconColor: 'rgba(0, 211, 255, 1)',
  name: 'Annotations & Alerts',
  type: 'dashboard',
};

/** A dropdown of every saasmon dashboard, on every dashboard. */
const SAASMON_LINKS = {
  title: 'saasmon',
  type: 'dashboards',
  tags: ['saasmon'],
  asDropdown: true,
  includeVars: false,
  keepTime: true,
  icon: 'external link',
  targetBlank: false,
  tooltip: '',
  url: '',
};

/** The datasource variables, then the exporter's job and instance: first on every dashboard. */
const DATASOURCE_VARIABLES: Json[] = [
  datasourceVariable('prometheus', 'Prometheus', 'prometheus', 'Prometheus (saasmon)', 'saasmon-prometheus'),
  datasourceVariable('saasmon', 'saasmon', 'saasmon-analytics-datasource', 'saasmon analytics', 'saasmon-analytics'),
];

function datasourceVariable(name: string, label: string, pluginId: string, text: string, uid: string): Json {
  return {
    type: 'datasource',
    name,
    label,
    query: pluginId,
    current: { text, value: uid, selected: true },
    options: [],
    refresh: 1,
    regex: '',
    hide: 0,
    multi: false,
    includeAll: false,
    skipUrlSync: false,
  };
}

/**
 * One exporter at a time: `job` and then `instance` (single values, no "All"), so that two replicas
 * of the exporter never double a sum. Every saasmon series of every query is scoped to them.
 */
const SCOPE_VARIABLES: Json[] = [
  promVariable('job', 'saasmon job', 'label_values(saasmon_build_info, job)').json,
  promVariable('instance', 'Exporter', 'label_values(saasmon_build_info{job="$job"}, instance)').json,
];
const SCOPE = 'job="$job", instance="$instance"';

/**
 * Adds the job/instance matchers to every saasmon series selector of a PromQL expression (metric
 * names starting with saasmon_ and recording rules level:saasmon_...:ops), leaving strings,
 * functions, label names and other metrics alone.
 */
export function scopePromQL(expr: string): string {
  let out = '';
  let i = 0;
  while (i < expr.length) {
    const ch = expr[i] as string;
    if (ch === '"' || ch === "'" || ch === '`') {
      let j = i + 1;
      while (j < expr.length && expr[j] !== ch) j += expr[j] === '\\' ? 2 : 1;
      out += expr.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (ch === '{') {
      // Matchers of a selector not ours, copied as they are (ours were handled with the name).
      const j = expr.indexOf('}', i);
      out += expr.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const m = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(expr.slice(i));
    if (!m || (i > 0 && /[a-zA-Z0-9_:.]/.test(expr[i - 1] as string))) {
      out += ch;
      i++;
      continue;
    }
    const name = m[0];
    i += name.length;
    const rest = expr.slice(i);
    if (/^(by|without|on|ignoring|group_left|group_right)$/.test(name) && /^\s*\(/.test(rest)) {
      // A list of label names, not series.
      const close = expr.indexOf(')', i);
      out += name + expr.slice(i, close + 1);
      i = close + 1;
      continue;
    }
    if (!/^saasmon_|^[a-z_]+:saasmon_/.test(name) || /^\s*\(/.test(rest)) {
      out += name;
      continue;
    }
    const brace = /^\s*\{/.exec(rest);
    if (brace) {
      const close = expr.indexOf('}', i);
      const inner = expr.slice(i + brace[0].length, close).trim();
      out += `${name}{${SCOPE}${inner ? `, ${inner}` : ''}}`;
      i = close + 1;
    } else {
      out += `${name}{${SCOPE}}`;
    }
  }
  return out;
}

function targetJson(t: Target, refId: string): Json {
  if (t.kind === 'saasmon') return { refId, datasource: DS.saasmon, ...t.query };
  const j: Json = {
    refId,
    datasource: DS.prometheus,
    expr: scopePromQL(t.expr),
    editorMode: 'code',
    range: !t.instant,
    instant: !!t.instant,
  };
  if (t.legendFormat !== undefined) j.legendFormat = t.legendFormat;
  if (t.format) j.format = t.format;
  return j;
}

const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Places items left to right, wrapping at 24 columns; a row starts a new line. */
function layout(items: LayoutItem[]): Json[] {
  const panels: Json[] = [];
  let x = 0;
  let y = 0;
  let lineHeight = 0;
  let id = 1;
  for (const item of items) {
    if (item.type === 'row') {
      y += lineHeight;
      x = 0;
      lineHeight = 0;
      panels.push({ id: id++, type: 'row', title: item.title, collapsed: false, gridPos: { x: 0, y, w: 24, h: 1 }, panels: [] });
      y += 1;
      continue;
    }
    const p = item as PanelSpec;
    if (x + p.w > 24) {
      y += lineHeight;
      x = 0;
      lineHeight = 0;
    }
    const first = p.targets[0];
    const datasource = p.datasource ?? (first ? (first.kind === 'prom' ? DS.prometheus : DS.saasmon) : undefined);
    const json: Json = { id: id++, type: p.type, title: p.title };
    if (p.description) json.description = p.description;
    json.gridPos = { x, y, w: p.w, h: p.h };
    if (datasource) json.datasource = datasource;
    if (p.targets.length) json.targets = p.targets.map((t, i) => targetJson(t, REF_IDS[i] as string));
    if (p.interval) json.interval = p.interval;
    if (p.type !== 'text') json.fieldConfig = { defaults: p.defaults ?? {}, overrides: p.overrides ?? [] };
    json.options = p.options ?? {};
    if (p.transformations?.length) json.transformations = p.transformations;
    if (p.links?.length) json.links = p.links;
    panels.push(json);
    x += p.w;
    lineHeight = Math.max(lineHeight, p.h);
  }
  return panels;
}

/** The longest default range Prometheus can fill with its default retention (15 days). */
const PROMETHEUS_RANGE = 'now-14d';
const rangeMs = (from: string): number => {
  const m = /^now-(\d+)([mhdwy])$/.exec(from);
  if (!m) return 0;
  const unit = { m: 60e3, h: 3600e3, d: 86_400e3, w: 7 * 86_400e3, y: 365 * 86_400e3 }[m[2] as 'm' | 'h' | 'd' | 'w' | 'y'];
  return Number(m[1]) * unit;
};

/** Money series carry `currency`; shown in that currency's unit (Grafana has a unit per code). */
const CURRENCY_UNITS = ['USD', 'EUR', 'GBP', 'JPY', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'BRL', 'INR', 'ZAR', 'KRW'];
const MONEY_OVERRIDES: Json[] = CURRENCY_UNITS.map((code) => ({
  matcher: { id: 'byRegexp', options: `^(.*\\s)?${code}$` },
  properties: [{ id: 'unit', value: `currency${code}` }],
}));

/** An aggregation that keeps `currency` among its labels: its series are money of one currency each. */
export const KEEPS_CURRENCY = /\bby \([^)]*\bcurrency\b[^)]*\)/;

/**
 * Portability over the specs: datasource and job/instance variables first, every saasmon series
 * scoped to one exporter, money panels in currency units, and a default time range Prometheus's
 * default retention fills; analytics panels (saasmon datasource) of a dashboard declared with a
 * longer range keep it as their own relative time.
 */
function portable(d: DashboardSpec, panels: Json[]): { time: { from: string; to: string }; templating: Json[]; annotations: Json[] } {
  const declared = d.time ?? { from: 'now-30d', to: 'now' };
  const long = rangeMs(declared.from) > rangeMs(PROMETHEUS_RANGE);
  for (const p of panels) {
    const targets = (p.targets as Json[] | undefined) ?? [];
    if (long && targets.length && targets.every((t) => (t.datasource as { type: string }).type === DS.saasmon.type))
      p.timeFrom = declared.from.slice(4);
    if (targets.some((t) => KEEPS_CURRENCY.test(String(t.expr ?? '')))) {
      const fc = p.fieldConfig as { overrides: Json[] } | undefined;
      if (fc) fc.overrides = [...fc.overrides, ...MONEY_OVERRIDES];
    }
  }
  const scopeVariable = (v: Variable): Json => {
    if ((v.json.datasource as { type?: string } | undefined)?.type !== 'prometheus') return v.json;
    const query = scopePromQL(String(v.json.definition));
    return { ...v.json, definition: query, query: { ...(v.json.query as Json), query } };
  };
  return {
    time: long ? { from: PROMETHEUS_RANGE, to: declared.to } : declared,
    templating: [...DATASOURCE_VARIABLES, ...SCOPE_VARIABLES, ...(d.variables ?? []).map(scopeVariable)],
    annotations: (d.annotations ?? []).map((a) => (typeof a.expr === 'string' ? { ...a, expr: scopePromQL(a.expr) } : a)),
  };
}

export function dashboard(d: DashboardSpec): Json {
  const panels = layout(d.items);
  const p = portable(d, panels);
  return {
    uid: d.uid,
    title: d.title,
    description: d.description,
    tags: ['saasmon', ...d.tags],
    timezone: 'utc',
    editable: true,
    graphTooltip: 1,
    fiscalYearStartMonth: 0,
    liveNow: false,
    schemaVersion: SCHEMA_VERSION,
    version: 1,
    weekStart: '',
    time: p.time,
    timepicker: {},
    refresh: d.refresh ?? '1m',
    annotations: { list: [BUILTIN_ANNOTATION, ...p.annotations] },
    links: [SAASMON_LINKS, ...(d.links ?? [])],
    templating: { list: p.templating },
    panels,
  };
}
