import { createDataFrame, FieldType, PanelOptionsEditorBuilder, SelectFieldConfigSettings } from '@grafana/data';
import { initOptionRegistries } from '../testing/registries';
import { plugin } from './module';
import { defaultOptions, Options } from './types';

initOptionRegistries();

function buildItems() {
  const builder = new PanelOptionsEditorBuilder<Options>();
  plugin.getPanelOptionsSupplier()(builder, { data: [] });
  return builder.getItems();
}

const item = (path: string) => buildItems().find((i) => i.path === path)!;

describe('health matrix panel module', () => {
  it('registers the options by path', () => {
    expect(buildItems().map((i) => i.path)).toMatchSnapshot();
  });

  it('takes every default from defaultOptions, every option in a category', () => {
    for (const i of buildItems()) {
      expect([i.path, i.defaultValue]).toEqual([i.path, defaultOptions[i.path as keyof Options]]);
      expect([i.path, Boolean(i.category?.length)]).toEqual([i.path, true]);
    }
    expect(plugin.defaults).toEqual(defaultOptions);
  });

  it('shows the long-form fields unless wide, the column list only when wide', () => {
    const wide = { ...defaultOptions, layout: 'wide' as const };
    const long = { ...defaultOptions, layout: 'long' as const };
    expect([item('columnField').showIf?.(long, undefined), item('columnField').showIf?.(wide, undefined)]).toEqual([true, false]);
    expect([item('valueField').showIf?.(defaultOptions, undefined), item('valueField').showIf?.(wide, undefined)]).toEqual([true, false]);
    expect([item('columnFields').showIf?.(wide, undefined), item('columnFields').showIf?.(long, undefined)]).toEqual([true, false]);
  });

  it('asks "higher is better" only for the worst / average sorts', () => {
    const show = (sortRows: Options['sortRows']) => item('higherIsBetter').showIf?.({ ...defaultOptions, sortRows }, undefined);
    expect([show('worst'), show('average'), show('name'), show('none')]).toEqual([true, true, false, false]);
  });

  it('offers the data’s field names as columns', async () => {
    const settings = item('columnFields').settings as SelectFieldConfigSettings<string[]>;
    const data = [
      createDataFrame({
        fields: [
          { name: 'tenant', type: FieldType.string, values: [] },
          { name: 'activity', type: FieldType.number, values: [] },
        ],
      }),
    ];
    const options = await settings.getOptions!({ data, getSuggestions: () => [] } as never);
    expect(options.map((o) => o.value)).toEqual(['tenant', 'activity']);
  });

  it('colors by thresholds and state mappings by default, and migrates saved options', () => {
    const defaults = plugin.fieldConfigDefaults.defaults;
    expect(defaults.color).toEqual({ mode: 'thresholds' });
    expect(defaults.thresholds?.steps.map((s) => [s.value, s.color])).toEqual([
      [-Infinity, 'red'],
      [25, 'orange'],
      [50, 'yellow'],
      [75, 'green'],
    ]);
    expect(defaults.mappings?.[0].options).toMatchObject({ ok: { color: 'green' }, warn: { color: 'orange' }, fail: { color: 'red' } });
    expect(plugin.onPanelMigration).toBeDefined();
  });
});
