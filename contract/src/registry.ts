import * as files from './queries';
import { isQueryContract, QueryContract } from './contract';

// Every query type is collected here from the contract files (queries.ts lists them): no second
// list to keep. The exporter finds each type's runner by its name (exporter/src/api/query/index.ts).

type Exported = (typeof files)[keyof typeof files];
export type AnyQueryContract = Extract<Exported, QueryContract<string, { type: string }>>;
export type QueryTypeName = AnyQueryContract['type'];

/** Every query type, in the order the editor offers them (by label). */
export const QUERY_CONTRACTS: readonly AnyQueryContract[] = (Object.values(files).filter(isQueryContract) as AnyQueryContract[]).sort(
  (a, b) => a.label.localeCompare(b.label, 'en'),
);

export function contractOf(type: string): AnyQueryContract | undefined {
  return QUERY_CONTRACTS.find((c) => c.type === type);
}
