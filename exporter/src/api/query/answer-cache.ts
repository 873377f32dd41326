import { AGE_PLACEHOLDER, AnswerText } from '../../compute/engine';
/** How a lookup was answered: from the cache, by joining an identical computation in flight, or computed. */
export type CacheLookup = 'hit' | 'shared' | 'miss';

/** An answer to send: its JSON text, its age, and how the lookup went. */
export interface CachedAnswer {
  json: string;
  ageSeconds: number;
  lookup: CacheLookup;
}

/** What an answer read: the data version it is valid for. */
export interface DataVersion {
  /**
   * The database's WAL position (replayed position on a standby): it moves with every committed
   * write, ingest, compaction and writes by other processes alike.
   */
  wal: string;
  /** Collector snapshots taken (the tenant health query answers from the collector's table). */
  snapshotVersion: number;
}

export interface CacheSettings {
  enabled: boolean;
  maxBytes: number;
  maxAgeMs: number;
  maxStaleMs: number;
}

interface Entry {
  answer: AnswerText;
  version: DataVersion;
  computedAtMs: number;
  /** How long its computation took (its wait for a slot included): how early the next must start. */
  computeMs: number;
  bytes: number;
}

/** A computation in progress: the data version it reads and when it started. */
interface Flight {
  version: DataVersion;
  startedAtMs: number;
  answer: Promise<AnswerText>;
}

/**
 * Answers shared between users: identical queries in flight are computed once (single flight),
 * and answers are kept, bounded in bytes (least recently used out first), as long as the data
 * they read has not changed: the same WAL position and, for `readsSnapshots` queries, the same
 * collector snapshots. With maxStaleMs 0 any change invalidates at once. With maxStaleMs set, an
 * answer (or a computation in flight) started at most that long ago is served whatever moved
 * since, without asking the database for its version: under continuous ingest the WAL moves with
 * every batch, and without this no two requests would ever share. No answer is served older than
 * maxAgeMs.
 */
export class AnswerCache {
  private readonly entries = new Map<string, Entry>();
  /** The latest computation per key (an older one for the same key may still be running). */
  private readonly inFlight = new Map<string, Flight>();
  private bytes = 0;

  constructor(private readonly settings: CacheSettings) {}

  /**
   * The answer to `key`: from the cache when still valid, else from the computation in flight for
   * the same key, else computed now. Returns the JSON text to send and its age in seconds.
   *
   * `background`, when given, is asked for a computation counted against no person (undefined
   * when none can be had): with maxStaleMs set, an answer served close to its staleness bound is
   * computed again in the background (refresh ahead, see refreshDueAtAge), so that under steady
   * use the next requests find a newer answer instead of waiting for one once the old one expires.
   */
  async get(
    key: string,
    readsSnapshots: boolean,
    version: () => Promise<DataVersion>,
    nowMs: () => number,
    compute: () => Promise<AnswerText>,
    background?: () => (() => Promise<AnswerText>) | undefined,
  ): Promise<CachedAnswer> {
    if (!this.settings.enabled) return { json: (await compute()).fresh, ageSeconds: 0, lookup: 'miss' };
    const arrivedMs = nowMs();
    if (this.settings.maxStaleMs > 0) {
      const recent = this.entries.get(key);
      if (recent && this.withinStaleBound(recent.computedAtMs, arrivedMs)) {
        if (background && arrivedMs - recent.computedAtMs >= refreshDueAtAge(recent.computeMs, this.settings.maxStaleMs))
          this.refreshAhead(key, recent, arrivedMs, background);
        return this.serve(key, recent, nowMs());
      }
      const flight = this.inFlight.get(key);
      if (flight && this.withinStaleBound(flight.startedAtMs, arrivedMs)) return this.join(flight);
    }
    // Read after the request arrived, so an answer never misses a write acknowledged before it
    // (beyond maxStaleMs).
    const current = await version();
    const cached = this.entries.get(key);
    if (cached && this.valid(cached, current, readsSnapshots, nowMs())) return this.serve(key, cached, nowMs());
    // Joining a computation is sharing its data version: one started before a write is not joined.
    const flight = this.inFlight.get(key);
    if (flight && sameVersion(flight.version, current, readsSnapshots)) return this.join(flight);
    return { json: (await this.start(key, current, nowMs(), compute)).fresh, ageSeconds: 0, lookup: 'miss' };
  }

  private refreshAhead(key: string, served: Entry, nowMs: number, background: () => (() => Promise<AnswerText>) | undefined): void {
    const flight = this.inFlight.get(key);
    if (flight && flight.startedAtMs > served.computedAtMs) return; // a newer answer is on its way
    const run = background();
    if (!run) return;
    // Its version is not read (that would cost a round trip per refresh): the answer is shared by
    // its age alone, which maxStaleMs > 0 allows.
    this.start(key, UNREAD_VERSION, nowMs, run).catch(() => undefined);
  }

  private withinStaleBound(sinceMs: number, nowMs: number): boolean {
    const age = nowMs - sinceMs;
    return age >= 0 && age <= this.settings.maxStaleMs && age <= this.settings.maxAgeMs;
  }

  private serve(key: string, e: Entry, nowMs: number): CachedAnswer {
    this.entries.delete(key);
    this.entries.set(key, e); // most recently used last
    const ageSeconds = Math.max(0, Math.round(nowMs - e.computedAtMs) / 1000);
    // Age 0 (the same instant, e.g. a frozen clock) is a fresh answer: no stat, byte for byte the same.
    const json = ageSeconds > 0 ? e.answer.aged.replaceAll(AGE_PLACEHOLDER, String(ageSeconds)) : e.answer.fresh;
    return { json, ageSeconds, lookup: 'hit' };
  }

  private async join(flight: Flight): Promise<CachedAnswer> {
    return { json: (await flight.answer).fresh, ageSeconds: 0, lookup: 'shared' };
  }

  private start(key: string, version: DataVersion, startedAtMs: number, compute: () => Promise<AnswerText>): Promise<AnswerText> {
    const flight: Flight = { version, startedAtMs, answer: compute() };
    const t0 = performance.now();
    this.inFlight.set(key, flight);
    return flight.answer
      .then((answer) => {
        // A computation that started later may have finished first: never replace its answer.
        const kept = this.entries.get(key);
        if (!kept || kept.computedAtMs <= startedAtMs) {
          const bytes = answer.fresh.length + answer.aged.length;
          this.store(key, { answer, version, computedAtMs: startedAtMs, computeMs: performance.now() - t0, bytes });
        }
        return answer;
      })
      .finally(() => {
        if (this.inFlight.get(key) === flight) this.inFlight.delete(key);
      });
  }

  private valid(e: Entry, v: DataVersion, readsSnapshots: boolean, now: number): boolean {
    const age = now - e.computedAtMs;
    if (age < 0 || age > this.settings.maxAgeMs) return false;
    return sameVersion(e.version, v, readsSnapshots) || (this.settings.maxStaleMs > 0 && age <= this.settings.maxStaleMs);
  }

  private store(key: string, e: Entry): void {
    if (e.bytes > this.settings.maxBytes) return;
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.bytes;
      this.entries.delete(key);
    }
    this.entries.set(key, e);
    this.bytes += e.bytes;
    for (const [k, victim] of this.entries) {
      if (this.bytes <= this.settings.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= victim.bytes;
    }
  }
}

/**
 * The age at which an answer is computed again in the background, for a bound of maxStaleMs: half
 * the bound, or earlier when its last computation took long, so that the next answer is there
 * before this one expires with twice that time to spare (a computation slows down under the very
 * load that makes people share answers). An answer whose computation takes more than half the
 * bound is refreshed as soon as it is served: it would expire before a later start could land.
 */
export function refreshDueAtAge(computeMs: number, maxStaleMs: number): number {
  return Math.max(0, Math.min(maxStaleMs / 2, maxStaleMs - 2 * computeMs));
}

/** The version of a computation started without reading one: equal to no version read. */
const UNREAD_VERSION: DataVersion = { wal: '', snapshotVersion: -1 };

function sameVersion(a: DataVersion, b: DataVersion, readsSnapshots: boolean): boolean {
  return a.wal === b.wal && (!readsSnapshots || a.snapshotVersion === b.snapshotVersion);
}

/** A query's cache key: its type and fields in a fixed order, so equal queries are one key. */
export function normalisedKey(query: unknown): string {
  return JSON.stringify(sortKeys(query));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}
