/**
 * Query answers as columns ready to become Grafana data frames: each field has a name, a type
 * Grafana knows, and its values (time as Unix milliseconds). The datasource plugin maps them 1:1
 * onto MutableDataFrame fields, so no shape is guessed in the browser.
 */
export type FieldType = 'time' | 'number' | 'string' | 'boolean';

export interface FrameField {
  name: string;
  type: FieldType;
  values: Array<number | string | boolean | null>;
  config?: { unit?: string; displayName?: string; decimals?: number; min?: number; max?: number };
  labels?: Record<string, string>;
}

export interface Frame {
  name: string;
  fields: FrameField[];
  meta?: { notices?: Array<{ severity: 'info' | 'warning'; text: string }>; custom?: Record<string, unknown> };
}

export interface QueryAnswer {
  frames: Frame[];
}

type Column<R> = {
  name: string;
  type: FieldType;
  value: (row: R) => number | string | boolean | null | undefined;
  config?: FrameField['config'];
};

/** Builds a frame from typed rows and column definitions (undefined becomes null: a gap, not 0). */
export function frameFromRows<R>(name: string, rows: readonly R[], columns: ReadonlyArray<Column<R>>): Frame {
  return {
    name,
    fields: columns.map((c) => ({
      name: c.name,
      type: c.type,
      values: rows.map((r) => {
        const v = c.value(r);
        return v === undefined ? null : v;
      }),
      ...(c.config ? { config: c.config } : {}),
    })),
  };
}

export function timeMs(d: Date | string): number {
  return d instanceof Date ? d.getTime() : Date.parse(d);
}
