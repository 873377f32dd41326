import { FieldColorModeId, FieldConfigProperty, PanelPlugin, SelectableValue, ThresholdsMode } from '@grafana/data';
import { AlignmentPanel } from './AlignmentPanel';
import { alignmentMigrationHandler } from './migrations';
import { defaultOptions, KpiColumn, Options } from './types';

const COLUMN_OPTIONS: Array<SelectableValue<KpiColumn>> = [
  { value: 'value', label: 'Value' },
  { value: 'target', label: 'Target' },
  { value: 'weight', label: 'Weight' },
  { value: 'score', label: 'Score' },
  { value: 'gap', label: 'Gap (points lost)' },
];

const SCORE = 'Score';
const BREAKDOWN = 'KPI breakdown';

export const plugin = new PanelPlugin<Options>(AlignmentPanel)
  .setMigrationHandler(alignmentMigrationHandler)
  .useFieldConfig({
    standardOptions: {
      [FieldConfigProperty.Min]: { defaultValue: 0 },
      [FieldConfigProperty.Max]: { defaultValue: 100 },
      [FieldConfigProperty.Color]: {
        settings: { byValueSupport: true, bySeriesSupport: false, preferThresholdsMode: true },
        defaultValue: { mode: FieldColorModeId.Thresholds },
      },
      [FieldConfigProperty.Thresholds]: {
        defaultValue: {
          mode: ThresholdsMode.Absolute,
          steps: [
            { value: -Infinity, color: 'red' },
            { value: defaultOptions.atRiskFrom, color: 'orange' },
            { value: defaultOptions.onTrackFrom, color: 'green' },
          ],
        },
      },
    },
  })
  .setPanelOptions((builder) =>
    builder
      .addRadio({
        path: 'scoreDisplay',
        name: 'Score display',
        category: [SCORE],
        defaultValue: defaultOptions.scoreDisplay,
        settings: {
          options: [
            { value: 'ring', label: 'Ring' },
            { value: 'gauge', label: 'Gauge' },
          ],
        },
      })
      .addNumberInput({
        path: 'onTrackFrom',
        name: 'On track from',
        description: 'Scores at or above this are on track. Keep the thresholds in step: they give the color.',
        category: [SCORE],
        defaultValue: defaultOptions.onTrackFrom,
        settings: { min: 0, max: 100, integer: false },
      })
      .addNumberInput({
        path: 'atRiskFrom',
        name: 'At risk from',
        description: 'Scores from this up to "on track" are at risk; below it, off track.',
        category: [SCORE],
        defaultValue: defaultOptions.atRiskFrom,
        settings: { min: 0, max: 100, integer: false },
      })
      .addBooleanSwitch({
        path: 'showTrend',
        name: 'Show trend',
        description: "The score's change over the time range, when the score query is a range query.",
        category: [SCORE],
        defaultValue: defaultOptions.showTrend,
      })
      .addRadio({
        path: 'layout',
        name: 'Layout',
        description: 'Breakdown under the score, beside it, or beside it when the panel is wide.',
        category: [SCORE],
        defaultValue: defaultOptions.layout,
        settings: {
          options: [
            { value: 'auto', label: 'Auto' },
            { value: 'vertical', label: 'Under' },
            { value: 'horizontal', label: 'Beside' },
          ],
        },
        showIf: (o) => o.showBreakdown,
      })
      .addBooleanSwitch({
        path: 'showBreakdown',
        name: 'Show KPI breakdown',
        category: [BREAKDOWN],
        defaultValue: defaultOptions.showBreakdown,
      })
      .addMultiSelect({
        path: 'columns',
        name: 'Columns',
        category: [BREAKDOWN],
        defaultValue: defaultOptions.columns,
        // The builder types a multi-select's options by the option's type (an array); each is one column.
        settings: { options: COLUMN_OPTIONS as unknown as Array<SelectableValue<KpiColumn[]>> },
        showIf: (o) => o.showBreakdown,
      })
      .addSelect({
        path: 'sortKpis',
        name: 'Sort KPIs by',
        category: [BREAKDOWN],
        defaultValue: defaultOptions.sortKpis,
        settings: {
          options: [
            { value: 'gap', label: 'Weighted gap (priority first)' },
            { value: 'score', label: 'Score, lowest first' },
            { value: 'weight', label: 'Weight, highest first' },
            { value: 'name', label: 'Name' },
          ],
        },
        showIf: (o) => o.showBreakdown,
      }),
  );
