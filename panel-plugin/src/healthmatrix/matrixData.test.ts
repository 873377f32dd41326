import { createDataFrame, FieldType } from '@grafana/data';
import { drStatusFrame, featureAdoptionFrame, serviceRegionSeries, tenantHealthFrame } from '../testing/fixtures';
import { Matrix, readMatrix } from './matrixData';
import { defaultOptions, Options } from './types';

function matrix(frames: Parameters<typeof readMatrix>[0], options: Partial<Options> = {}): Matrix {
  const reading = readMatrix(frames, { ...defaultOptions, ...options });
  if (!reading.ok) {
    throw new Error(`expected a matrix, got ${reading.title}: ${reading.detail}`);
  }
  return reading.matrix;
}

const grid = (m: Matrix) => m.rows.map((r) => [r.key, ...r.cells.map((c) => (c ? c.value : '-'))]);

describe('readMatrix', () => {
  it('reads tenant_health as a wide table: a row per tenant by name, the numeric fields as columns', () => {
    const m = matrix([tenantHealthFrame()]);
    expect(m.layout).toBe('wide');
    expect(m.rowTitle).toBe('name');
    expect(m.columns.map((c) => c.key)).toEqual(['score', 'activity', 'adoption', 'payment', 'support']);
    expect(grid(m)[0]).toEqual(['Globex', 30, 35, 40, 0, 50]);
    expect(m.rows.find((r) => r.key === 'Hooli')!.cells[4]!.value).toBeNull();
  });

  it('takes the row field and the columns from the options', () => {
    const m = matrix([tenantHealthFrame()], { rowField: 'tenant', columnFields: ['activity', 'risk'] });
    expect(grid(m)[0]).toEqual(['t-globex', 35, 'at_risk']);
  });

  it('reads feature adoption as a long table: features x plans, the adoption ratio in the cells', () => {
    const m = matrix([featureAdoptionFrame()]);
    expect(m.layout).toBe('long');
    expect(m.used).toEqual({ row: 'feature', column: 'plan', value: 'adoption' });
    expect(m.columns.map((c) => c.key)).toEqual(['all', 'enterprise', 'free', 'pro']);
    // alerts: 18 of 20 enterprise, 45 of 60 free, 34 of 40 pro, 97 of 120 in all.
    expect(grid(m)[0]).toEqual(['alerts', 97 / 120, 18 / 20, 45 / 60, 34 / 40]);
  });

  it('reads dr_status as checks x locations colored by state, a missing pair as an empty cell', () => {
    const m = matrix([drStatusFrame()]);
    expect(m.used).toEqual({ row: 'check', column: 'location', value: 'state' });
    expect(m.columns.map((c) => c.key)).toEqual(['us-east-1', 'eu-west-1', 's3://dr-bucket']);
    expect(grid(m)).toContainEqual(['rto drill', 'fail', '-', '-']);
    expect(grid(m)).toContainEqual(['wal archive lag', 'ok', 'fail', 'ok']);
  });

  it('places Prometheus series by two varying labels, with each series’ newest value', () => {
    const m = matrix(serviceRegionSeries());
    expect(m.used).toEqual({ row: 'service', column: 'region' });
    expect(m.columns.map((c) => c.key)).toEqual(['eu-west-1', 'us-east-1', 'ap-south-1']);
    expect(grid(m)[1]).toEqual(['auth', 0.003, 0.01, 0.006]);
  });

  it('counts repeated cells; the last one wins', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'check', type: FieldType.string, values: ['a', 'a', 'a'] },
        { name: 'location', type: FieldType.string, values: ['x', 'x', 'y'] },
        { name: 'state', type: FieldType.string, values: ['ok', 'fail', 'ok'] },
      ],
    });
    const m = matrix([frame]);
    expect(m.duplicates).toBe(1);
    expect(grid(m)).toEqual([['a', 'fail', 'ok']]);
  });

  it('explains what it expects for no data, unusable data and unknown field names', () => {
    expect(readMatrix([], defaultOptions)).toMatchObject({ ok: false, title: 'No data' });
    const numbersOnly = createDataFrame({ fields: [{ name: 'v', type: FieldType.number, values: [1, 2] }] });
    expect(readMatrix([numbersOnly], defaultOptions)).toMatchObject({ ok: false, title: 'Cannot build a matrix from this data' });
    const unknown = readMatrix([tenantHealthFrame()], { ...defaultOptions, rowField: 'customer' });
    expect(unknown).toMatchObject({ ok: false, title: 'Field not found: customer' });
    expect(!unknown.ok && unknown.detail).toContain('tenant, name, plan');
  });
});
