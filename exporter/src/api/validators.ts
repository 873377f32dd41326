// The validators every API body is built from live in the shared contract package, so that the
// query contract and the ingest schemas refuse the same values: contract/src/validators.ts.
export {
  compareTimestamps,
  freeText,
  integer,
  jsonObject,
  jsonProblem,
  key,
  LIMITS,
  notBefore,
  parseTimestamp,
  textProblem,
  timestamp,
  TIMESTAMP_PATTERN,
} from '@saasmon/contract';
export type { ParsedTimestamp } from '@saasmon/contract';
