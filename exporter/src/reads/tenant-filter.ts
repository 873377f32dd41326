import { Breakdown, TenantFilters } from '@saasmon/contract';

// Tenant filters and breakdowns as SQL: the one way every read keeps the tenants a query asks for.

/**
 * SQL fragment and parameters that keep tenants matching the filters. Empty or absent lists do not
 * filter. Parameters are appended after `offset` existing ones; nothing from the client is spliced.
 */
export function tenantFilterSql(alias: string, filters: TenantFilters | undefined, offset: number) {
  const f = filters ?? {};
  const listOrNull = (list: string[] | undefined) => (list?.length ? list : null);
  const params = [listOrNull(f.plan), listOrNull(f.segment), listOrNull(f.channel), listOrNull(f.tenant)];
  const [plan, segment, channel, tenant] = [offset + 1, offset + 2, offset + 3, offset + 4].map((n) => `$${n}::text[]`);
  const sql =
    `(${plan} IS NULL OR ${alias}.plan = ANY(${plan}))` +
    ` AND (${segment} IS NULL OR ${alias}.segment = ANY(${segment}))` +
    ` AND (${channel} IS NULL OR ${alias}.acquisition_channel = ANY(${channel}))` +
    ` AND (${tenant} IS NULL OR ${alias}.id = ANY(${tenant}))`;
  return { sql, params };
}

/**
 * tenantFilterSql for statements that take no parameters (a COPY): the lists travel as JSON in
 * transaction-local settings, set with setLocal(db, tenantFilterSettings(filters)). Only the lists
 * given become conditions (a fixed choice of text, never the values): with none, the planner sees
 * no condition at all and estimates the tenants as they are.
 */
export function tenantFilterSettingsSql(alias: string, filters: TenantFilters | undefined): string {
  const f = filters ?? {};
  const inList = (column: string, setting: string) =>
    `${alias}.${column} IN (SELECT jsonb_array_elements_text(current_setting('saasmon.${setting}')::jsonb))`;
  const conditions = [
    f.plan?.length ? inList('plan', 'filter_plan') : undefined,
    f.segment?.length ? inList('segment', 'filter_segment') : undefined,
    f.channel?.length ? inList('acquisition_channel', 'filter_channel') : undefined,
    f.tenant?.length ? inList('id', 'filter_tenant') : undefined,
  ].filter((c): c is string => c !== undefined);
  return conditions.length ? conditions.join(' AND ') : 'true';
}

export function tenantFilterSettings(filters: TenantFilters | undefined): Record<string, string> {
  const f = filters ?? {};
  return {
    filter_plan: JSON.stringify(f.plan ?? null),
    filter_segment: JSON.stringify(f.segment ?? null),
    filter_channel: JSON.stringify(f.channel ?? null),
    filter_tenant: JSON.stringify(f.tenant ?? null),
  };
}

/** The tenant column a breakdown groups by (a fixed mapping, never client text). */
export function breakdownColumn(b: Breakdown | undefined): string {
  switch (b) {
    case 'plan':
      return 'plan';
    case 'segment':
      return 'segment';
    case 'channel':
      return 'acquisition_channel';
    default:
      return "'all'";
  }
}
