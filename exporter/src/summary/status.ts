import { StatusBand } from '../config/schema';

/** Executive status of a figure, from best to worst (the founder playbook's three bands). */
export const SUMMARY_STATUSES = ['healthy', 'warning', 'critical'] as const;
export type SummaryStatus = (typeof SUMMARY_STATUSES)[number];

/**
 * Higher is better: healthy above `healthy`, warning down to `warning` included, critical below.
 * Lower is better: healthy below `healthy`, warning up to `warning` included, critical above. So
 * the table's "5-10%" band holds both of its edges.
 */
export function bandStatus(value: number, band: StatusBand): SummaryStatus {
  if (band.direction === 'higher') {
    if (value > band.healthy) return 'healthy';
    return value >= band.warning ? 'warning' : 'critical';
  }
  if (value < band.healthy) return 'healthy';
  return value <= band.warning ? 'warning' : 'critical';
}

/** The worst of the statuses given; undefined when there is none. */
export function worstStatus(statuses: ReadonlyArray<SummaryStatus | undefined>): SummaryStatus | undefined {
  let worst = -1;
  for (const s of statuses) if (s !== undefined) worst = Math.max(worst, SUMMARY_STATUSES.indexOf(s));
  return worst < 0 ? undefined : SUMMARY_STATUSES[worst];
}
