import { copyOutBinary, CopyOut, forEachCopyTuple, forEachInt4, forEachSetBit } from '../../db/copy-binary';
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
 * Per live user active in the days [lo, hi] (days since 1970-01-01, written in as numbers by our
 * code; COPY takes no parameters): the day their activity bits start at, the bits of
 * saasmon_user_activity cut to the window (bit i = active on start_day + i), and the active days
 * of deltas not compacted yet. One short row per active user instead of one row per user-day:
 * at 200k users the user-day form took seconds.
 */
export function activeUsersSql(lo: number, hi: number): string {
  for (const d of [lo, hi]) if (!Number.isSafeInteger(d)) throw new Error(`not a day number: ${d}`);
  const [loDate, hiDate] = [`(DATE '1970-01-01' + ${lo})`, `(DATE '1970-01-01' + ${hi})`];
  return `
WITH activity AS (
  SELECT user_id, greatest(first_day, ${loDate}) AS start_day,
         substring(days FROM greatest(first_day, ${loDate}) - first_day + 1 FOR ${hiDate} - greatest(first_day, ${loDate}) + 1) AS days
  FROM saasmon_user_activity
  WHERE name = '' AND first_day <= ${hiDate} AND first_day + length(days) > ${loDate}
),
pending AS (
  SELECT user_id, array_agg(DISTINCT day - DATE '1970-01-01')::int4[] AS days
  FROM saasmon_event_deltas
  WHERE user_id IS NOT NULL AND day >= ${loDate} AND day <= ${hiDate}
  GROUP BY user_id
)
SELECT (a.start_day - DATE '1970-01-01')::int4 AS start_day, a.days, p.days AS extra_days
FROM activity a
FULL JOIN pending p ON p.user_id = a.user_id
JOIN users u ON u.id = coalesce(a.user_id, p.user_id) AND u.deleted_at IS NULL`;
}

/**
 * DAU, WAU and MAU for each day of [lo + 29, hi] from the COPY rows of activeUsersSql. A user
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
      const copy = await copyOutBinary(db, activeUsersSql(lo, hi));
      try {
        parsed = activeUserCounts(copy, lo, hi).map(({ day, counts: [dau, wau, mau] }) => ({
          t: day * DAY_MS,
          dau: dau ?? 0,
          wau: wau ?? 0,
          mau: mau ?? 0,
        }));
      } finally {
        copy.release();
      }
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
