/**
 * Caps how many per-entity series a collector exports. The entities are ordered by what matters
 * most to whoever reads them (for tenant health: the lowest scores), the first `max` are kept and
 * the rest counted, so that a capped dashboard still shows the ones that need attention.
 */
export interface Capped<T> {
  kept: T[];
  dropped: number;
}

export function capSeries<T>(items: readonly T[], max: number, order: (a: T, b: T) => number): Capped<T> {
  const sorted = [...items].sort(order);
  const limit = Math.max(0, Math.floor(max));
  return { kept: sorted.slice(0, limit), dropped: Math.max(0, sorted.length - limit) };
}

/**
 * The running total behind a `_dropped_total` counter. Collectors are called once per run and
 * keep no state of their own, so each collector instance owns one of these: it only grows (a
 * process restart resets it, which Prometheus' rate() and increase() treat as a counter reset).
 */
export class DroppedSeriesTotal {
  private total = 0;

  add(dropped: number): number {
    this.total += dropped;
    return this.total;
  }

  get value(): number {
    return this.total;
  }
}
