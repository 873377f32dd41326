import { FieldType, MappingType, SpecialValueMatch } from '@grafana/data';
import { createDataFrame } from '@grafana/data';
import { drStatusFrame, tenantHealthFrame } from '../testing/fixtures';
import { prepareFrames, themeFor } from '../testing/grafana';
import { cellLook } from './cellLook';
import { MatrixCell } from './matrixData';
import { plugin } from './module';

const dark = themeFor('dark');
const light = themeFor('light');

function cellOf(frame: ReturnType<typeof createDataFrame>, field: string, row: number, theme = dark, fieldConfig = {}): MatrixCell {
  const [prepared] = prepareFrames(plugin, [frame], fieldConfig, theme);
  const f = prepared.fields.find((x) => x.name === field)!;
  return { value: f.values[row], field: f, frame: prepared, rowIndex: row };
}

describe('cellLook', () => {
  it('colors numbers from the default health thresholds with contrasting text', () => {
    // Globex (first row): score 30 is orange (25-50), payment 0 red, Acme's activity 92 green.
    const frame = tenantHealthFrame();
    for (const [field, row, color] of [
      ['score', 0, 'orange'],
      ['payment', 0, 'red'],
      ['activity', 8, 'green'],
    ] as const) {
      const look = cellLook(cellOf(frame, field, row), dark, '');
      expect([field, look.background]).toEqual([field, dark.visualization.getColorByName(color)]);
      expect(look.color).toBe(dark.colors.getContrastText(look.background));
    }
    expect(cellLook(cellOf(frame, 'score', 0), dark, '').text).toBe('30');
  });

  it('colors states with the default value mappings ok / warn / fail', () => {
    const frame = drStatusFrame();
    const state = (row: number, theme = dark) => cellLook(cellOf(frame, 'state', row, theme), theme, '');
    expect(state(0).background).toBe(dark.visualization.getColorByName('green'));
    expect(state(2).background).toBe(dark.visualization.getColorByName('orange'));
    expect(state(4)).toMatchObject({ background: dark.visualization.getColorByName('red'), text: 'fail' });
    expect(state(4, light).background).toBe(light.visualization.getColorByName('red'));
  });

  it('shows a null in the no-data color: the theme background, or the one chosen', () => {
    const frame = tenantHealthFrame();
    const hooli = frame.fields[1].values.indexOf('Hooli');
    expect(cellLook(cellOf(frame, 'support', hooli), dark, '')).toMatchObject({
      background: dark.colors.background.secondary,
      empty: true,
      text: '',
    });
    expect(cellLook(cellOf(frame, 'support', hooli), dark, 'purple').background).toBe(dark.visualization.getColorByName('purple'));
    expect(cellLook(undefined, light, '').background).toBe(light.colors.background.secondary);
    // Transparent cells keep the panel's text color.
    expect(cellLook(undefined, light, 'transparent').color).toBe(light.colors.text.secondary);
  });

  it('lets a value mapping for null take precedence over the no-data color', () => {
    const frame = createDataFrame({ fields: [{ name: 'v', type: FieldType.number, values: [null] }] });
    const mappings = [
      { type: MappingType.SpecialValue, options: { match: SpecialValueMatch.Null, result: { text: 'never ran', color: 'blue' } } },
    ];
    const look = cellLook(cellOf(frame, 'v', 0, dark, { defaults: { mappings } }), dark, 'purple');
    expect(look).toMatchObject({ background: dark.visualization.getColorByName('blue'), text: 'never ran', empty: true });
  });
});
