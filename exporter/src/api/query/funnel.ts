import { Attempt, bestAttempt, FunnelStepResult, StepEvents, summarizeFunnel } from '../../domain/funnel';
import { CopyOut, forEachCopyTuple } from '../../db/copy-binary';
import { scratch } from '../../db/scratch';
import { readFunnelTimelines, readStepNameIds } from '../../reads/funnel';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';
import { funnel as contract } from '@saasmon/contract';

// Funnel (docs/metrics.md, "Funnel"): attempts start at step-1 events inside [from, to);
// later steps may fall after `to` as long as they are within the conversion window.

type StepRow = FunnelStepResult & { bucket: string; name: string };

/** Step events of every user, grouped by user (user u's are [userStarts[u], userStarts[u + 1])), each user's in time order. */
export interface UserStepEvents extends StepEvents {
  userStarts: Int32Array;
  bucketOfUser: string[];
}

const DAY_MS = 86_400_000;

/**
 * Reads the COPY rows of readFunnelTimelines into step events grouped by user and hands them to
 * `use`: only entries whose name is a step (`stepBitsOfNameId[id]` non-zero) and whose time is in
 * [fromMs, lastMs] are kept. Flat typed arrays and a counting sort by user: at 10M events a funnel
 * reads ~2M entries. The arrays are scratch memory, lent for the duration of `use` only.
 */
export function withUserSteps<T>(
  copy: CopyOut,
  stepBitsOfNameId: ArrayLike<number>,
  fromMs: number,
  lastMs: number,
  use: (users: UserStepEvents) => T,
): T {
  const capacity = copy.buffer.length >> 3; // an entry is 8 bytes: never more entries than that
  const readMemory = scratch.take(capacity * 14);
  let groupedMemory: ArrayBuffer | undefined;
  try {
    const read = readStepEntries(copy, stepBitsOfNameId, fromMs, lastMs, carve(readMemory), capacity);
    groupedMemory = scratch.take(read.count * 10 + (2 * read.bucketOfUser.length + 1) * 4 + 16);
    return use(groupByUser(read, carve(groupedMemory)));
  } finally {
    scratch.give(readMemory);
    if (groupedMemory) scratch.give(groupedMemory);
  }
}

interface StepEntries {
  count: number;
  eventTime: Float64Array;
  eventUser: Int32Array;
  eventBits: Uint16Array;
  bucketOfUser: string[];
}

function readStepEntries(
  copy: CopyOut,
  stepBitsOfNameId: ArrayLike<number>,
  fromMs: number,
  lastMs: number,
  memory: Carver,
  capacity: number,
): StepEntries {
  const eventTime = memory.f64(capacity);
  const eventUser = memory.i32(capacity);
  const eventBits = memory.u16(capacity);
  let count = 0;
  const userIndex = new Map<string, number>();
  const bucketOfUser: string[] = [];
  const userIndexOf = (buf: Buffer, starts: Int32Array, lengths: Int32Array): number => {
    const userAt = starts[1] as number;
    const id = buf.toString('utf8', userAt, userAt + (lengths[1] as number));
    let user = userIndex.get(id);
    if (user === undefined) {
      const bucketAt = starts[0] as number;
      user = bucketOfUser.push(buf.toString('utf8', bucketAt, bucketAt + (lengths[0] as number))) - 1;
      userIndex.set(id, user);
    }
    return user;
  };
  // Typed views: this loop runs for every entry of every user in range (millions at 10M events).
  const bitsById = Uint16Array.from(stepBitsOfNameId, (b) => b ?? 0);
  let view = new DataView(copy.buffer.buffer, copy.buffer.byteOffset, copy.buffer.length);
  forEachCopyTuple(copy, (buf, starts, lengths) => {
    if (view.buffer !== buf.buffer || view.byteOffset !== buf.byteOffset) view = new DataView(buf.buffer, buf.byteOffset, buf.length);
    const periodStartMs = view.getInt32(starts[2] as number) * DAY_MS;
    const entriesAt = starts[3] as number;
    const end = entriesAt + (lengths[3] as number);
    let user = -1;
    for (let off = entriesAt; off < end; off += 8) {
      const id = view.getInt32(off);
      const bits = id < bitsById.length ? (bitsById[id] as number) : 0;
      if (bits === 0) continue;
      const t = periodStartMs + view.getInt32(off + 4);
      if (t < fromMs || t > lastMs) continue;
      if (user < 0) user = userIndexOf(buf, starts, lengths);
      eventUser[count] = user;
      eventTime[count] = t;
      eventBits[count] = bits;
      count++;
    }
  });
  return { count, eventTime, eventUser, eventBits, bucketOfUser };
}

/**
 * A counting sort by user keeps each user's events in read order: rows in period order, entries
 * in write order. Only a user whose rows came out of order needs a sort of their own.
 */
function groupByUser(read: StepEntries, memory: Carver): UserStepEvents {
  const { count, eventTime, eventUser, eventBits, bucketOfUser } = read;
  const userCount = bucketOfUser.length;
  const timesMs = memory.f64(count);
  const userStarts = memory.i32(userCount + 1).fill(0);
  const next = memory.i32(userCount);
  const stepBits = memory.u16(count);
  for (let i = 0; i < count; i++) {
    const u = eventUser[i] as number;
    userStarts[u + 1] = (userStarts[u + 1] as number) + 1;
  }
  for (let u = 0; u < userCount; u++) userStarts[u + 1] = (userStarts[u + 1] as number) + (userStarts[u] as number);
  next.set(userStarts.subarray(0, userCount));
  for (let i = 0; i < count; i++) {
    const u = eventUser[i] as number;
    const at = next[u] as number;
    next[u] = at + 1;
    timesMs[at] = eventTime[i] as number;
    stepBits[at] = eventBits[i] as number;
  }
  for (let u = 0; u < userCount; u++) sortByTime(timesMs, stepBits, userStarts[u] as number, userStarts[u + 1] as number);
  return { timesMs, stepBits, userStarts, bucketOfUser };
}

type Carver = ReturnType<typeof carve>;

/** Typed arrays laid one after another in `memory`, each 8-byte aligned. */
function carve(memory: ArrayBuffer) {
  let at = 0;
  const next = <A>(make: (b: ArrayBuffer, offset: number, length: number) => A, bytesEach: number, length: number): A => {
    const array = make(memory, at, length);
    at += Math.ceil((bytesEach * length) / 8) * 8;
    return array;
  };
  return {
    f64: (n: number) => next((b, o, l) => new Float64Array(b, o, l), 8, n),
    i32: (n: number) => next((b, o, l) => new Int32Array(b, o, l), 4, n),
    u16: (n: number) => next((b, o, l) => new Uint16Array(b, o, l), 2, n),
  };
}

/** Sorts events [begin, end) by time, equal times keeping their order (they were written in it). */
function sortByTime(times: Float64Array, bits: Uint16Array, begin: number, end: number): void {
  let sorted = true;
  for (let i = begin + 1; i < end && sorted; i++) sorted = (times[i - 1] as number) <= (times[i] as number);
  if (sorted) return;
  const order = Array.from({ length: end - begin }, (_, i) => begin + i);
  order.sort((a, b) => (times[a] as number) - (times[b] as number) || a - b);
  const t = order.map((i) => times[i] as number);
  const b = order.map((i) => bits[i] as number);
  times.set(t, begin);
  bits.set(b, begin);
}

export const funnelQuery = defineQuery({
  ...contract,
  async run(q, { db, now, config }) {
    const fromMs = Date.parse(q.from);
    const toMs = Date.parse(q.to);
    const windowMs = q.windowDays * 86_400_000;
    const lastMs = Math.min(toMs + windowMs, now.getTime());
    const names = await readStepNameIds(db, q.steps);
    const stepBitsOfNameId: number[] = [];
    for (const n of names) stepBitsOfNameId[n.id] = q.steps.reduce((bits, name, k) => (name === n.name ? bits | (1 << k) : bits), 0);
    const attemptsByBucket = new Map<string, Attempt[]>();
    if (names.length > 0) {
      const canStart = (t: number) => t >= fromMs && t < toMs;
      const range = { fromMs, lastMs, breakdown: q.breakdown, filters: q.filters };
      await readFunnelTimelines(db, range, (copy) =>
        withUserSteps(copy, stepBitsOfNameId, fromMs, lastMs, (users) => {
          for (let u = 0; u + 1 < users.userStarts.length; u++) {
            const attempt = bestAttempt(
              users,
              users.userStarts[u] as number,
              users.userStarts[u + 1] as number,
              q.steps.length,
              windowMs,
              canStart,
            );
            if (!attempt) continue;
            const bucket = users.bucketOfUser[u] as string;
            const list = attemptsByBucket.get(bucket);
            if (list) list.push(attempt);
            else attemptsByBucket.set(bucket, [attempt]);
          }
        }),
      );
    }

    let buckets = [...attemptsByBucket.keys()].sort();
    // Cardinality cap: the groups with the most users starting the funnel, named in a notice.
    const cap = config.api.maxBreakdownGroups;
    const groups = buckets.length;
    if (groups > cap) {
      const starters = (b: string) => attemptsByBucket.get(b)?.length ?? 0;
      buckets = [...buckets]
        .sort((a, b) => starters(b) - starters(a) || (a < b ? -1 : 1))
        .slice(0, cap)
        .sort();
    }
    if (buckets.length === 0) buckets.push(q.breakdown ? '(none)' : 'all');
    const table: StepRow[] = buckets.flatMap((bucket) =>
      summarizeFunnel(attemptsByBucket.get(bucket) ?? [], q.steps.length).map((s) => ({
        ...s,
        bucket,
        name: q.steps[s.step - 1] as string,
      })),
    );
    const columns = [
      { name: 'step', type: 'number' as const, value: (r: StepRow) => r.step },
      { name: 'event', type: 'string' as const, value: (r: StepRow) => `${r.step}. ${r.name}` },
      ...(q.breakdown ? [{ name: q.breakdown, type: 'string' as const, value: (r: StepRow) => r.bucket }] : []),
      { name: 'users', type: 'number' as const, value: (r: StepRow) => r.users },
      {
        name: 'conversion_from_start',
        type: 'number' as const,
        value: (r: StepRow) => r.conversionFromStart,
        config: { unit: 'percentunit' },
      },
      {
        name: 'conversion_from_previous',
        type: 'number' as const,
        value: (r: StepRow) => r.conversionFromPrevious,
        config: { unit: 'percentunit' },
      },
      {
        name: 'median_seconds_from_previous',
        type: 'number' as const,
        value: (r: StepRow) => r.medianSecondsFromPrevious,
        config: { unit: 's' },
      },
    ];
    const frame = frameFromRows('funnel', table, columns);
    if (groups > cap) {
      frame.meta = {
        notices: [
          {
            severity: 'warning',
            text: `${groups} ${q.breakdown ?? 'group'} values have users in this funnel; showing the ${cap} with the most (api.maxBreakdownGroups). Filter to see others.`,
          },
        ],
      };
    }
    return { frames: [frame] };
  },
});
