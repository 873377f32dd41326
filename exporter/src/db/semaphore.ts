/**
 * A counting semaphore over a pool's connections, first come first served: turns are handed out
 * before a connection is asked for, so that nobody waits inside node-postgres's pool, whose wait
 * ends in a connection-timeout error that would read as a database fault.
 */
export class Semaphore {
  private running = 0;
  private readonly queue: Array<() => void> = [];

  constructor(private readonly size: number) {}

  get idle(): boolean {
    return this.running === 0 && this.queue.length === 0;
  }

  /** A slot now if nobody waits and `spare` slots stay free besides it; else undefined. */
  tryTake(spare: number): (() => void) | undefined {
    if (this.queue.length > 0 || this.running + spare >= this.size) return undefined;
    this.running++;
    return this.releaser();
  }

  /** Runs fn in a turn, waiting for one as long as it takes. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.take(Number.POSITIVE_INFINITY);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /**
   * Resolves with the release function once a slot is free; rejects with refuse() after timeoutMs
   * (never, when it is infinite).
   */
  take(timeoutMs: number, refuse: () => Error = () => new Error('no turn came free')): Promise<() => void> {
    if (this.running < this.size) {
      this.running++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        clearTimeout(timer);
        this.running++;
        resolve(this.releaser());
      };
      const timer = Number.isFinite(timeoutMs)
        ? setTimeout(() => {
            const i = this.queue.indexOf(grant);
            if (i >= 0) this.queue.splice(i, 1);
            reject(refuse());
          }, timeoutMs)
        : undefined;
      this.queue.push(grant);
    });
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.running--;
      this.queue.shift()?.();
    };
  }
}
