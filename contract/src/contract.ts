import { z } from 'zod';
import type { VariableKind } from './queries/variables';

/** How the query editor shows one body field (every part optional: the field's name and schema suffice). */
export interface FieldHint {
  label?: string;
  /** The field's tooltip. */
  description?: string;
  placeholder?: string;
  /** Offer the values of this `variables` list (and the dashboard's variables) in the field's picker. */
  values?: VariableKind;
}

/**
 * One query type of POST /api/v1/query: its strict body schema (with `type` as a literal), and how
 * the query editor names it. The exporter runs it (exporter/src/api/query/<type>.ts), the
 * datasource offers and builds it, the dashboard generator writes it: all from this one entry.
 */
export interface QueryContract<T extends string = string, Q extends { type: T } = { type: T }> {
  type: T;
  /** The editor's name for it. */
  label: string;
  /** One line under the label in the editor's picker. */
  description: string;
  /** Not offered in the editor's picker (e.g. the template-variable lists). */
  hidden?: boolean;
  /** The editor's hints per body field, by the schema's field names. */
  fields?: { [K in Exclude<keyof Q, 'type'>]?: FieldHint };
  schema: z.ZodType<Q, z.ZodTypeDef, unknown>;
}

export function defineContract<T extends string, Q extends { type: T }>(c: QueryContract<T, Q>): QueryContract<T, Q> {
  return c;
}

/** Whether a value is a query contract (what registry.ts collects from the contract files). */
export function isQueryContract(v: unknown): v is QueryContract {
  const c = v as Partial<QueryContract> | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    typeof c.type === 'string' &&
    typeof c.label === 'string' &&
    typeof c.schema?.safeParse === 'function'
  );
}

/** The body a query runs with (defaults applied). */
export type QueryOf<C> = C extends QueryContract<string, infer Q> ? Q : never;
/** The body a client may send (defaults optional). */
export type RequestOf<C> = C extends QueryContract<string, { type: string }> ? z.input<C['schema']> : never;

/** The object schema under refinements, for reading field names, enums and defaults. */
export function objectShape(schema: z.ZodTypeAny): z.ZodRawShape {
  let s: z.ZodTypeAny = schema;
  while (s instanceof z.ZodEffects) s = s.innerType();
  return s instanceof z.ZodObject ? (s.shape as z.ZodRawShape) : {};
}

/** The values and default of an enum field (possibly optional or defaulted), or undefined. */
export function enumField(schema: z.ZodTypeAny, name: string): { values: string[]; default?: string } | undefined {
  let f: z.ZodTypeAny | undefined = objectShape(schema)[name];
  let def: string | undefined;
  while (f instanceof z.ZodDefault || f instanceof z.ZodOptional) {
    if (f instanceof z.ZodDefault) def = (f._def as { defaultValue: () => string }).defaultValue();
    f = f instanceof z.ZodDefault ? f._def.innerType : f.unwrap();
  }
  return f instanceof z.ZodEnum ? { values: [...(f.options as string[])], default: def } : undefined;
}

/** Whether the body takes a field (required or not). */
export function hasField(schema: z.ZodTypeAny, name: string): boolean {
  return name in objectShape(schema);
}

/** The field names of an object field (possibly optional or defaulted), e.g. a body's `filters`; none when absent. */
export function objectFieldNames(schema: z.ZodTypeAny, name: string): string[] {
  let f: z.ZodTypeAny | undefined = objectShape(schema)[name];
  while (f instanceof z.ZodDefault || f instanceof z.ZodOptional) f = f instanceof z.ZodDefault ? f._def.innerType : f.unwrap();
  return f ? Object.keys(objectShape(f)) : [];
}
