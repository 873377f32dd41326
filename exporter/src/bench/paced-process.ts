import { serveOneJob } from './one-shot-process';
import { PacedJob, pacedJob } from './paced-elsewhere';

// Paced loads in a process of their own, started by pacedElsewhere (bench/paced-elsewhere.ts): it
// receives the jobs, runs them at once, sends the results back and exits.

serveOneJob((jobs: PacedJob[]) => Promise.all(jobs.map(pacedJob)));
