import { DataFrame, Field, FieldType, getFieldDisplayName } from '@grafana/data';
import { cellText, finiteNumber } from '../shared/fieldValues';
import { Options } from './types';

/** One cell: the value and where it came from (its field's colors, unit and data links, its data row). */
export interface MatrixCell {
  value: unknown;
  field: Field;
  frame: DataFrame;
  rowIndex: number;
}

export interface MatrixRow {
  key: string;
  cells: Array<MatrixCell | undefined>;
}

export interface MatrixColumn {
  key: string;
  title: string;
}

export interface Matrix {
  layout: 'long' | 'wide';
  rowTitle: string;
  columns: MatrixColumn[];
  rows: MatrixRow[];
  /** The fields in use, so the tooltip can show the rest of the data row. */
  used: { row: string; column?: string; value?: string };
  /** Data rows that named a (row, column) cell already filled: the later one wins. */
  duplicates: number;
}

export type MatrixReading = { ok: true; matrix: Matrix } | { ok: false; title: string; detail: string };

export const EXPECTED_DATA =
  'Expected a table: long form (a row field, a column field and a value field, e.g. check, location, state) ' +
  'or wide form (a row field and numeric fields as columns, e.g. tenant, activity, adoption, payment, support).';

const STATE_NAMES = /^(state|status|health|result|level|risk)$/i;
const LABEL_NAMES = /^(name|display_?name|title|label)$/i;
/** Labels that never make a useful axis of a matrix. */
const IGNORED_LABELS = new Set(['__name__', 'job', 'instance']);

/**
 * Turns the query's frames into a matrix: rows x columns of cells. Tables in long or wide form
 * (guessed unless the options say), or time series with labels (the newest value of each series,
 * rows and columns from two of its labels).
 */
export function readMatrix(frames: DataFrame[], options: Options): MatrixReading {
  const nonEmpty = frames.filter((f) => f.length > 0 && f.fields.length > 0);
  if (nonEmpty.length === 0) {
    return { ok: false, title: 'No data', detail: EXPECTED_DATA };
  }
  const series = nonEmpty.filter(isLabelledSeries);
  if (series.length === nonEmpty.length) {
    return readSeries(series, options);
  }
  const tables = nonEmpty.filter((f) => !isLabelledSeries(f));
  const first = tables[0];
  const unknown = [options.rowField, options.columnField, options.valueField, ...options.columnFields].filter(
    (name) => name && !findField(first, name),
  );
  if (unknown.length > 0) {
    return {
      ok: false,
      title: `Field not found: ${unknown.join(', ')}`,
      detail: `The options name fields this data does not have. Available: ${first.fields.map((f) => f.name).join(', ')}.`,
    };
  }
  const layout = options.layout === 'auto' ? guessLayout(first, options) : options.layout;
  return layout === 'long' ? readLong(tables, options) : readWide(tables, options);
}

function isLabelledSeries(frame: DataFrame): boolean {
  const numbers = frame.fields.filter((f) => f.type === FieldType.number);
  const others = frame.fields.filter((f) => f.type !== FieldType.number && f.type !== FieldType.time);
  return numbers.length === 1 && others.length === 0 && Object.keys(numbers[0].labels ?? {}).length > 0;
}

function stringFields(frame: DataFrame): Field[] {
  return frame.fields.filter((f) => f.type === FieldType.string);
}

function hasRepeats(field: Field): boolean {
  return new Set(field.values).size < field.values.length;
}

/**
 * Wide when a text field is unique per data row (a natural row name: tenant, name), long when every
 * text field repeats (feature and plan, check and location: each value spans several cells).
 */
function guessLayout(frame: DataFrame, options: Options): 'long' | 'wide' {
  if (options.columnField && findField(frame, options.columnField)) {
    return 'long';
  }
  if (options.columnFields.length > 0) {
    return 'wide';
  }
  const strings = stringFields(frame);
  const rowField = options.rowField ? findField(frame, options.rowField) : undefined;
  if (rowField) {
    return hasRepeats(rowField) && strings.length >= 2 ? 'long' : 'wide';
  }
  return strings.length >= 2 && strings.every(hasRepeats) ? 'long' : 'wide';
}

/** A field by its name or its display name (what the user sees in the field pickers). */
function findField(frame: DataFrame, name: string): Field | undefined {
  return frame.fields.find((f) => f.name === name) ?? frame.fields.find((f) => getFieldDisplayName(f, frame) === name);
}

function guessLongFields(frame: DataFrame, options: Options) {
  const strings = stringFields(frame);
  const row = (options.rowField && findField(frame, options.rowField)) || strings.find(hasRepeats) || strings[0];
  const column =
    (options.columnField && findField(frame, options.columnField)) ||
    strings.find((f) => f !== row && !STATE_NAMES.test(f.name)) ||
    strings.find((f) => f !== row);
  const candidates = frame.fields.filter((f) => f !== row && f !== column && f.type !== FieldType.time);
  const value =
    (options.valueField && findField(frame, options.valueField)) ||
    candidates.find((f) => f.type === FieldType.string && STATE_NAMES.test(f.name)) ||
    candidates.find((f) => f.type === FieldType.number) ||
    candidates[0];
  return { row, column, value };
}

/** Cells keyed by (row, column) text, in first-seen order; a later cell for a filled place wins and is counted. */
class CellGrid {
  private readonly rows = new Map<string, MatrixRow>();
  private readonly columns = new Map<string, number>();
  duplicates = 0;

  place(rowKey: string, colKey: string, cell: MatrixCell): void {
    if (!this.columns.has(colKey)) {
      this.columns.set(colKey, this.columns.size);
    }
    const matrixRow = this.rows.get(rowKey) ?? { key: rowKey, cells: [] };
    this.rows.set(rowKey, matrixRow);
    const at = this.columns.get(colKey)!;
    if (matrixRow.cells[at]) {
      this.duplicates++;
    }
    matrixRow.cells[at] = cell;
  }

  columnList(): MatrixColumn[] {
    return [...this.columns.keys()].map((key) => ({ key, title: key }));
  }

  /** Rows with one cell slot per column, empty where no data row named the place. */
  rowList(): MatrixRow[] {
    const width = this.columns.size;
    return [...this.rows.values()].map((r) => ({ ...r, cells: Array.from({ length: width }, (_, i) => r.cells[i]) }));
  }
}

function readLong(frames: DataFrame[], options: Options): MatrixReading {
  const { row, column, value } = guessLongFields(frames[0], options);
  if (!row || !column || !value) {
    return { ok: false, title: 'Cannot build a matrix from this data', detail: `${EXPECTED_DATA} ${missingFields(options)}` };
  }
  const used = { row: row.name, column: column.name, value: value.name };
  const grid = new CellGrid();
  for (const frame of frames) {
    const r = frame === frames[0] ? row : findField(frame, used.row);
    const c = frame === frames[0] ? column : findField(frame, used.column);
    const v = frame === frames[0] ? value : findField(frame, used.value);
    if (!r || !c || !v) {
      continue;
    }
    for (let i = 0; i < frame.length; i++) {
      const rowKey = cellText(r.values[i]);
      const colKey = cellText(c.values[i]);
      if (rowKey === undefined || colKey === undefined) {
        continue;
      }
      grid.place(rowKey, colKey, { value: v.values[i], field: v, frame, rowIndex: i });
    }
  }
  return {
    ok: true,
    matrix: {
      layout: 'long',
      rowTitle: getFieldDisplayName(row, frames[0]),
      columns: grid.columnList(),
      rows: grid.rowList(),
      used,
      duplicates: grid.duplicates,
    },
  };
}

function guessRowField(frame: DataFrame, options: Options): Field | undefined {
  if (options.rowField) {
    return findField(frame, options.rowField);
  }
  const strings = stringFields(frame);
  const unique = strings.filter((f) => !hasRepeats(f));
  return unique.find((f) => LABEL_NAMES.test(f.name)) ?? unique[0] ?? strings[0];
}

function readWide(frames: DataFrame[], options: Options): MatrixReading {
  const first = frames[0];
  const row = guessRowField(first, options);
  if (!row) {
    return { ok: false, title: 'Cannot build a matrix from this data', detail: `${EXPECTED_DATA} No text field names the rows.` };
  }
  const chosen = options.columnFields.length > 0;
  const columnFieldsOf = (frame: DataFrame, rowField: Field) =>
    chosen
      ? options.columnFields.map((n) => findField(frame, n)).filter((f): f is Field => f !== undefined && f !== rowField)
      : frame.fields.filter((f) => f.type === FieldType.number && f !== rowField);
  const firstColumns = columnFieldsOf(first, row);
  if (firstColumns.length === 0) {
    return {
      ok: false,
      title: 'Cannot build a matrix from this data',
      detail: `${EXPECTED_DATA} ${chosen ? 'None of the chosen column fields is in the data.' : 'No numeric fields to show as columns.'}`,
    };
  }
  const columns = firstColumns.map((f) => ({ key: f.name, title: getFieldDisplayName(f, first, frames) }));
  const rows: MatrixRow[] = [];
  const seen = new Map<string, MatrixRow>();
  let duplicates = 0;
  for (const frame of frames) {
    const r = frame === first ? row : findField(frame, row.name);
    if (!r) {
      continue;
    }
    const fields = columns.map((c) => frame.fields.find((f) => f.name === c.key));
    for (let i = 0; i < frame.length; i++) {
      const key = cellText(r.values[i]);
      if (key === undefined) {
        continue;
      }
      const cells = fields.map((f) => (f ? { value: f.values[i], field: f, frame, rowIndex: i } : undefined));
      const existing = seen.get(key);
      if (existing) {
        duplicates++;
        existing.cells = cells;
        continue;
      }
      const matrixRow = { key, cells };
      seen.set(key, matrixRow);
      rows.push(matrixRow);
    }
  }
  return {
    ok: true,
    matrix: { layout: 'wide', rowTitle: getFieldDisplayName(row, first), columns, rows, used: { row: row.name }, duplicates },
  };
}

/** Prometheus-style series: the newest value of each, placed by two of its labels. */
function readSeries(frames: DataFrame[], options: Options): MatrixReading {
  const labelsOf = (f: DataFrame) => f.fields.find((x) => x.type === FieldType.number)!.labels ?? {};
  const keys = new Map<string, Set<string>>();
  for (const frame of frames) {
    for (const [k, v] of Object.entries(labelsOf(frame))) {
      if (!IGNORED_LABELS.has(k)) {
        keys.set(k, (keys.get(k) ?? new Set()).add(v));
      }
    }
  }
  const varying = [...keys.entries()].filter(([, values]) => values.size > 1).map(([k]) => k);
  const rowLabel = options.rowField || varying[0];
  const colLabel = options.columnField || varying.find((k) => k !== rowLabel);
  if (!rowLabel || !colLabel) {
    return {
      ok: false,
      title: 'Cannot build a matrix from these series',
      detail: 'Time series need two labels that vary, one for the rows and one for the columns (e.g. service and region).',
    };
  }
  const grid = new CellGrid();
  for (const frame of frames) {
    const field = frame.fields.find((x) => x.type === FieldType.number)!;
    const labels = field.labels ?? {};
    const rowKey = labels[rowLabel];
    const colKey = labels[colLabel];
    if (rowKey === undefined || colKey === undefined) {
      continue;
    }
    let last = field.values.length - 1;
    while (last > 0 && finiteNumber(field.values[last]) === undefined) {
      last--;
    }
    grid.place(rowKey, colKey, { value: field.values[last] ?? null, field, frame, rowIndex: last });
  }
  return {
    ok: true,
    matrix: {
      layout: 'long',
      rowTitle: rowLabel,
      columns: grid.columnList(),
      rows: grid.rowList(),
      used: { row: rowLabel, column: colLabel },
      duplicates: grid.duplicates,
    },
  };
}

function missingFields(options: Options): string {
  const named = [options.rowField, options.columnField, options.valueField].filter(Boolean);
  return named.length > 0 ? `Check the fields chosen in the options (${named.join(', ')}).` : '';
}
