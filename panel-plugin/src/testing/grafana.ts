import {
  applyFieldOverrides,
  createTheme,
  DataFrame,
  FieldConfigSource,
  GrafanaTheme2,
  LoadingState,
  PanelData,
  PanelPlugin,
  ScopedVars,
  TimeRange,
  dateTime,
  EventBusSrv,
  PanelProps,
} from '@grafana/data';
import { initOptionRegistries } from './registries';

export type ThemeMode = 'light' | 'dark';

export function themeFor(mode: ThemeMode): GrafanaTheme2 {
  return createTheme({ colors: { mode } });
}

/**
 * What Grafana's template service does for data links, reduced to the row variables
 * `${__data.fields.<name>}` (URL-encoded) and `${__value.raw}`: enough for drill-down links.
 */
export function replaceVariables(value: string, scopedVars?: ScopedVars): string {
  const ctx = scopedVars?.__dataContext?.value as { frame?: DataFrame; rowIndex?: number; field?: { values: unknown[] } } | undefined;
  const row = ctx?.rowIndex;
  return value
    .replace(/\$\{__data\.fields\.([^}:]+)(?::[^}]*)?\}/g, (_, name: string) => {
      const field = ctx?.frame?.fields.find((f) => f.name === name);
      return field && row !== undefined ? encodeURIComponent(String(field.values[row])) : '';
    })
    .replace(/\$\{__value\.raw\}/g, () => (ctx?.field && row !== undefined ? encodeURIComponent(String(ctx.field.values[row])) : ''));
}

export const TIME_RANGE: TimeRange = (() => {
  const to = dateTime(Date.UTC(2025, 5, 30, 12));
  const from = dateTime(Date.UTC(2025, 5, 23, 12));
  return { from, to, raw: { from: 'now-7d', to: 'now' } };
})();

/**
 * Frames as a panel receives them in Grafana: the plugin's field-config defaults merged under the
 * panel's, overrides applied and display processors set by applyFieldOverrides with a real theme.
 */
export function prepareFrames(
  plugin: PanelPlugin,
  frames: DataFrame[],
  fieldConfig: Partial<FieldConfigSource> = {},
  theme: GrafanaTheme2 = themeFor('dark'),
): DataFrame[] {
  initOptionRegistries();
  const pluginDefaults = plugin.fieldConfigDefaults.defaults;
  return applyFieldOverrides({
    data: frames,
    fieldConfig: {
      defaults: { ...pluginDefaults, ...fieldConfig.defaults },
      overrides: fieldConfig.overrides ?? [],
    },
    fieldConfigRegistry: plugin.fieldConfigRegistry,
    replaceVariables,
    theme,
    timeZone: 'utc',
  });
}

export function panelData(series: DataFrame[]): PanelData {
  return { state: LoadingState.Done, series, timeRange: TIME_RANGE };
}

/** Everything Grafana passes a panel, for a panel shown outside Grafana (tests and the harness). */
export function panelProps<T>(args: {
  series: DataFrame[];
  options: T;
  fieldConfig?: Partial<FieldConfigSource>;
  width?: number;
  height?: number;
}): PanelProps<T> {
  return {
    id: 1,
    data: panelData(args.series),
    timeRange: TIME_RANGE,
    timeZone: 'utc',
    options: args.options,
    fieldConfig: { defaults: {}, overrides: [], ...args.fieldConfig },
    transparent: false,
    width: args.width ?? 600,
    height: args.height ?? 400,
    renderCounter: 0,
    title: 'Panel',
    eventBus: new EventBusSrv(),
    onOptionsChange: () => {},
    onFieldConfigChange: () => {},
    replaceVariables: (v: string) => v,
    onChangeTimeRange: () => {},
  };
}
