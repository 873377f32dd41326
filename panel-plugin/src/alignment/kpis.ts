/**
 * The KPIs the exporter scores (exporter/src/config/schema.ts ALIGNMENT_KPIS): a readable name and
 * the unit their value and target are shown in when the field config sets no unit. Unknown KPIs
 * (added to the exporter later) fall back to their label, title-cased, and a plain number.
 */
interface KpiInfo {
  title: string;
  unit: string;
  /** Text right after the number, e.g. "2.6×" for a multiple. */
  suffix?: string;
  decimals?: number;
}

const KNOWN_KPIS: Record<string, KpiInfo> = {
  d7_retention: { title: 'D7 retention', unit: 'percentunit' },
  activation_rate: { title: 'Activation rate', unit: 'percentunit' },
  d30_retention: { title: 'D30 retention', unit: 'percentunit' },
  ltv_cac: { title: 'LTV:CAC', unit: 'none', suffix: '×', decimals: 1 },
  account_activation_rate: { title: 'Signup to activation (accounts)', unit: 'percentunit' },
  mrr_growth_30d: { title: 'MRR growth (30d)', unit: 'percentunit' },
  customer_churn_30d: { title: 'Customer churn (30d)', unit: 'percentunit' },
  viral_coefficient: { title: 'Viral coefficient', unit: 'none', decimals: 2 },
};

export function kpiTitle(kpi: string): string {
  const known = KNOWN_KPIS[kpi];
  if (known) {
    return known.title;
  }
  const words = kpi.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** How a KPI's value and target are shown when the field config sets no unit. */
export function kpiDefaultFormat(kpi: string): { unit: string; suffix: string; decimals?: number } {
  const known = KNOWN_KPIS[kpi];
  return { unit: known?.unit ?? 'none', suffix: known?.suffix ?? '', decimals: known?.decimals };
}
