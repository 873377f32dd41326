import { Figure } from '../summary/executive-summary';
import { ReportKind } from './periods';
import { SummaryStatus } from '../summary/status';

/**
 * A report as data: every renderer (Markdown, HTML mail, Slack, JSON) reads only this, so the
 * formats cannot disagree. A section whose query failed carries `error` and no numbers.
 */

export interface Report {
  kind: ReportKind;
  title: string;
  timeZone: string;
  /** Zone with its abbreviation at the period's end, e.g. "Europe/Berlin (GMT+1)". */
  timeZoneLabel: string;
  period: { start: string; end: string; firstDay: string; lastDay: string };
  /** The instant every number is read at: the end of the (closed) period. */
  asOf: string;
  generatedAt: string;
  /** Set when the run started later than reports.lateAfterSeconds after its scheduled instant. */
  late?: { scheduledFor: string };
  /** Newest event at generation and whether it was within dataQuality.freshnessSeconds. */
  freshness: { newestEvent: string | undefined; fresh: boolean; limitSeconds: number };
  status: SummaryStatus | undefined;
  currency: string;
  sections: Section[];
}

export type Cell = string | number | null;

export interface Column {
  name: string;
  /** How numbers of the column are shown. */
  unit?: 'ratio' | 'count' | 'currency' | 'score' | 'seconds' | 'text' | 'time';
}

export type Chart =
  | { kind: 'line'; unit: 'count' | 'currency' | 'score'; series: Array<{ name: string; points: Array<[number, number | null]> }> }
  | { kind: 'heatmap'; rowLabels: string[]; columnLabels: string[]; values: Array<Array<number | null>> }
  | { kind: 'funnel'; steps: Array<{ label: string; users: number }> };

interface SectionBase {
  id: string;
  title: string;
  /** Why the section has no content: its query failed (the report says so, never "no data"). */
  error?: string;
  /** One line under the title. */
  note?: string;
}

export type Section =
  | (SectionBase & { type: 'figures'; figures: Figure[] })
  | (SectionBase & { type: 'table'; columns: Column[]; rows: Cell[][]; chart?: Chart })
  | (SectionBase & { type: 'chart'; chart?: Chart })
  | (SectionBase & { type: 'text'; lines: string[] });

/** Sections that could not be built: the report is still sent, with these named. */
export const failedSections = (r: Report) => r.sections.filter((s) => s.error !== undefined);
