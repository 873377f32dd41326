import { z } from 'zod';
import { Config } from '../../config/schema';
import { PoolClient } from 'pg';
import { Queryable } from '../../db/pool';
import { QueryAnswer } from './frames';
import { LatestTenantHealth } from '../../collectors/latest-tenant-health';
import { LatestChurnRisk } from '../../collectors/latest-churn-risk';

export interface QueryContext<Db extends Queryable = PoolClient> {
  /** A connection inside the query's read-only transaction (light queries: ParallelReads). */
  db: Db;
  config: Config;
  now: Date;
  /** The tenant health collector's last table, when the service runs that collector. */
  tenantHealth?: LatestTenantHealth;
  /** The churn risk collector's last model and scores, when the service runs that collector. */
  churnRisk?: LatestChurnRisk;
}

interface QueryTypeBase<Q extends { type: string }> {
  type: Q['type'];
  schema: z.ZodType<Q, z.ZodTypeDef, unknown>;
  /** Answers from collector snapshots (their version keys its cached answers). */
  readsCollectorSnapshots?: boolean;
}

/** One query type: its strict body schema (with `type` as literal) and what it runs. */
export type QueryType<Q extends { type: string }> = QueryTypeBase<Q> &
  (
    | { cost?: undefined; run(query: Q, ctx: QueryContext): Promise<QueryAnswer> }
    | {
        /**
         * 'light': a few small, independent reads, never queued behind expensive queries
         * (admission in router.ts); they share no transaction and run side by side (ParallelReads).
         */
        cost: 'light';
        run(query: Q, ctx: QueryContext<Queryable>): Promise<QueryAnswer>;
      }
  );

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a heterogeneous list, checked per entry by defineQuery
export type AnyQueryType = QueryType<any>;

export function defineQuery<Q extends { type: string }>(q: QueryType<Q>): QueryType<Q> {
  return q;
}
