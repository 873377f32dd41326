import { z } from 'zod';
import { Config } from '../../config/schema';
import { PoolClient } from 'pg';
import { QueryAnswer } from './frames';
import { LatestTenantHealth } from '../../collectors/latest-tenant-health';

export interface QueryContext {
  /** A connection inside the query's read-only transaction. */
  db: PoolClient;
  config: Config;
  now: Date;
  /** The tenant health collector's last table, when the service runs that collector. */
  tenantHealth?: LatestTenantHealth;
}

/** One query type: its strict body schema (with `type` as literal) and what it runs. */
export interface QueryType<Q extends { type: string }> {
  type: Q['type'];
  schema: z.ZodType<Q, z.ZodTypeDef, unknown>;
  run(query: Q, ctx: QueryContext): Promise<QueryAnswer>;
  /** 'light': a few small reads, never queued behind expensive queries (admission in router.ts). */
  cost?: 'light';
  /** Answers from collector snapshots (their version keys its cached answers). */
  readsCollectorSnapshots?: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a heterogeneous list, checked per entry by defineQuery
export type AnyQueryType = QueryType<any>;

export function defineQuery<Q extends { type: string }>(q: QueryType<Q>): QueryType<Q> {
  return q;
}
