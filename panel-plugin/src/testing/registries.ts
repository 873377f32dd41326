import {
  booleanOverrideProcessor,
  dataLinksOverrideProcessor,
  displayNameOverrideProcessor,
  FieldConfigProperty,
  FieldConfigPropertyItem,
  FieldType,
  identityOverrideProcessor,
  numberOverrideProcessor,
  standardEditorsRegistry,
  StandardEditorsRegistryItem,
  standardFieldConfigEditorRegistry,
  stringOverrideProcessor,
  thresholdsOverrideProcessor,
  unitOverrideProcessor,
  valueMappingsOverrideProcessor,
} from '@grafana/data';

/**
 * Grafana fills these two registries at start-up from its own source (option editors and the
 * standard field options with their processors). Outside Grafana (Jest, the browser harness) they
 * are empty, so the builders could not add options and applyFieldOverrides would skip every field
 * option. This registers the standard field options with @grafana/data's real processors; the
 * editors are placeholders because nothing here renders the options pane.
 */
const EDITOR_IDS = [
  'number',
  'slider',
  'text',
  'strings',
  'select',
  'multi-select',
  'radio',
  'boolean',
  'color',
  'timezone',
  'unit',
  'field-name',
  'dashboard-uid',
  'thresholds',
  'mappings',
  'links',
  'fieldColor',
];

const NoEditor = () => null;

const isNumber = (f: { type: FieldType }) => f.type === FieldType.number;
const always = () => true;

function item(
  id: FieldConfigProperty,
  process: FieldConfigPropertyItem['process'],
  shouldApply: FieldConfigPropertyItem['shouldApply'] = always,
): FieldConfigPropertyItem {
  return { id, path: id, name: id, editor: NoEditor, override: NoEditor, process, shouldApply, settings: {} };
}

let done = false;

export function initOptionRegistries() {
  if (done) {
    return;
  }
  done = true;
  standardEditorsRegistry.setInit(() => EDITOR_IDS.map((id): StandardEditorsRegistryItem => ({ id, name: id, editor: NoEditor })));
  standardFieldConfigEditorRegistry.setInit(() => [
    item(FieldConfigProperty.Unit, unitOverrideProcessor),
    item(FieldConfigProperty.Min, numberOverrideProcessor, isNumber),
    item(FieldConfigProperty.Max, numberOverrideProcessor, isNumber),
    item(FieldConfigProperty.FieldMinMax, booleanOverrideProcessor, isNumber),
    item(FieldConfigProperty.Decimals, numberOverrideProcessor),
    item(FieldConfigProperty.DisplayName, displayNameOverrideProcessor),
    item(FieldConfigProperty.NoValue, stringOverrideProcessor),
    item(FieldConfigProperty.Thresholds, thresholdsOverrideProcessor),
    item(FieldConfigProperty.Mappings, valueMappingsOverrideProcessor),
    item(FieldConfigProperty.Color, identityOverrideProcessor),
    item(FieldConfigProperty.Links, dataLinksOverrideProcessor),
  ]);
}
