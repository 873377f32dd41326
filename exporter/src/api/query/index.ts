import { QUERY_CONTRACTS } from '@saasmon/contract';
import { AnyQueryType } from './registry';

// Each query type of the contract (@saasmon/contract) runs in the module named after it: type
// `churned_tenants` in ./churned-tenants.ts, which exports `defineQuery({ ...contract, run })`.
// No list to keep: a contract without its module fails here, when the service (or a test) starts.

/** The module file (without extension) that runs a query type. */
export function moduleNameOf(type: string): string {
  return type.replace(/_/g, '-');
}

/** The query types (runners) a module exports. */
export function runnersIn(module: Record<string, unknown>): AnyQueryType[] {
  return Object.values(module).filter(
    (v): v is AnyQueryType =>
      typeof v === 'object' && v !== null && typeof (v as AnyQueryType).run === 'function' && typeof (v as AnyQueryType).type === 'string',
  );
}

function runnerOf(type: string): AnyQueryType {
  const file = `./${moduleNameOf(type)}`;
  let module: Record<string, unknown>;
  try {
    // A computed require: the module is found by the type's name (the compiled .js next to this one).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    module = require(file) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`query type ${type}: cannot load its module exporter/src/api/query/${moduleNameOf(type)}.ts (${(e as Error).message})`);
  }
  const runner = runnersIn(module).find((q) => q.type === type);
  if (!runner) throw new Error(`query type ${type}: ${file} exports no defineQuery({ ...contract, run }) of this type`);
  return runner;
}

/** Every query type of POST /api/v1/query: one per contract, in the contract's order. */
export const QUERY_TYPES: readonly AnyQueryType[] = QUERY_CONTRACTS.map((c) => runnerOf(c.type));
