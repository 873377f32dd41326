import { AutocannonResult, bodyOf, eventBatchRequest } from './load';
import { runInProcess } from './one-shot-process';
import { paced, PacedOptions, PacedRequest } from './paced';

/**
 * A paced load described as data (it crosses to another process): fixed requests sent in turn,
 * round robin, or batches of new events (bench/load.ts, eventBatchRequest).
 */
export type PacedJob = Omit<PacedOptions, 'next'> &
  (
    | { requests: PacedRequest[] }
    | {
        eventBatches: {
          runId: string;
          batchSize: number;
          owners: ReadonlyArray<{ tenant: string; user: string }>;
          /** The sender's headers (its token: each process of the benchmark makes its own). */
          headers: Record<string, string>;
        };
      }
  );

export function pacedJob(job: PacedJob): Promise<AutocannonResult> {
  if ('eventBatches' in job) {
    const { runId, batchSize, owners, headers } = job.eventBatches;
    const batches = eventBatchRequest(runId, batchSize, owners);
    return paced({ ...job, next: () => ({ ...bodyOf(batches), headers }) });
  }
  let k = 0;
  return paced({ ...job, next: () => job.requests[k++ % job.requests.length] as PacedRequest });
}

/**
 * Paced loads run by a process of their own, in a session of its own, as Prometheus and the
 * product's servers sending events are other programs (other machines, often): their timers and
 * their reading of the answers never wait behind another generator's work in one event loop, nor
 * share a scheduling group with it (see as-a-service.ts). Resolves with each job's result, in order.
 */
export function pacedElsewhere(jobs: readonly PacedJob[]): Promise<AutocannonResult[]> {
  return runInProcess('paced-process', jobs, { ownSession: true });
}
