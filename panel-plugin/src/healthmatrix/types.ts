export type MatrixLayout = 'auto' | 'long' | 'wide';
export type RowSort = 'worst' | 'average' | 'name' | 'none';

export interface Options {
  /** long: one data row per cell (row, column, value fields); wide: one data row per matrix row, a field per column. */
  layout: MatrixLayout;
  /** The field whose values name the rows; empty = guessed from the data. */
  rowField: string;
  /** Long form: the field whose values name the columns; empty = guessed. */
  columnField: string;
  /** Long form: the field that colors the cell; empty = guessed (a state/status field, else the first number). */
  valueField: string;
  /** Wide form: the fields shown as columns; empty = every numeric field. */
  columnFields: string[];
  sortRows: RowSort;
  /** For sorting by worst / average: a low value is bad (health, adoption) or a high one (errors, lag). */
  higherIsBetter: boolean;
  /** Rows per page; 0 shows every row. */
  rowLimit: number;
  showValues: boolean;
  /** Pixel height of a row; 0 fits the rows to the panel (within limits). */
  rowHeight: number;
  /** Pixel width of a column; 0 shares the width. */
  colWidth: number;
  /** Color of cells without a value, by name from the palette; empty uses the theme's neutral background. */
  noDataColor: string;
}

export const defaultOptions: Options = {
  layout: 'auto',
  rowField: '',
  columnField: '',
  valueField: '',
  columnFields: [],
  sortRows: 'worst',
  higherIsBetter: true,
  rowLimit: 50,
  showValues: true,
  rowHeight: 0,
  colWidth: 0,
  noDataColor: '',
};
