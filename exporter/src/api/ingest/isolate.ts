import { PoolClient } from 'pg';
import { isDatabaseInputError, PgErrorLike } from '../errors';

/**
 * Writes a batch inside the caller's transaction so that a value Postgres refuses (a data error
 * the validation did not foresee) costs only its own item: the batch is tried whole, and a chunk
 * that fails is rolled back to its savepoint and halved until the refused items stand alone
 * (about 2 log2(n) statements for one bad item in n). Any other error (connection, timeout)
 * propagates and the caller's transaction rolls back: nothing is half-stored.
 */
export async function writeIsolated<T, R>(
  client: PoolClient,
  items: readonly T[],
  write: (items: readonly T[]) => Promise<R[]>,
): Promise<{ written: R[]; refused: Array<{ item: T; error: PgErrorLike }> }> {
  const written: R[] = [];
  const refused: Array<{ item: T; error: PgErrorLike }> = [];
  let savepoints = 0;
  async function attempt(chunk: readonly T[]): Promise<void> {
    if (chunk.length === 0) return;
    const name = `saasmon_isolate_${savepoints++}`;
    await client.query(`SAVEPOINT ${name}`);
    try {
      written.push(...(await write(chunk)));
      await client.query(`RELEASE SAVEPOINT ${name}`);
    } catch (err) {
      if (!isDatabaseInputError(err)) throw err;
      await client.query(`ROLLBACK TO SAVEPOINT ${name}`);
      if (chunk.length === 1) {
        refused.push({ item: chunk[0] as T, error: err });
        return;
      }
      const half = Math.ceil(chunk.length / 2);
      await attempt(chunk.slice(0, half));
      await attempt(chunk.slice(half));
    }
  }
  await attempt(items);
  return { written, refused };
}
