import React, { Component, ComponentType, ReactNode, useEffect } from 'react';
import * as ReactDOM from 'react-dom';
import { createRoot } from 'react-dom/client';
import * as jsxRuntime from 'react/jsx-runtime';
import * as emotionCss from '@emotion/css';
import * as grafanaData from '@grafana/data';
import { PanelPlugin, PanelProps } from '@grafana/data';
import * as grafanaUi from '@grafana/ui';
import { ThemeContext } from '@grafana/ui';
import { panelProps, prepareFrames, ThemeMode, themeFor } from '../src/testing/grafana';
import { installDefine, loadPluginModule } from './amd';
import { PLUGIN_IDS, SCENARIOS } from './scenarios';

/** What the browser test reads back from the page. */
interface HarnessState {
  ready: boolean;
  error?: string;
  /** From React render to the next animation frame, in ms (reported, never asserted). */
  renderMs?: number;
  /** Palette colors as the page's theme resolves them, for the test's pixel checks. */
  colors?: Record<string, string>;
}

declare global {
  interface Window {
    __harness: HarnessState;
  }
}

window.__harness = { ready: false };

installDefine({
  react: React,
  'react-dom': ReactDOM,
  'react/jsx-runtime': jsxRuntime,
  '@emotion/css': emotionCss,
  '@grafana/data': grafanaData,
  '@grafana/ui': grafanaUi,
});

class ErrorBoundary extends Component<{ children: ReactNode }, { error?: Error }> {
  state: { error?: Error } = {};
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  componentDidCatch(error: Error) {
    window.__harness = { ready: true, error: `panel crashed: ${error.message}` };
  }
  render() {
    return this.state.error ? <pre>{String(this.state.error)}</pre> : this.props.children;
  }
}

const PALETTE = ['red', 'orange', 'yellow', 'green'];
const CHROME_HEADER = 32;
const CHROME_PADDING = 8;

function Rendered({ onRendered }: { onRendered: () => void }) {
  useEffect(() => {
    requestAnimationFrame(() => onRendered());
  }, [onRendered]);
  return null;
}

async function main() {
  const params = new URLSearchParams(window.location.search);
  const name = params.get('scenario') ?? 'alignment';
  const mode: ThemeMode = params.get('theme') === 'light' ? 'light' : 'dark';
  const scenario = SCENARIOS[name];
  if (!scenario) {
    throw new Error(`unknown scenario ${name}`);
  }
  const theme = themeFor(mode);
  // Grafana's root font size, which its rem-based typography assumes.
  document.documentElement.style.fontSize = `${theme.typography.htmlFontSize}px`;
  document.body.style.margin = '0';
  document.body.style.background = theme.colors.background.canvas;
  document.body.style.color = theme.colors.text.primary;
  document.body.style.fontFamily = theme.typography.fontFamily;
  document.body.style.fontSize = `${theme.typography.fontSize}px`;

  const exports = await loadPluginModule(`/plugins/${PLUGIN_IDS[scenario.panel]}/module.js`);
  const plugin = exports.plugin as PanelPlugin;
  const Panel = plugin.panel as ComponentType<PanelProps>;
  const series = prepareFrames(plugin, scenario.frames(), scenario.fieldConfig, theme);
  const width = scenario.width - 2 * CHROME_PADDING;
  const height = scenario.height - CHROME_HEADER - 2 * CHROME_PADDING;
  const props = panelProps({
    series,
    options: { ...plugin.defaults, ...scenario.options },
    fieldConfig: scenario.fieldConfig,
    width,
    height,
  });

  const started = performance.now();
  const done = () => {
    if (!window.__harness.error) {
      const colors = Object.fromEntries(PALETTE.map((name) => [name, theme.visualization.getColorByName(name)]));
      window.__harness = { ready: true, renderMs: Math.round(performance.now() - started), colors };
    }
  };
  createRoot(document.getElementById('root')!).render(
    <ThemeContext.Provider value={theme}>
      <div
        id="panel"
        data-plugin={plugin.meta?.id ?? PLUGIN_IDS[scenario.panel]}
        style={{
          display: 'inline-block',
          margin: 16,
          width: scenario.width,
          height: scenario.height,
          boxSizing: 'border-box',
          background: theme.colors.background.primary,
          border: `1px solid ${theme.colors.border.weak}`,
          borderRadius: theme.shape.radius.default,
          overflow: 'hidden',
        }}
      >
        <div
          style={{
            height: CHROME_HEADER,
            lineHeight: `${CHROME_HEADER}px`,
            padding: `0 ${CHROME_PADDING}px`,
            fontWeight: theme.typography.fontWeightMedium,
          }}
        >
          {scenario.title}
        </div>
        <div style={{ padding: CHROME_PADDING, position: 'relative' }}>
          <ErrorBoundary>
            <Panel {...props} />
            <Rendered onRendered={done} />
          </ErrorBoundary>
        </div>
      </div>
    </ThemeContext.Provider>,
  );
}

main().catch((e: unknown) => {
  window.__harness = { ready: true, error: String(e) };
  document.body.textContent = String(e);
});
