import React, { ComponentType } from 'react';
import { render } from '@testing-library/react';
import { DataFrame, FieldConfigSource, PanelPlugin, PanelProps } from '@grafana/data';
import { ThemeContext } from '@grafana/ui';
import { panelProps, prepareFrames, ThemeMode, themeFor } from './grafana';

export interface RenderPanelArgs<T> {
  plugin: PanelPlugin<T>;
  options?: Partial<T>;
  frames: DataFrame[];
  fieldConfig?: Partial<FieldConfigSource>;
  mode?: ThemeMode;
  width?: number;
  height?: number;
}

/** Renders a panel the way Grafana would: plugin defaults under the options, field overrides applied, a theme. */
export function renderPanel<T>(args: RenderPanelArgs<T>) {
  const theme = themeFor(args.mode ?? 'dark');
  const series = prepareFrames(args.plugin as PanelPlugin, args.frames, args.fieldConfig, theme);
  const options = { ...(args.plugin.defaults as T), ...args.options } as T;
  const Panel = args.plugin.panel as ComponentType<PanelProps<T>>;
  const props = panelProps<T>({ series, options, fieldConfig: args.fieldConfig, width: args.width, height: args.height });
  const result = render(
    <ThemeContext.Provider value={theme}>
      <Panel {...props} />
    </ThemeContext.Provider>,
  );
  return { ...result, theme, series, props };
}
