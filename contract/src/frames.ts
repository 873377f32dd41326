/**
 * Query answers as columns ready to become Grafana data frames: each field has a name, a type
 * Grafana knows, and its values (time as Unix milliseconds). The datasource plugin maps them 1:1
 * onto data frame fields, so no shape is guessed in the browser.
 */
export type FieldType = 'time' | 'number' | 'string' | 'boolean' | 'other';

export interface FrameField {
  name: string;
  type: FieldType;
  /** Scalars; a list of strings only in an `other` field (an annotation's tags). */
  values: Array<number | string | boolean | null | string[]>;
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
