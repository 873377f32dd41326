/**
 * The KPI values the alignment score weighs, as the revenue and engagement modules compute them.
 * undefined means "not defined at T" (e.g. LTV:CAC with no churn); such a KPI is left out.
 */
export interface RevenueKpis {
  mrrGrowth30d: number | undefined;
  customerChurn30d: number | undefined;
  ltvCac: number | undefined;
}

export interface EngagementKpis {
  activationRate: number | undefined;
  accountActivationRate: number | undefined;
  retentionD7: number | undefined;
  retentionD30: number | undefined;
  viralCoefficient: number | undefined;
}
