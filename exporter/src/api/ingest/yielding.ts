import { setImmediate as nextTurn } from 'node:timers/promises';

/** Items validated between two turns of the event loop: about a millisecond of zod work on a quiet core. */
export const VALIDATION_SLICE = 50;

/**
 * Calls `fn` on each item in order, giving the event loop a turn after every `slice` items. Ingest
 * validates on the main thread of its process (docs/architecture.md): a batch of thousands of
 * events checked in one go would hold every other request of that thread (smaller batches, the
 * status page) for its whole length; in slices, they wait for at most one slice.
 */
export async function forEachYielding<T>(
  items: readonly T[],
  fn: (item: T, index: number) => void,
  slice: number = VALIDATION_SLICE,
): Promise<void> {
  for (let i = 0; i < items.length; i++) {
    if (i > 0 && i % slice === 0) await nextTurn();
    fn(items[i] as T, i);
  }
}
