export type ScoreDisplay = 'ring' | 'gauge';
export type Layout = 'auto' | 'vertical' | 'horizontal';
export type KpiColumn = 'value' | 'target' | 'weight' | 'score' | 'gap';
export type KpiSort = 'gap' | 'score' | 'weight' | 'name';

export interface Options {
  /** A full ring or a 240° gauge around the score. */
  scoreDisplay: ScoreDisplay;
  /** Status bands (docs/metrics.md, "Operational alignment"): on track from this score ... */
  onTrackFrom: number;
  /** ... at risk from this one, off track below it. */
  atRiskFrom: number;
  /** The score's change over the panel's time range, when the query returns a series. */
  showTrend: boolean;
  showBreakdown: boolean;
  columns: KpiColumn[];
  /** 'gap' puts the KPI that costs the score most first: the priority action. */
  sortKpis: KpiSort;
  /** Where the breakdown goes: under the score, beside it, or chosen from the panel's shape. */
  layout: Layout;
}

export const ALL_COLUMNS: readonly KpiColumn[] = ['value', 'target', 'weight', 'score', 'gap'];

export const defaultOptions: Options = {
  scoreDisplay: 'ring',
  onTrackFrom: 80,
  atRiskFrom: 50,
  showTrend: true,
  showBreakdown: true,
  columns: ['value', 'target', 'weight', 'score', 'gap'],
  sortKpis: 'gap',
  layout: 'auto',
};

export type Status = 'on_track' | 'at_risk' | 'off_track';

export const STATUS_TEXT: Record<Status, string> = {
  on_track: 'On track',
  at_risk: 'At risk',
  off_track: 'Off track',
};

export function statusOf(score: number, options: Pick<Options, 'onTrackFrom' | 'atRiskFrom'>): Status {
  if (score >= options.onTrackFrom) {
    return 'on_track';
  }
  return score >= options.atRiskFrom ? 'at_risk' : 'off_track';
}
