import { Pool } from 'pg';

const SQL_WAL_POSITION =
  'SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_insert_lsn() END)::text AS wal';

/**
 * The read database's WAL position, read fresh for each question but shared: callers that arrive
 * while a read is in flight wait for the next one (which starts after they arrived), so a version
 * is never older than the request that asked for it, and a burst of requests costs two reads.
 */
export class WalPosition {
  private inFlight: Promise<string> | undefined;
  private next: Promise<string> | undefined;

  constructor(private readonly pool: Pool) {}

  read(): Promise<string> {
    if (!this.inFlight) return this.start();
    this.next ??= this.inFlight
      .catch(() => undefined)
      .then(() => {
        this.next = undefined;
        return this.start();
      });
    return this.next;
  }

  private start(): Promise<string> {
    const p = this.pool
      .query<{ wal: string | null }>(SQL_WAL_POSITION)
      .then((r) => r.rows[0]?.wal ?? 'unknown')
      .finally(() => {
        if (this.inFlight === p) this.inFlight = undefined;
      });
    this.inFlight = p;
    return p;
  }
}
