import { Field, formattedValueToString, GrafanaTheme2, MappingType, SpecialValueMatch } from '@grafana/data';
import { displayValue, themeColor } from '../shared/display';
import { MatrixCell } from './matrixData';

export interface CellLook {
  background: string;
  color: string;
  text: string;
  /** No value: a missing cell, null or NaN (shown in the no-data color unless a value mapping colors null). */
  empty: boolean;
}

function isTransparent(color: string): boolean {
  return color === 'transparent' || /^rgba\(.*,\s*0(\.0+)?\)$/.test(color.replace(/\s+/g, ''));
}

/** Contrast text for a cell; on a transparent cell the panel's own text color. */
export function textOn(theme: GrafanaTheme2, background: string): string {
  return isTransparent(background) ? theme.colors.text.primary : theme.colors.getContrastText(background);
}

/** The field's value mapping for null ("null" or "null + NaN" special value), if any. */
function nullMapping(field: Field): { color?: string; text?: string } | undefined {
  for (const m of field.config.mappings ?? []) {
    if (
      m.type === MappingType.SpecialValue &&
      (m.options.match === SpecialValueMatch.Null || m.options.match === SpecialValueMatch.NullAndNaN)
    ) {
      return m.options.result;
    }
  }
  return undefined;
}

/**
 * A cell's background (the value's color from thresholds or value mappings of its field), text
 * color chosen for contrast, and the formatted value.
 */
export function cellLook(cell: MatrixCell | undefined, theme: GrafanaTheme2, noDataColor: string): CellLook {
  const noData = noDataColor ? themeColor(theme, noDataColor) : theme.colors.background.secondary;
  const value = cell?.value;
  const isEmpty = value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value));
  if (!cell || isEmpty) {
    const mapped = cell ? nullMapping(cell.field) : undefined;
    const background = mapped?.color ? themeColor(theme, mapped.color) : noData;
    const text = mapped?.text ?? cell?.field.config.noValue ?? '';
    return { background, color: isTransparent(background) ? theme.colors.text.secondary : textOn(theme, background), text, empty: true };
  }
  const display = displayValue(cell.field, value, theme);
  const background = display.color ?? noData;
  return { background, color: textOn(theme, background), text: formattedValueToString(display), empty: false };
}
