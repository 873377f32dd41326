/** Pixel sizes of the grid for a panel of the given size (pure, so it is tested without a DOM). */
export interface GridLayout {
  labelWidth: number;
  colWidth: number;
  rowHeight: number;
  headerHeight: number;
  showValues: boolean;
}

export const FOOTER_HEIGHT = 32;
const HEADER_HEIGHT = 22;
const GAP = 2;
const MIN_ROW = 18;
const MAX_ROW = 36;
const MIN_COL = 12;
/** A rough width of one character of row label text at 12px. */
const CHAR_WIDTH = 7;

export function gridLayout(input: {
  width: number;
  height: number;
  rows: string[];
  columns: number;
  rowHeight: number;
  colWidth: number;
  showValues: boolean;
}): GridLayout {
  const longest = input.rows.reduce((m, r) => Math.max(m, r.length), 0);
  const labelWidth = Math.round(Math.min(input.width * 0.35, Math.max(48, longest * CHAR_WIDTH + 12)));
  const free = input.width - labelWidth - GAP * (input.columns + 1);
  const colWidth = input.colWidth > 0 ? input.colWidth : Math.max(MIN_COL, Math.floor(free / Math.max(1, input.columns)));
  const rowsHeight = input.height - HEADER_HEIGHT - GAP * (input.rows.length + 1);
  const fitted = Math.floor(rowsHeight / Math.max(1, input.rows.length));
  const rowHeight = input.rowHeight > 0 ? input.rowHeight : Math.min(MAX_ROW, Math.max(MIN_ROW, fitted));
  return {
    labelWidth,
    colWidth,
    rowHeight,
    headerHeight: HEADER_HEIGHT,
    showValues: input.showValues && colWidth >= 26 && rowHeight >= 14,
  };
}
