import { z } from 'zod';
import { FieldHint, objectShape, QueryContract } from './contract';

/**
 * A body field as the query editor and the datasource's request builder see it: its kind, bounds
 * and hints, read from the contract's zod schema (here, so that only this package reads zod).
 */
export interface FieldSpec {
  name: string;
  kind: 'string' | 'number' | 'boolean' | 'enum' | 'list' | 'object' | 'other';
  /** Neither optional nor defaulted: the query is incomplete without it. */
  required: boolean;
  default?: unknown;
  /** The values of an enum. */
  options?: string[];
  /** A number's bounds, or a list's length bounds. */
  min?: number;
  max?: number;
  integer?: boolean;
  /** A list's elements. */
  element?: FieldSpec;
  /** An object's fields (the tenant filters). */
  fields?: FieldSpec[];
  hint: FieldHint;
}

/** The tenant filters' fields, offered from the datasource's lists. */
const FILTER_HINTS: Record<string, FieldHint> = {
  plan: { label: 'Plans', description: 'Only tenants on these plans (empty: all)', values: 'plans' },
  segment: { label: 'Segments', description: 'Only tenants in these segments (empty: all)', values: 'segments' },
  channel: { label: 'Channels', description: 'Only tenants acquired through these channels (empty: all)', values: 'channels' },
  tenant: { label: 'Tenants', description: 'Only these tenants (empty: all)', values: 'tenants' },
};

function spec(name: string, field: z.ZodTypeAny, hint: FieldHint, subHints: Record<string, FieldHint> = {}): FieldSpec {
  let s = field;
  let required = true;
  let def: unknown;
  for (;;) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) {
      required = false;
      s = s.unwrap();
    } else if (s instanceof z.ZodDefault) {
      required = false;
      def = s._def.defaultValue();
      s = s._def.innerType;
    } else if (s instanceof z.ZodEffects) s = s.innerType();
    else break;
  }
  const base = { name, required, default: def, hint };
  if (s instanceof z.ZodString) return { ...base, kind: 'string' };
  if (s instanceof z.ZodBoolean) return { ...base, kind: 'boolean' };
  if (s instanceof z.ZodEnum) return { ...base, kind: 'enum', options: [...(s.options as string[])] };
  if (s instanceof z.ZodNumber) {
    const out: FieldSpec = { ...base, kind: 'number' };
    for (const c of s._def.checks) {
      if (c.kind === 'min') out.min = c.value;
      if (c.kind === 'max') out.max = c.value;
      if (c.kind === 'int') out.integer = true;
    }
    return out;
  }
  if (s instanceof z.ZodArray) {
    return { ...base, kind: 'list', element: spec(name, s.element, {}), min: s._def.minLength?.value, max: s._def.maxLength?.value };
  }
  if (s instanceof z.ZodObject) {
    const fields = Object.entries(s.shape as z.ZodRawShape).map(([n, f]) => spec(n, f, subHints[n] ?? {}));
    return { ...base, kind: 'object', fields };
  }
  return { ...base, kind: 'other' };
}

/** The fields of a query type's body, in the schema's order, without `type`. */
export function fieldsOf(contract: QueryContract): FieldSpec[] {
  const hints = (contract.fields ?? {}) as Record<string, FieldHint | undefined>;
  return Object.entries(objectShape(contract.schema))
    .filter(([name]) => name !== 'type')
    .map(([name, field]) => spec(name, field, hints[name] ?? {}, name === 'filters' ? FILTER_HINTS : {}));
}
