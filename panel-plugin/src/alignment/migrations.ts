import { PanelModel } from '@grafana/data';
import { ALL_COLUMNS, defaultOptions, KpiColumn, KpiSort, Layout, Options, ScoreDisplay } from './types';

/**
 * Options as saved by any earlier version. Before 1.0 (the 0.x previews) the bands were one
 * object and the columns were called showColumns; the display 'donut' is today's 'ring'.
 */
interface SavedOptions extends Partial<Options> {
  bands?: { onTrack?: number; atRisk?: number };
  showColumns?: string[];
  display?: string;
  [key: string]: unknown;
}

/**
 * Grafana calls this when a saved panel's pluginVersion differs from the installed plugin's:
 * old names are renamed, unknown keys dropped, defaults filled and invalid values repaired, so
 * the panel never reads an option it does not know. Idempotent: running it twice changes nothing.
 */
export function alignmentMigrationHandler(panel: PanelModel<Options>): Options {
  const saved: SavedOptions = (panel.options as SavedOptions | undefined) ?? {};
  const onTrackFrom = numberOr(saved.onTrackFrom ?? saved.bands?.onTrack, defaultOptions.onTrackFrom);
  const atRiskFrom = Math.min(numberOr(saved.atRiskFrom ?? saved.bands?.atRisk, defaultOptions.atRiskFrom), onTrackFrom);
  const columns = (saved.columns ?? saved.showColumns ?? defaultOptions.columns).filter((c): c is KpiColumn =>
    (ALL_COLUMNS as readonly string[]).includes(c),
  );
  const display = saved.scoreDisplay ?? (saved.display === 'donut' ? 'ring' : saved.display);
  return {
    scoreDisplay: oneOf<ScoreDisplay>(display, ['ring', 'gauge'], defaultOptions.scoreDisplay),
    onTrackFrom,
    atRiskFrom,
    showTrend: typeof saved.showTrend === 'boolean' ? saved.showTrend : defaultOptions.showTrend,
    showBreakdown: typeof saved.showBreakdown === 'boolean' ? saved.showBreakdown : defaultOptions.showBreakdown,
    columns,
    sortKpis: oneOf<KpiSort>(saved.sortKpis, ['gap', 'score', 'weight', 'name'], defaultOptions.sortKpis),
    layout: oneOf<Layout>(saved.layout, ['auto', 'vertical', 'horizontal'], defaultOptions.layout),
  };
}

function numberOr(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(v as T) ? (v as T) : fallback;
}
