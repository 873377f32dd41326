import { finiteNumber } from '../shared/fieldValues';
import { MatrixRow } from './matrixData';
import { severityOf } from './severity';
import { RowSort } from './types';

export interface RowStats {
  /** Worst state word of the row (see severity.ts), if any cell is a state. */
  worstSeverity?: number;
  /** Mean state severity, for rows of states only. */
  meanSeverity?: number;
  /** Lowest numeric cell when higher is better, highest otherwise. */
  worstNumber?: number;
  mean?: number;
}

export function rowStats(row: MatrixRow, higherIsBetter: boolean): RowStats {
  const numbers: number[] = [];
  const severities: number[] = [];
  for (const cell of row.cells) {
    const n = finiteNumber(cell?.value);
    if (n !== undefined) {
      numbers.push(n);
    } else if (typeof cell?.value === 'string') {
      const s = severityOf(cell.value);
      if (s !== undefined) {
        severities.push(s);
      }
    }
  }
  const mean = (xs: number[]) => (xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);
  return {
    worstSeverity: severities.length > 0 ? Math.max(...severities) : undefined,
    meanSeverity: mean(severities),
    worstNumber: numbers.length > 0 ? (higherIsBetter ? Math.min(...numbers) : Math.max(...numbers)) : undefined,
    mean: mean(numbers),
  };
}

/**
 * Rows in the chosen order. 'worst' and 'average' put the worst rows first: by state severity
 * (fail before warn before ok), then by number (lowest first when higher is better). Rows without
 * any value go last; ties keep name order so the order is stable between refreshes.
 */
export function sortRows(rows: MatrixRow[], sort: RowSort, higherIsBetter: boolean): MatrixRow[] {
  if (sort === 'none') {
    return rows;
  }
  const byName = (a: MatrixRow, b: MatrixRow) => a.key.localeCompare(b.key, undefined, { numeric: true });
  if (sort === 'name') {
    return [...rows].sort(byName);
  }
  const stats = new Map(rows.map((r) => [r, rowStats(r, higherIsBetter)]));
  const direction = higherIsBetter ? 1 : -1;
  // Worse first: larger severity, then the lower number (or the higher when lower is better); ties
  // by the other measure (the worse average among rows with the same worst cell), then by name.
  const keyOf = (s: RowStats): Array<number | undefined> =>
    sort === 'worst' ? [s.worstSeverity, s.worstNumber, s.meanSeverity, s.mean] : [s.meanSeverity, s.mean, s.worstSeverity, s.worstNumber];
  const compare = (a: MatrixRow, b: MatrixRow) => {
    const ka = keyOf(stats.get(a)!);
    const kb = keyOf(stats.get(b)!);
    const emptyA = ka.every((k) => k === undefined);
    const emptyB = kb.every((k) => k === undefined);
    if (emptyA !== emptyB) {
      return emptyA ? 1 : -1;
    }
    for (let i = 0; i < ka.length; i += 2) {
      const [sevA, numA, sevB, numB] = [ka[i], ka[i + 1], kb[i], kb[i + 1]];
      if (sevA !== sevB) {
        return (sevB ?? -1) - (sevA ?? -1);
      }
      if (numA !== numB) {
        return numA === undefined ? 1 : numB === undefined ? -1 : direction * (numA - numB);
      }
    }
    return byName(a, b);
  };
  return [...rows].sort(compare);
}

export interface Page {
  rows: MatrixRow[];
  page: number;
  pages: number;
  first: number;
  last: number;
}

/** The rows of one page (1-based), clamped to the pages there are. rowLimit 0 means one page. */
export function pageOf(rows: MatrixRow[], rowLimit: number, page: number): Page {
  const size = rowLimit > 0 ? Math.floor(rowLimit) : Math.max(rows.length, 1);
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const current = Math.min(Math.max(1, page), pages);
  const start = (current - 1) * size;
  const slice = rows.slice(start, start + size);
  return { rows: slice, page: current, pages, first: slice.length > 0 ? start + 1 : 0, last: start + slice.length };
}
