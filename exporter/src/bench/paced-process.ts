import { PacedJob, pacedJob } from './paced-elsewhere';

// Paced loads in a process of their own, started by pacedElsewhere (bench/paced-elsewhere.ts): it receives
// the jobs, runs them at once, sends the results back and exits.

process.on('disconnect', () => process.exit(0));
process.once('message', (jobs: PacedJob[]) => {
  void Promise.all(jobs.map(pacedJob)).then(
    (results) => process.send?.({ results }, () => process.exit(0)),
    (err: unknown) => process.send?.({ error: (err as Error).message }, () => process.exit(1)),
  );
});
