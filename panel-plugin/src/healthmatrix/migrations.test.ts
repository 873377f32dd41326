import { PanelModel } from '@grafana/data';
import { healthMatrixMigrationHandler } from './migrations';
import { defaultOptions, Options } from './types';

const panel = (options: object, pluginVersion?: string) =>
  ({
    id: 1,
    type: 'saasmon-healthmatrix-panel',
    options,
    fieldConfig: { defaults: {}, overrides: [] },
    pluginVersion,
  }) as PanelModel<Options>;

describe('health matrix panel migrations', () => {
  it('from 0.x: perPage, sort and showValue become rowLimit, sortRows and showValues', () => {
    expect(
      healthMatrixMigrationHandler(
        panel({ perPage: 25, sort: 'worst-first', showValue: 'never', rowField: 'tenant', cellGap: 2 }, '0.2.0'),
      ),
    ).toMatchSnapshot();
  });

  it('from a panel without a version: the defaults', () => {
    expect(healthMatrixMigrationHandler(panel({}))).toEqual(defaultOptions);
  });

  it('from 1.x: options are kept as they are (the provisioned dashboards’ options included)', () => {
    const saved: Options = {
      ...defaultOptions,
      rowField: 'check',
      columnField: 'location',
      valueField: 'state',
      sortRows: 'worst',
      rowLimit: 50,
      showValues: true,
    };
    expect(healthMatrixMigrationHandler(panel(saved, '1.0.0'))).toEqual(saved);
  });

  it('repairs values no version could have saved and is idempotent', () => {
    const migrated = healthMatrixMigrationHandler(
      panel({ rowLimit: -5, rowHeight: 20.7, layout: 'tall', columnFields: ['a', 3], sortRows: 'random' }),
    );
    expect(migrated).toMatchObject({ rowLimit: 50, rowHeight: 20, layout: 'auto', columnFields: ['a'], sortRows: 'worst' });
    expect(healthMatrixMigrationHandler(panel(migrated))).toEqual(migrated);
  });
});
