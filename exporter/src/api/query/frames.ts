import { FieldType, Frame, FrameField } from '@saasmon/contract';

// The answer shapes are part of the query contract (@saasmon/contract), which the datasource reads.
export type { FieldType, Frame, FrameField, QueryAnswer } from '@saasmon/contract';

type Column<R> = {
  name: string;
  type: FieldType;
  value: (row: R) => number | string | boolean | null | string[] | undefined;
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
