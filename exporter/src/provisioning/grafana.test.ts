import { scopePromQL } from './grafana';

// Dashboards scope every saasmon series to one exporter ($job, $instance): hand-made cases.
describe('scopePromQL', () => {
  const S = 'job="$job", instance="$instance"';

  it('adds the matchers to bare and labelled saasmon selectors and to recording rules', () => {
    expect(scopePromQL('sum by (currency) (saasmon_mrr)')).toBe(`sum by (currency) (saasmon_mrr{${S}})`);
    expect(scopePromQL('saasmon_signups{window="30d"} / saasmon_paying_customers')).toBe(
      `saasmon_signups{${S}, window="30d"} / saasmon_paying_customers{${S}}`,
    );
    expect(scopePromQL('instance:saasmon_paying_customers:volume_guard')).toBe(`instance:saasmon_paying_customers:volume_guard{${S}}`);
    expect(scopePromQL('time() - saasmon_backup_last_success_timestamp_seconds{ }')).toBe(
      `time() - saasmon_backup_last_success_timestamp_seconds{${S}}`,
    );
  });

  it('leaves other metrics, functions, label names, strings and ranges alone', () => {
    expect(scopePromQL('rate(http_requests_total{job=~"$service"}[5m])')).toBe('rate(http_requests_total{job=~"$service"}[5m])');
    expect(scopePromQL('count by (saasmon_kind) (up{job="saasmon_x"})')).toBe('count by (saasmon_kind) (up{job="saasmon_x"})');
    expect(scopePromQL('changes(saasmon_release_last_timestamp_seconds[5m]) > 0')).toBe(
      `changes(saasmon_release_last_timestamp_seconds{${S}}[5m]) > 0`,
    );
    expect(scopePromQL('label_values(saasmon_tenant_health_score, tenant)')).toBe(
      `label_values(saasmon_tenant_health_score{${S}}, tenant)`,
    );
  });
});
