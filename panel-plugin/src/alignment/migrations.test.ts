import { PanelModel } from '@grafana/data';
import { alignmentMigrationHandler } from './migrations';
import { defaultOptions, Options } from './types';

const panel = (options: object, pluginVersion?: string) =>
  ({ id: 1, type: 'saasmon-alignment-panel', options, fieldConfig: { defaults: {}, overrides: [] }, pluginVersion }) as PanelModel<Options>;

describe('alignment panel migrations', () => {
  it('from 0.x: bands object, showColumns and the donut display become today’s options', () => {
    const migrated = alignmentMigrationHandler(
      panel({ bands: { onTrack: 85, atRisk: 60 }, showColumns: ['score', 'weight', 'trend'], display: 'donut', legacy: 1 }, '0.3.0'),
    );
    expect(migrated).toMatchSnapshot();
  });

  it('from a panel without a version (new or hand-written JSON): the defaults', () => {
    expect(alignmentMigrationHandler(panel({}))).toEqual(defaultOptions);
  });

  it('from 1.x: options are kept as they are', () => {
    const saved: Options = { ...defaultOptions, scoreDisplay: 'gauge', sortKpis: 'name', columns: ['score'], onTrackFrom: 90 };
    expect(alignmentMigrationHandler(panel(saved, '1.0.0'))).toEqual(saved);
  });

  it('repairs values no version could have saved and is idempotent', () => {
    const migrated = alignmentMigrationHandler(panel({ onTrackFrom: 40, atRiskFrom: 60, layout: 'diagonal', showTrend: 'yes' }));
    expect(migrated).toMatchObject({ onTrackFrom: 40, atRiskFrom: 40, layout: 'auto', showTrend: true });
    expect(alignmentMigrationHandler(panel(migrated))).toEqual(migrated);
  });
});
