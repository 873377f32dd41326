import { z } from 'zod';
import { Attempt, bestAttempt, FunnelEvent, FunnelStepResult, summarizeFunnel } from '../../domain/funnel';
import { copyOutBinary, forEachCopyTuple, setLocal } from '../../db/copy-binary';
import { breakdown, breakdownColumn, checkRange, eventName, tenantFilters, tenantFilterSettings, tenantFilterSettingsSql, timeRange } from './common';
import { frameFromRows } from './frames';
import { defineQuery } from './registry';

// Funnel (metric-definitions.md "Funnel"): attempts start at step-1 events inside [from, to);
// later steps may fall after `to` as long as they are within the conversion window.

const schema = checkRange(
  z
    .object({
      type: z.literal('funnel'),
      ...timeRange,
      steps: z.array(eventName).min(2, 'a funnel needs 2 to 10 steps').max(10, 'a funnel needs 2 to 10 steps'),
      windowDays: z.number().positive().max(90).default(14),
      breakdown: breakdown.optional(),
      filters: tenantFilters.optional(),
    })
    .strict(),
);

/**
 * One row per user-period of packed timelines (migration 005), period rows and pending deltas
 * alike, for live users of tenants passing the filters: (bucket, user_id, period start as days since
 * 1970-01-01, entries). Run as a binary COPY, so values come from settings (setLocal), never from text.
 */
export function funnelTimelinesSql(breakdownCol: string): string {
  const bucket = breakdownCol === "'all'" ? "'all'" : `coalesce(t.${breakdownCol}, '(none)')`;
  return `
WITH timelines AS (
  SELECT user_id, period_start, entries FROM saasmon_user_timelines
  WHERE period_start >= current_setting('saasmon.funnel_first_period')::date AND period_start <= current_setting('saasmon.funnel_last_period')::date
  UNION ALL
  SELECT user_id, period_start, entries FROM saasmon_timeline_deltas
  WHERE period_start >= current_setting('saasmon.funnel_first_period')::date AND period_start <= current_setting('saasmon.funnel_last_period')::date
)
SELECT ${bucket}::text AS bucket, tl.user_id, (tl.period_start - DATE '1970-01-01')::int4 AS period_day, tl.entries
FROM timelines tl
JOIN users u ON u.id = tl.user_id AND u.deleted_at IS NULL
JOIN tenants t ON t.id = u.tenant_id
WHERE ${tenantFilterSettingsSql('t')}`;
}

const STEP_NAME_IDS_SQL = 'SELECT id, name FROM saasmon_event_names WHERE name = ANY($1::text[])';

type StepRow = FunnelStepResult & { bucket: string; name: string };

/** One user's step events, as read from their timeline rows. */
interface UserSteps {
  bucket: string;
  times: number[];
  steps: Array<readonly number[]>;
}

const DAY_MS = 86_400_000;
/** Start of the 10-day timeline period holding `ms` (saasmon_timeline_period), as YYYY-MM-DD. */
const periodOf = (ms: number) => new Date(Math.floor(ms / DAY_MS / 10) * 10 * DAY_MS).toISOString().slice(0, 10);

/**
 * Reads the COPY rows of funnelTimelinesSql into per-user step events: only entries whose name is
 * a step and whose time is in [fromMs, lastMs] are kept.
 */
export function collectUserSteps(
  copy: Buffer,
  stepsOfNameId: ReadonlyMap<number, readonly number[]>,
  fromMs: number,
  lastMs: number,
): Map<string, UserSteps> {
  const users = new Map<string, UserSteps>();
  // An array indexed by name id: this lookup runs once per event of every user in range.
  const stepsById: Array<readonly number[] | undefined> = [];
  for (const [id, steps] of stepsOfNameId) stepsById[id] = steps;
  forEachCopyTuple(copy, (starts, lengths) => {
    const [bucketAt, userAt, periodAt, entriesAt] = starts as unknown as [number, number, number, number];
    const periodStartMs = copy.readInt32BE(periodAt) * DAY_MS;
    const end = entriesAt + (lengths[3] as number);
    let u: UserSteps | undefined;
    for (let off = entriesAt; off < end; off += 8) {
      const s = stepsById[copy.readInt32BE(off)];
      if (!s) continue;
      const t = periodStartMs + copy.readInt32BE(off + 4);
      if (t < fromMs || t > lastMs) continue;
      if (!u) {
        const id = copy.toString('utf8', userAt, userAt + (lengths[1] as number));
        u = users.get(id);
        if (!u) users.set(id, (u = { bucket: copy.toString('utf8', bucketAt, bucketAt + (lengths[0] as number)), times: [], steps: [] }));
      }
      u.times.push(t);
      u.steps.push(s);
    }
  });
  return users;
}

/** A user's events in time order; equal times keep the order they were written in. */
export function inTimeOrder(u: UserSteps): FunnelEvent[] {
  const { times, steps } = u;
  let sorted = true;
  for (let i = 1; i < times.length && sorted; i++) sorted = (times[i - 1] as number) <= (times[i] as number);
  const order = times.map((_, i) => i);
  if (!sorted) order.sort((a, b) => (times[a] as number) - (times[b] as number) || a - b);
  return order.map((i) => ({ steps: steps[i] as readonly number[], timeMs: times[i] as number }));
}

export const funnelQuery = defineQuery({
  type: 'funnel',
  schema,
  async run(q, { db, now }) {
    const fromMs = Date.parse(q.from);
    const toMs = Date.parse(q.to);
    const windowMs = q.windowDays * 86_400_000;
    const lastMs = Math.min(toMs + windowMs, now.getTime());
    const names = await db.query<{ id: number; name: string }>(STEP_NAME_IDS_SQL, [q.steps]);
    const stepsOfNameId = new Map<number, number[]>();
    for (const n of names.rows) {
      stepsOfNameId.set(n.id, q.steps.flatMap((name, i) => (name === n.name ? [i] : [])));
    }
    await setLocal(db, {
      funnel_first_period: periodOf(fromMs),
      funnel_last_period: periodOf(Math.max(fromMs, lastMs)),
      ...tenantFilterSettings(q.filters),
    });
    const copy = await copyOutBinary(db, funnelTimelinesSql(breakdownColumn(q.breakdown)));
    const users = stepsOfNameId.size ? collectUserSteps(copy, stepsOfNameId, fromMs, lastMs) : new Map<string, UserSteps>();

    const canStart = (t: number) => t >= fromMs && t < toMs;
    const attemptsByBucket = new Map<string, Attempt[]>();
    for (const u of users.values()) {
      if (!u.steps.some((s, i) => s.includes(0) && canStart(u.times[i] as number))) continue;
      const attempt = bestAttempt(inTimeOrder(u), q.steps.length, windowMs, canStart);
      if (!attempt) continue;
      const list = attemptsByBucket.get(u.bucket);
      if (list) list.push(attempt);
      else attemptsByBucket.set(u.bucket, [attempt]);
    }

    const buckets = [...attemptsByBucket.keys()].sort();
    if (buckets.length === 0) buckets.push(q.breakdown ? '(none)' : 'all');
    const table: StepRow[] = buckets.flatMap((bucket) =>
      summarizeFunnel(attemptsByBucket.get(bucket) ?? [], q.steps.length).map((s) => ({ ...s, bucket, name: q.steps[s.step - 1] as string })),
    );
    const columns = [
      { name: 'step', type: 'number' as const, value: (r: StepRow) => r.step },
      { name: 'event', type: 'string' as const, value: (r: StepRow) => `${r.step}. ${r.name}` },
      ...(q.breakdown ? [{ name: q.breakdown, type: 'string' as const, value: (r: StepRow) => r.bucket }] : []),
      { name: 'users', type: 'number' as const, value: (r: StepRow) => r.users },
      { name: 'conversion_from_start', type: 'number' as const, value: (r: StepRow) => r.conversionFromStart, config: { unit: 'percentunit' } },
      { name: 'conversion_from_previous', type: 'number' as const, value: (r: StepRow) => r.conversionFromPrevious, config: { unit: 'percentunit' } },
      { name: 'median_seconds_from_previous', type: 'number' as const, value: (r: StepRow) => r.medianSecondsFromPrevious, config: { unit: 's' } },
    ];
    return { frames: [frameFromRows('funnel', table, columns)] };
  },
});
