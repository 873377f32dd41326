import { autocannon } from './load';
import { serveOneJob } from './one-shot-process';

// A closed-loop load generator (autocannon) in a process of its own, started by bench/users.ts:
// it receives autocannon's options, runs them, sends the result back and exits.

serveOneJob(autocannon);
