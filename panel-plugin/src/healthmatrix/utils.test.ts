import { createDataFrame, FieldType } from '@grafana/data';
import { MatrixRow } from './matrixData';
import { pageOf, sortRows } from './utils';

function rows(data: Record<string, unknown[]>): MatrixRow[] {
  const field = createDataFrame({ fields: [{ name: 'v', type: FieldType.number, values: [] }] }).fields[0];
  return Object.entries(data).map(([key, values]) => ({
    key,
    cells: values.map((value) => (value === undefined ? undefined : { value, field, frame: createDataFrame({ fields: [] }), rowIndex: 0 })),
  }));
}

const keys = (r: MatrixRow[]) => r.map((x) => x.key);

describe('sortRows', () => {
  const numbers = rows({ b: [50, 90], a: [10, 100], c: [60, 60], empty: [null, undefined], d: [10, 20] });

  it('worst cell first (lowest when higher is better), ties by the worse average, rows without values last', () => {
    expect(keys(sortRows(numbers, 'worst', true))).toEqual(['d', 'a', 'b', 'c', 'empty']);
  });

  it('highest cell first when lower is better', () => {
    expect(keys(sortRows(numbers, 'worst', false))).toEqual(['a', 'b', 'c', 'd', 'empty']);
  });

  it('worst average first', () => {
    expect(keys(sortRows(numbers, 'average', true))).toEqual(['d', 'a', 'c', 'b', 'empty']);
  });

  it('by name (numbers in names in numeric order) and in query order', () => {
    expect(keys(sortRows(rows({ 'svc-10': [1], 'svc-9': [1], 'svc-100': [1] }), 'name', true))).toEqual(['svc-9', 'svc-10', 'svc-100']);
    expect(keys(sortRows(numbers, 'none', true))).toEqual(['b', 'a', 'c', 'empty', 'd']);
  });

  it('ranks states: fail before warn before ok, at_risk and critical among tenant risk levels', () => {
    const states = rows({ x: ['ok', 'ok'], y: ['warn', 'ok'], z: ['ok', 'fail'], w: ['watch', 'critical'], v: ['unknown'] });
    expect(keys(sortRows(states, 'worst', true))).toEqual(['w', 'z', 'y', 'x', 'v']);
  });
});

describe('pageOf', () => {
  const many = rows(Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`r${i}`, [i]])));

  it('cuts rows into pages and says which rows a page holds', () => {
    expect(pageOf(many, 50, 1)).toMatchObject({ page: 1, pages: 3, first: 1, last: 50 });
    expect(pageOf(many, 50, 3)).toMatchObject({ page: 3, pages: 3, first: 101, last: 120 });
    expect(pageOf(many, 50, 3).rows).toHaveLength(20);
  });

  it('clamps the page to the pages there are (data that shrank) and shows all rows for a limit of 0', () => {
    expect(pageOf(many, 50, 9)).toMatchObject({ page: 3 });
    expect(pageOf(many, 0, 1)).toMatchObject({ page: 1, pages: 1, first: 1, last: 120 });
    expect(pageOf([], 50, 1)).toMatchObject({ page: 1, pages: 1, first: 0, last: 0 });
  });
});
