import { Semaphore } from '../../db/semaphore';
import { HttpError } from '../errors';

/**
 * Admission to the query API, before any connection is taken. A token may have only so many
 * queries running; more wait their turn (a dashboard sends all its panels at once) and get 429 if
 * the wait passes the queue timeout. Expensive queries share the query pool's connections;
 * light ones (dr_status, variables) have a pool of their own (`database.pools.light`), so they find
 * a connection however many expensive ones run. An expensive query that waits past the queue
 * timeout gets 503. Both carry Retry-After, and nothing
 * was done.
 */
export class QueryAdmission {
  private readonly perToken = new Map<string, Semaphore>();
  private readonly heavy: Semaphore;

  constructor(
    private readonly maxPerToken: number,
    readonly heavySlots: number,
    private readonly queueTimeoutMs: number,
  ) {
    this.heavy = new Semaphore(heavySlots);
  }

  /**
   * An expensive-query slot for background work (the answer warmer), never waited for and counted
   * against no token: only when nobody waits and a slot stays free for people besides it.
   * Undefined when people need the slots; else the function to call once the work has ended.
   */
  tryBackground(): (() => void) | undefined {
    return this.heavy.tryTake(this.heavySlots > 1 ? 1 : 0);
  }

  /**
   * An expensive-query slot for a refresh of an answer people are being served (the answer
   * cache's refresh ahead), waited for in turn like a person's query and counted against no token:
   * without it, everybody would wait for the same computation once the answer expires. Rejects
   * after the queue timeout.
   */
  takeForRefresh(): Promise<() => void> {
    // People who join the refresh once their answer expired get this refusal too: a 503, as theirs.
    return this.heavy.take(this.queueTimeoutMs, () => this.heavyRefusal());
  }

  /** Waits for admission; the returned function must be called once the query has ended. */
  async admit(token: string, light: boolean): Promise<() => void> {
    let mine = this.perToken.get(token);
    if (!mine) {
      mine = new Semaphore(this.maxPerToken);
      this.perToken.set(token, mine);
    }
    const own = mine;
    const leaveToken = await own.take(
      this.queueTimeoutMs,
      () =>
        new HttpError(
          429,
          `token "${token}" had ${this.maxPerToken} queries running (api.maxConcurrentQueriesPerToken) for ${this.queueTimeoutMs} ms; nothing was done, retry shortly`,
          undefined,
          { 'Retry-After': '1' },
        ),
    );
    const releaseToken = () => {
      leaveToken();
      if (own.idle) this.perToken.delete(token);
    };
    if (light) return releaseToken;
    try {
      const leaveHeavy = await this.heavy.take(this.queueTimeoutMs, () => this.heavyRefusal());
      return () => {
        leaveHeavy();
        releaseToken();
      };
    } catch (err) {
      releaseToken();
      throw err;
    }
  }

  private heavyRefusal(): HttpError {
    return new HttpError(
      503,
      `every query connection has been busy with expensive queries for ${this.queueTimeoutMs} ms; nothing was done, retry shortly`,
      undefined,
      { 'Retry-After': '2' },
    );
  }
}
