import { ScopedVars, TimeRange } from '@grafana/data';
import { expandList as expandContractList, Format, Replace as ContractReplace, requestBody } from '@saasmon/contract';
import { SaasmonQuery } from './types';

// The request body itself is built by the contract (requestBody), shared with the exporter's
// answer warmer; here it only meets Grafana's types.

export type { Format };
export type Replace = ContractReplace<ScopedVars>;

/** Template variables in a list field: a (multi-value or All) variable expands to all its values. */
export function expandList(values: Array<string | number> | undefined, replace: Replace, scopedVars: ScopedVars): string[] | undefined {
  return expandContractList(values, replace, scopedVars);
}

/** The JSON body of POST /api/v1/query for one panel query, or undefined when it is incomplete. */
export function buildRequest(
  q: SaasmonQuery,
  range: TimeRange,
  replace: Replace,
  scopedVars: ScopedVars = {},
): Record<string, unknown> | undefined {
  return requestBody(q, { from: range.from.toISOString(), to: range.to.toISOString() }, replace, scopedVars);
}

const ANY_RANGE = { from: new Date(0), to: new Date(86_400_000) } as unknown as TimeRange;

/** Whether the query has every field it needs to run (template variables left as they are). */
export function isComplete(q: SaasmonQuery): boolean {
  return buildRequest(q, ANY_RANGE, (v) => v) !== undefined;
}
