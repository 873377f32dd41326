import { PanelOptionsEditorBuilder } from '@grafana/data';
import { initOptionRegistries } from '../testing/registries';
import { plugin } from './module';
import { defaultOptions, Options } from './types';

initOptionRegistries();

function buildItems() {
  const builder = new PanelOptionsEditorBuilder<Options>();
  plugin.getPanelOptionsSupplier()(builder, { data: [] });
  return builder.getItems();
}

describe('alignment panel module', () => {
  it('registers the options by path', () => {
    expect(buildItems().map((i) => i.path)).toMatchSnapshot();
  });

  it('takes every default from defaultOptions', () => {
    for (const item of buildItems()) {
      expect([item.path, item.defaultValue]).toEqual([item.path, defaultOptions[item.path as keyof Options]]);
    }
    expect(plugin.defaults).toEqual(defaultOptions);
  });

  it('puts every option in a category', () => {
    expect(buildItems().filter((i) => !i.category?.length)).toEqual([]);
  });

  it('shows the breakdown options only with the breakdown', () => {
    const items = buildItems();
    const on = { ...defaultOptions, showBreakdown: true };
    const off = { ...defaultOptions, showBreakdown: false };
    for (const path of ['columns', 'sortKpis', 'layout']) {
      const item = items.find((i) => i.path === path)!;
      expect([path, item.showIf?.(on, undefined), item.showIf?.(off, undefined)]).toEqual([path, true, false]);
    }
  });

  it('colors by thresholds by default, bands as the status defaults, and migrates saved options', () => {
    const defaults = plugin.fieldConfigDefaults.defaults;
    expect(defaults.color).toEqual({ mode: 'thresholds' });
    expect(defaults.thresholds?.steps.map((s) => s.value)).toEqual([-Infinity, 50, 80]);
    expect(plugin.onPanelMigration).toBeDefined();
  });
});
