import { Field, getValueFormat, formattedValueToString } from '@grafana/data';
import { KpiRow } from './alignmentData';
import { kpiDefaultFormat, kpiTitle } from './kpis';
import { KpiSort } from './types';

/** KPIs in the chosen order; KPIs without a score (no data) always go last, by name. */
export function sortKpis(kpis: KpiRow[], sort: KpiSort): KpiRow[] {
  const byName = (a: KpiRow, b: KpiRow) => kpiTitle(a.kpi).localeCompare(kpiTitle(b.kpi));
  const compare: Record<KpiSort, (a: KpiRow, b: KpiRow) => number> = {
    gap: (a, b) => (b.gap ?? 0) - (a.gap ?? 0) || byName(a, b),
    score: (a, b) => a.score!.value - b.score!.value || byName(a, b),
    weight: (a, b) => (b.share ?? 0) - (a.share ?? 0) || byName(a, b),
    name: byName,
  };
  const scored = kpis.filter((k) => k.score !== undefined).sort(compare[sort]);
  const unscored = kpis.filter((k) => k.score === undefined).sort(byName);
  return [...scored, ...unscored];
}

/** The KPI that costs the overall score most, if any KPI is below its target. */
export function priorityKpi(kpis: KpiRow[]): string | undefined {
  let best: KpiRow | undefined;
  for (const k of kpis) {
    if ((k.gap ?? 0) > 0 && (!best || k.gap! > best.gap!)) {
      best = k;
    }
  }
  return best?.kpi;
}

/**
 * A KPI value or target: the field's unit and decimals when the field config sets a unit
 * (an override per series, say), else the KPI's natural unit (ratios as percent, LTV:CAC as ×).
 */
export function formatKpiNumber(field: Field, kpi: string, value: number): string {
  if (field.config.unit) {
    return formattedValueToString(getValueFormat(field.config.unit)(value, field.config.decimals ?? undefined));
  }
  const natural = kpiDefaultFormat(kpi);
  const text = formattedValueToString(getValueFormat(natural.unit)(value, field.config.decimals ?? natural.decimals));
  return text + natural.suffix;
}

/** A 0-100 score: the field's unit, whole points unless the field config asks for decimals. */
export function formatScore(field: Field, value: number): string {
  const unit = field.config.unit || 'none';
  return formattedValueToString(getValueFormat(unit)(value, field.config.decimals ?? 0));
}

/** A signed change in points, e.g. "+3.2" or "-0.5". */
export function formatChange(change: number): string {
  const rounded = Math.round(change * 10) / 10;
  return `${rounded > 0 ? '+' : ''}${rounded.toFixed(1)}`;
}
