import { CopyOut, forEachCopyTuple, forEachInt4, forEachSetBit } from '../../db/copy-binary';
import { readActiveUserActivity } from '../../reads/activity';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';
import { activeUsers as contract } from '@saasmon/contract';

// DAU / WAU / MAU per UTC calendar day d: distinct live users with an event on day d, on days
// d-6..d, on days d-29..d. (The exporter's saasmon_active_users gauges are the rolling windows
// (T-w, T] at the scrape instant; this series is their calendar-day counterpart for charts.)

const MAX_DAYS = 400;

const WINDOWS = [1, 7, 30] as const;
const DAY_MS = 86_400_000;

/**
 * DAU, WAU and MAU for each day of [lo + 29, hi] from the COPY rows of readActiveUserActivity. A user
 * counts on day d of a w-day window when one of their active days a has a <= d < a + w; per user
 * the covered days form runs, each adding +1 where it starts and -1 the day after it ends, and a
 * running sum gives the counts: one pass over each user's active days, whatever w.
 */
export function activeUserCounts(copy: CopyOut, lo: number, hi: number): Array<{ day: number; counts: number[] }> {
  const span = hi - lo + 1;
  const steps = WINDOWS.map(() => new Int32Array(span + 31));
  const runEnd = new Int32Array(WINDOWS.length);
  const runStart = new Int32Array(WINDOWS.length);
  let days: number[] = [];
  forEachCopyTuple(copy, (buf, starts, lengths) => {
    days = [];
    if ((lengths[1] as number) >= 4) {
      const startDay = buf.readInt32BE(starts[0] as number);
      forEachSetBit(buf, starts[1] as number, 0, hi - startDay + 1, (i) => days.push(startDay + i - lo));
    }
    if ((lengths[2] as number) > 0) {
      forEachInt4(buf, starts[2] as number, (day) => days.push(day - lo));
      days.sort((x, y) => x - y);
    }
    let previous = -Infinity;
    runStart.fill(-1);
    for (const d of days) {
      if (d === previous) continue;
      WINDOWS.forEach((w, k) => {
        if ((runStart[k] as number) >= 0 && d - previous < w) return; // extends the current run
        if ((runStart[k] as number) >= 0) close(k);
        runStart[k] = d;
      });
      previous = d;
      runEnd.fill(d);
    }
    if (previous !== -Infinity) WINDOWS.forEach((_, k) => close(k));
  });
  function close(k: number): void {
    const s = steps[k] as Int32Array;
    s[runStart[k] as number] = (s[runStart[k] as number] as number) + 1;
    const after = (runEnd[k] as number) + (WINDOWS[k] as number);
    s[after] = (s[after] as number) - 1;
  }
  const out: Array<{ day: number; counts: number[] }> = [];
  const running = WINDOWS.map(() => 0);
  for (let d = 0; d < span; d++) {
    WINDOWS.forEach((_, k) => (running[k] = (running[k] as number) + ((steps[k] as Int32Array)[d] as number)));
    if (d >= 29) out.push({ day: lo + d, counts: [...running] });
  }
  return out;
}

export const activeUsersQuery = defineQuery({
  ...contract,
  async run(q, { db, now }) {
    const toMs = Math.min(Date.parse(q.to), now.getTime());
    const fromMs = Math.max(Date.parse(q.from), toMs - MAX_DAYS * 86_400_000);
    // A longer range is answered for its last MAX_DAYS days only, and the answer says so.
    const cut = Date.parse(q.from) < fromMs;
    // the last day is the one holding `to` (exclusive end): a range ending at midnight stops the day before
    const hi = Math.floor((toMs - 1) / DAY_MS);
    const lo = Math.floor(fromMs / DAY_MS) - 29;
    let parsed: Array<{ t: number; dau: number; wau: number; mau: number }> = [];
    if (hi >= lo + 29) {
      const counts = await readActiveUserActivity(db, lo, hi, (copy) => activeUserCounts(copy, lo, hi));
      parsed = counts.map(({ day, counts: [dau, wau, mau] }) => ({ t: day * DAY_MS, dau: dau ?? 0, wau: wau ?? 0, mau: mau ?? 0 }));
    }
    return {
      frames: [
        frameFromRows('active_users', parsed, [
          { name: 'time', type: 'time', value: (r) => r.t },
          { name: 'DAU', type: 'number', value: (r) => r.dau },
          { name: 'WAU', type: 'number', value: (r) => r.wau },
          { name: 'MAU', type: 'number', value: (r) => r.mau },
          { name: 'stickiness', type: 'number', value: (r) => (r.mau > 0 ? r.dau / r.mau : undefined), config: { unit: 'percentunit' } },
        ]),
      ].map((frame) =>
        cut
          ? {
              ...frame,
              meta: {
                notices: [
                  {
                    severity: 'warning' as const,
                    text: `active_users answers at most ${MAX_DAYS} days: only ${new Date(fromMs).toISOString()} to ${new Date(toMs).toISOString()} of the range is shown`,
                  },
                ],
                custom: { answeredFrom: new Date(fromMs).toISOString(), maxDays: MAX_DAYS },
              },
            }
          : frame,
      ),
    };
  },
});
