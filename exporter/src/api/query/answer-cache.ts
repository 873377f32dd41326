import { AGE_PLACEHOLDER, AnswerText } from '../../compute/engine';

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
  bytes: number;
}

/**
 * Answers shared between users: identical queries in flight are computed once (single flight),
 * and answers are kept, bounded in bytes (least recently used out first), as long as the data
 * they read has not changed: the same compaction epoch and, for `readsSnapshots` queries, the same
 * collector snapshots. Any committed write (the WAL moved) invalidates at once, or after
 * maxStaleMs when that is set; no answer is served older than maxAgeMs.
 */
export class AnswerCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<{ answer: AnswerText; computedAtMs: number }>>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly settings: CacheSettings) {}

  /**
   * The answer to `key`: from the cache when still valid, else from the computation in flight for
   * the same key, else computed now. Returns the JSON text to send and its age in seconds.
   */
  async get(
    key: string,
    readsSnapshots: boolean,
    version: () => Promise<DataVersion>,
    nowMs: () => number,
    compute: () => Promise<AnswerText>,
  ): Promise<{ json: string; ageSeconds: number; hit: boolean }> {
    if (!this.settings.enabled) return { json: (await compute()).fresh, ageSeconds: 0, hit: false };
    // Read after the request arrived, so an answer never misses a write acknowledged before it.
    const current = await version();
    const hit = this.entries.get(key);
    if (hit && this.valid(hit, current, readsSnapshots, nowMs())) {
      this.hits++;
      this.entries.delete(key);
      this.entries.set(key, hit); // most recently used last
      const ageSeconds = Math.max(0, Math.round(nowMs() - hit.computedAtMs) / 1000);
      // Age 0 (the same instant, e.g. a frozen clock) is a fresh answer: no stat, byte for byte the same.
      const json = ageSeconds > 0 ? hit.answer.aged.replaceAll(AGE_PLACEHOLDER, String(ageSeconds)) : hit.answer.fresh;
      return { json, ageSeconds, hit: true };
    }
    this.misses++;
    // Joining a computation is sharing its data version: one started before a write is not joined.
    const versionBefore = current;
    const flightKey = `${key}|${current.wal}|${readsSnapshots ? current.snapshotVersion : ''}`;
    let flight = this.inFlight.get(flightKey);
    if (!flight) {
      const computedAtMs = nowMs();
      flight = compute()
        .then((answer) => {
          this.store(key, { answer, version: versionBefore, computedAtMs, bytes: answer.fresh.length + answer.aged.length });
          return { answer, computedAtMs };
        })
        .finally(() => this.inFlight.delete(flightKey));
      this.inFlight.set(flightKey, flight);
    }
    const { answer } = await flight;
    return { json: answer.fresh, ageSeconds: 0, hit: false };
  }

  private valid(e: Entry, v: DataVersion, readsSnapshots: boolean, now: number): boolean {
    const age = now - e.computedAtMs;
    if (age < 0 || age > this.settings.maxAgeMs) return false;
    if (readsSnapshots && e.version.snapshotVersion !== v.snapshotVersion) return false;
    return e.version.wal === v.wal || (this.settings.maxStaleMs > 0 && age <= this.settings.maxStaleMs);
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
