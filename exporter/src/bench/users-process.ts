import { autocannon } from './load';

// A closed-loop load generator (autocannon) in a process of its own, started by bench/users.ts:
// it receives autocannon's options, runs them, sends the result back and exits.

process.once('message', (options: Record<string, unknown>) => {
  void autocannon(options).then(
    (result) => process.send?.({ result }, () => process.exit(0)),
    (err: unknown) => process.send?.({ error: (err as Error).message }, () => process.exit(1)),
  );
});
