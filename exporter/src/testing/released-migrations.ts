import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Migration } from '../db/migrations';

/**
 * The migrations exactly as release 0.1.0 shipped them (001-007, functions and triggers defined
 * inside them), to make databases as that release left them and test upgrading them. Apply them
 * with migrate(url, schema, RELEASED_0_1_0, null): their functions come with them.
 */
const DIR = join(__dirname, 'released-0.1.0');

export const RELEASED_0_1_0: readonly Migration[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.sql'))
  .sort()
  .map((f) => ({ version: f.replace(/\.sql$/, ''), sql: readFileSync(join(DIR, f), 'utf8') }));
