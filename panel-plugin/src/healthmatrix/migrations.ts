import { PanelModel } from '@grafana/data';
import { defaultOptions, MatrixLayout, Options, RowSort } from './types';

/**
 * Options as saved by any earlier version. The 0.x previews called the page size perPage, the
 * sort 'sort' with values like 'worst-first', and the value switch showValue ('auto' | 'always' | 'never').
 */
interface SavedOptions extends Partial<Options> {
  perPage?: number;
  sort?: string;
  showValue?: string;
  [key: string]: unknown;
}

const LEGACY_SORT: Record<string, RowSort> = {
  'worst-first': 'worst',
  avg: 'average',
  alpha: 'name',
  name: 'name',
  none: 'none',
};

/**
 * Grafana calls this when a saved panel's pluginVersion differs from the installed plugin's:
 * old names are renamed, unknown keys dropped, defaults filled and invalid values repaired.
 * Idempotent: running it on its own output changes nothing.
 */
export function healthMatrixMigrationHandler(panel: PanelModel<Options>): Options {
  const saved: SavedOptions = (panel.options as SavedOptions | undefined) ?? {};
  const sortRows = oneOf<RowSort>(
    saved.sortRows ?? LEGACY_SORT[String(saved.sort)],
    ['worst', 'average', 'name', 'none'],
    defaultOptions.sortRows,
  );
  const showValues =
    typeof saved.showValues === 'boolean'
      ? saved.showValues
      : saved.showValue !== undefined
        ? saved.showValue !== 'never'
        : defaultOptions.showValues;
  return {
    layout: oneOf<MatrixLayout>(saved.layout, ['auto', 'long', 'wide'], defaultOptions.layout),
    rowField: stringOr(saved.rowField, defaultOptions.rowField),
    columnField: stringOr(saved.columnField, defaultOptions.columnField),
    valueField: stringOr(saved.valueField, defaultOptions.valueField),
    columnFields: Array.isArray(saved.columnFields)
      ? saved.columnFields.filter((f): f is string => typeof f === 'string')
      : defaultOptions.columnFields,
    sortRows,
    higherIsBetter: typeof saved.higherIsBetter === 'boolean' ? saved.higherIsBetter : defaultOptions.higherIsBetter,
    rowLimit: wholeOr(saved.rowLimit ?? saved.perPage, defaultOptions.rowLimit),
    showValues,
    rowHeight: wholeOr(saved.rowHeight, defaultOptions.rowHeight),
    colWidth: wholeOr(saved.colWidth, defaultOptions.colWidth),
    noDataColor: stringOr(saved.noDataColor, defaultOptions.noDataColor),
  };
}

function stringOr(v: unknown, fallback: string): string {
  return typeof v === 'string' ? v : fallback;
}

/** A whole number >= 0 (sizes and page lengths), else the default. */
function wholeOr(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : fallback;
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(v as T) ? (v as T) : fallback;
}
