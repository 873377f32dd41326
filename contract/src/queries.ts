// The query contract: every file under queries/ is listed here once, and every query type
// (`defineContract`) a listed file exports is one of the API's types, collected by registry.ts.
// A new query type goes in the file of its domain (e.g. operations.ts); a new file adds its line.
export * from './queries/active-users';
export * from './queries/ai-cost-by-tenant';
export * from './queries/annotations';
export * from './queries/ai-savings-validation';
export * from './queries/cac-by-channel';
export * from './queries/churn-by-reason';
export * from './queries/churn-risk';
export * from './queries/churned-tenants';
export * from './queries/executive-summary';
export * from './queries/experiment';
export * from './queries/feature-adoption';
export * from './queries/feature-impact';
export * from './queries/funnel';
export * from './queries/high-value-tenants';
export * from './queries/lifecycle-funnel';
export * from './queries/mrr-forecast';
export * from './queries/mrr-movements';
export * from './queries/new-tenants';
export * from './queries/nps';
export * from './queries/operations';
export * from './queries/plan-changes';
export * from './queries/power-users';
export * from './queries/priority-actions';
export * from './queries/retention';
export * from './queries/retention-days';
export * from './queries/revenue-breakdown';
export * from './queries/revenue-by-plan';
export * from './queries/subscribers-by-plan';
export * from './queries/tenant-health';
export * from './queries/tenant-usage';
export * from './queries/variables';
