import { DataFrame, Field, FieldType } from '@grafana/data';

/** A finite number, or undefined for null, NaN and non-numbers: gaps stay gaps. */
export function finiteNumber(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The newest non-null value of a field (an instant query has one; a range query ends with the newest). */
export function lastNumber(field: Field): number | undefined {
  for (let i = field.values.length - 1; i >= 0; i--) {
    const v = finiteNumber(field.values[i]);
    if (v !== undefined) {
      return v;
    }
  }
  return undefined;
}

/** Non-null points of a numeric field against the frame's time field, oldest first. */
export function timePoints(frame: DataFrame, field: Field): Array<{ time: number; value: number }> {
  const time = frame.fields.find((f) => f.type === FieldType.time);
  if (!time) {
    return [];
  }
  const points: Array<{ time: number; value: number }> = [];
  for (let i = 0; i < field.values.length; i++) {
    const t = finiteNumber(time.values[i]);
    const v = finiteNumber(field.values[i]);
    if (t !== undefined && v !== undefined) {
      points.push({ time: t, value: v });
    }
  }
  return points.sort((a, b) => a.time - b.time);
}

/** A field by name, case-insensitive (column names come from SQL and from Prometheus labels). */
export function fieldByName(frame: DataFrame, name: string): Field | undefined {
  const lower = name.toLowerCase();
  return frame.fields.find((f) => f.name.toLowerCase() === lower);
}

/** The text of a string-ish cell, or undefined when empty. */
export function cellText(v: unknown): string | undefined {
  if (v === null || v === undefined) {
    return undefined;
  }
  const s = String(v);
  return s === '' ? undefined : s;
}
