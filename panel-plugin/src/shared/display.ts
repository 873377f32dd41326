import { DisplayValue, Field, getDisplayProcessor, GrafanaTheme2 } from '@grafana/data';

/**
 * The field's own display (unit, decimals, thresholds, value mappings as Grafana applied them).
 * Grafana sets field.display before a panel sees the data; the fallback covers frames that did
 * not go through applyFieldOverrides.
 */
export function displayValue(field: Field, value: unknown, theme: GrafanaTheme2): DisplayValue {
  const display = field.display ?? getDisplayProcessor({ field, theme });
  return display(value);
}

/** A color name from the options (e.g. "red", "semi-dark-green") as CSS, via the theme's palette. */
export function themeColor(theme: GrafanaTheme2, name: string): string {
  return theme.visualization.getColorByName(name);
}
