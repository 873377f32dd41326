import { createDataFrame, DataFrame, FieldType } from '@grafana/data';
import { ApiFrame } from './types';

const FIELD_TYPES: Record<string, FieldType> = {
  time: FieldType.time,
  number: FieldType.number,
  string: FieldType.string,
  boolean: FieldType.boolean,
};

/** The exporter's column frames, 1:1 as Grafana data frames tagged with the query's refId. */
export function toDataFrame(frame: ApiFrame, refId: string): DataFrame {
  return createDataFrame({
    refId,
    name: frame.name,
    meta: frame.meta ? { notices: frame.meta.notices, custom: frame.meta.custom } : undefined,
    fields: frame.fields.map((f) => ({
      name: f.name,
      type: FIELD_TYPES[f.type] ?? FieldType.other,
      values: f.values,
      config: f.config ?? {},
      labels: f.labels,
    })),
  });
}
