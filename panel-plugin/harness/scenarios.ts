import { DataFrame, FieldConfigSource, ThresholdsMode } from '@grafana/data';
import {
  ADOPTION_FIELD_CONFIG,
  AI_MODELS_FIELD_CONFIG,
  aiModelsFrame,
  alignmentPromTableFrames,
  alignmentSeriesFrames,
  drStatusFrame,
  featureAdoptionFrame,
  manyTenants,
  platformHealthFrame,
  serviceRegionSeries,
  TENANT_LINK,
  tenantHealthFrame,
  wideNumbersFrame,
} from '../src/testing/fixtures';

export type PanelName = 'alignment' | 'healthmatrix';

export interface Scenario {
  panel: PanelName;
  title: string;
  frames: () => DataFrame[];
  options?: Record<string, unknown>;
  fieldConfig?: Partial<FieldConfigSource>;
  width: number;
  height: number;
}

export const PLUGIN_IDS: Record<PanelName, string> = {
  alignment: 'saasmon-alignment-panel',
  healthmatrix: 'saasmon-healthmatrix-panel',
};

/** What the browser test renders, by name (?scenario=...). */
export const SCENARIOS: Record<string, Scenario> = {
  alignment: {
    panel: 'alignment',
    title: 'Operational alignment',
    frames: () => alignmentSeriesFrames(),
    width: 760,
    height: 520,
  },
  'alignment-table': {
    panel: 'alignment',
    title: 'Operational alignment (table format, gauge)',
    frames: () => alignmentPromTableFrames(),
    options: { scoreDisplay: 'gauge', layout: 'vertical' },
    width: 520,
    height: 640,
  },
  'alignment-empty': {
    panel: 'alignment',
    title: 'Operational alignment (no data)',
    frames: () => [],
    width: 480,
    height: 240,
  },
  healthmatrix: {
    panel: 'healthmatrix',
    title: 'Tenant health',
    frames: () => [tenantHealthFrame()],
    fieldConfig: { defaults: { links: [TENANT_LINK] } },
    width: 760,
    height: 420,
  },
  'healthmatrix-adoption': {
    panel: 'healthmatrix',
    title: 'Feature adoption by plan',
    frames: () => [featureAdoptionFrame()],
    fieldConfig: ADOPTION_FIELD_CONFIG,
    options: { sortRows: 'name' },
    width: 600,
    height: 320,
  },
  'healthmatrix-dr': {
    panel: 'healthmatrix',
    title: 'DR checks by location',
    frames: () => [drStatusFrame()],
    options: { noDataColor: 'transparent' },
    width: 600,
    height: 300,
  },
  'healthmatrix-services': {
    panel: 'healthmatrix',
    title: 'HTTP error ratio by service and region',
    frames: () => serviceRegionSeries(),
    options: { higherIsBetter: false },
    fieldConfig: {
      defaults: {
        unit: 'percentunit',
        decimals: 1,
        thresholds: {
          mode: ThresholdsMode.Absolute,
          steps: [
            { value: -Infinity, color: 'green' },
            { value: 0.005, color: 'orange' },
            { value: 0.009, color: 'red' },
          ],
        },
      },
    },
    width: 600,
    height: 300,
  },
  'healthmatrix-platform': {
    panel: 'healthmatrix',
    title: 'Platform health by host (utilisation)',
    frames: () => [platformHealthFrame()],
    options: { higherIsBetter: false, noDataColor: 'transparent' },
    fieldConfig: {
      defaults: {
        unit: 'percentunit',
        decimals: 0,
        thresholds: {
          mode: ThresholdsMode.Absolute,
          steps: [
            { value: -Infinity, color: 'green' },
            { value: 0.8, color: 'orange' },
            { value: 0.9, color: 'red' },
          ],
        },
      },
    },
    width: 640,
    height: 320,
  },
  'healthmatrix-ai': {
    panel: 'healthmatrix',
    title: 'AI Performance: models at a glance',
    frames: () => [aiModelsFrame()],
    fieldConfig: AI_MODELS_FIELD_CONFIG,
    options: { layout: 'wide', rowField: 'model', sortRows: 'name' },
    width: 640,
    height: 232,
  },
  'healthmatrix-paged': {
    panel: 'healthmatrix',
    title: 'Tenant health (120 tenants)',
    frames: () => [tenantHealthFrame(manyTenants(120))],
    fieldConfig: { defaults: { links: [TENANT_LINK] } },
    options: { rowLimit: 25 },
    width: 760,
    height: 600,
  },
  'healthmatrix-2000': {
    panel: 'healthmatrix',
    title: '2,000 cells (100 services x 20 checks)',
    frames: () => [wideNumbersFrame(100, 20)],
    options: { rowLimit: 0, sortRows: 'name' },
    width: 1000,
    height: 700,
  },
  'healthmatrix-empty': {
    panel: 'healthmatrix',
    title: 'Tenant health (no data)',
    frames: () => [],
    width: 480,
    height: 240,
  },
};
