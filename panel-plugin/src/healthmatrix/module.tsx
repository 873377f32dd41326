import {
  FieldColorModeId,
  FieldConfigProperty,
  FieldType,
  MappingType,
  PanelPlugin,
  SelectFieldConfigSettings,
  SelectableValue,
  ThresholdsMode,
} from '@grafana/data';
import { HealthMatrixPanel } from './HealthMatrixPanel';
import { healthMatrixMigrationHandler } from './migrations';
import { STATE_MAPPINGS } from './severity';
import { defaultOptions, Options } from './types';

const DATA = 'Matrix data';
const ROWS = 'Rows';
const CELLS = 'Cells';

const isLong = (o: Options) => o.layout !== 'wide';

export const plugin = new PanelPlugin<Options>(HealthMatrixPanel)
  .setMigrationHandler(healthMatrixMigrationHandler)
  .useFieldConfig({
    standardOptions: {
      [FieldConfigProperty.Color]: {
        settings: { byValueSupport: true, bySeriesSupport: false, preferThresholdsMode: true },
        defaultValue: { mode: FieldColorModeId.Thresholds },
      },
      [FieldConfigProperty.Thresholds]: {
        // Health bands of docs/metrics.md ("Tenant health"): critical < 25, at risk < 50, watch < 75, healthy.
        defaultValue: {
          mode: ThresholdsMode.Absolute,
          steps: [
            { value: -Infinity, color: 'red' },
            { value: 25, color: 'orange' },
            { value: 50, color: 'yellow' },
            { value: 75, color: 'green' },
          ],
        },
      },
      [FieldConfigProperty.Mappings]: {
        defaultValue: [{ type: MappingType.ValueToText, options: STATE_MAPPINGS }],
      },
    },
  })
  .setPanelOptions((builder) =>
    builder
      .addRadio({
        path: 'layout',
        name: 'Data layout',
        description: 'Long: one data row per cell (row, column, value). Wide: one data row per matrix row, a field per column.',
        category: [DATA],
        defaultValue: defaultOptions.layout,
        settings: {
          options: [
            { value: 'auto', label: 'Auto' },
            { value: 'long', label: 'Long' },
            { value: 'wide', label: 'Wide' },
          ],
        },
      })
      .addFieldNamePicker({
        path: 'rowField',
        name: 'Row field',
        description: 'Whose values name the rows. Empty: guessed from the data.',
        category: [DATA],
        defaultValue: defaultOptions.rowField,
        settings: { filter: (f) => f.type === FieldType.string || f.type === FieldType.number },
      })
      .addFieldNamePicker({
        path: 'columnField',
        name: 'Column field',
        description: 'Whose values name the columns. Empty: guessed.',
        category: [DATA],
        defaultValue: defaultOptions.columnField,
        settings: { filter: (f) => f.type === FieldType.string || f.type === FieldType.number },
        showIf: isLong,
      })
      .addFieldNamePicker({
        path: 'valueField',
        name: 'Value field',
        description: 'What colors the cell. Empty: a state/status field, else the first number.',
        category: [DATA],
        defaultValue: defaultOptions.valueField,
        showIf: isLong,
      })
      .addMultiSelect<string[], SelectFieldConfigSettings<string[]>>({
        path: 'columnFields',
        name: 'Column fields',
        description: 'The fields shown as columns. Empty: every numeric field.',
        category: [DATA],
        defaultValue: defaultOptions.columnFields,
        settings: {
          allowCustomValue: true,
          options: [],
          // One option per field name (the builder types a multi-select's options by the array type).
          getOptions: async (context) => {
            const names = new Set((context?.data ?? []).flatMap((frame) => frame.fields.map((f) => f.name)));
            return [...names].map((name) => ({ value: name, label: name }) as unknown as SelectableValue<string[]>);
          },
        },
        showIf: (o) => o.layout === 'wide',
      })
      .addSelect({
        path: 'sortRows',
        name: 'Sort rows',
        category: [ROWS],
        defaultValue: defaultOptions.sortRows,
        settings: {
          options: [
            { value: 'worst', label: 'Worst cell first' },
            { value: 'average', label: 'Worst average first' },
            { value: 'name', label: 'Name' },
            { value: 'none', label: 'Query order' },
          ],
        },
      })
      .addBooleanSwitch({
        path: 'higherIsBetter',
        name: 'Higher is better',
        description: 'Off for values where high is bad (errors, lag, age): worst then means highest.',
        category: [ROWS],
        defaultValue: defaultOptions.higherIsBetter,
        showIf: (o) => o.sortRows === 'worst' || o.sortRows === 'average',
      })
      .addNumberInput({
        path: 'rowLimit',
        name: 'Rows per page',
        description: '0 shows every row.',
        category: [ROWS],
        defaultValue: defaultOptions.rowLimit,
        settings: { min: 0, integer: true },
      })
      .addNumberInput({
        path: 'rowHeight',
        name: 'Row height',
        description: 'Pixels; 0 fits the rows to the panel.',
        category: [CELLS],
        defaultValue: defaultOptions.rowHeight,
        settings: { min: 0, max: 200, integer: true },
      })
      .addNumberInput({
        path: 'colWidth',
        name: 'Column width',
        description: 'Pixels; 0 shares the panel width.',
        category: [CELLS],
        defaultValue: defaultOptions.colWidth,
        settings: { min: 0, max: 500, integer: true },
      })
      .addBooleanSwitch({
        path: 'showValues',
        name: 'Show values',
        description: 'Values are hidden anyway in cells too small to read them.',
        category: [CELLS],
        defaultValue: defaultOptions.showValues,
      })
      .addColorPicker({
        path: 'noDataColor',
        name: 'No-data color',
        description: 'Cells without a value (a value mapping for null takes precedence). Empty: the theme background.',
        category: [CELLS],
        defaultValue: defaultOptions.noDataColor,
      }),
  );
