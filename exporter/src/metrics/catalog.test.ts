import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { saasmonNamesIn } from '../testing/metric-names';
import { CatalogEntry, metricCatalog, openMetricsFamily } from './catalog';
import { catalogMarkdown } from './catalog-doc';

// The metric catalog and what is checked against it: the generated docs table, the alert rules
// and their unit tests. (Dashboards: provisioning.test.ts; the live exposition: exposition-lint.)
// UPDATE_DOCS=1 rewrites docs/metric-catalog.md instead of failing.

const REPO = resolve(__dirname, '../../..');
const read = (path: string) => readFileSync(join(REPO, path), 'utf8');
const catalog = metricCatalog();
const names = new Set(catalog.map((e) => e.name));

/** Every file under alert-rules whose names must be the exporter's: the rules and their tests. */
function ruleFiles(): string[] {
  return [
    ...readdirSync(join(REPO, 'alert-rules'))
      .filter((f) => f.endsWith('.rules.yml'))
      .map((f) => `alert-rules/${f}`),
    ...readdirSync(join(REPO, 'alert-rules/tests'))
      .filter((f) => f.endsWith('.yml'))
      .map((f) => `alert-rules/tests/${f}`),
  ];
}

/** Names of recording rules (record:) in the rules files. */
function recordedNames(): Set<string> {
  const out = new Set<string>();
  for (const f of ruleFiles().filter((f) => f.endsWith('.rules.yml'))) {
    const doc = parseYaml(read(f)) as { groups: Array<{ rules: Array<{ record?: string }> }> };
    for (const g of doc.groups) for (const r of g.rules) if (r.record) out.add(r.record);
  }
  return out;
}

/** Every `expr` and `series` string of a rules or rule-test file, wherever it sits. */
function promqlOf(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(promqlOf);
  if (node && typeof node === 'object') {
    return Object.entries(node).flatMap(([k, v]) => ((k === 'expr' || k === 'series') && typeof v === 'string' ? [v] : promqlOf(v)));
  }
  return [];
}

/** Names in the given files missing from the catalog (or, with a colon, from the recording rules). */
export function unknownNames(files: Array<{ where: string; text: string }>, known: Set<string>, recorded: Set<string>): string[] {
  return files.flatMap(({ where, text }) => {
    const found = saasmonNamesIn(text);
    return [
      ...found.metrics.filter((n) => !known.has(n)).map((n) => `${where}: ${n} is not an exporter metric`),
      ...found.recorded.filter((n) => !recorded.has(n)).map((n) => `${where}: ${n} is not a recording rule`),
    ];
  });
}

describe('the catalog', () => {
  it('holds every collector family and the self metrics, from their declarations', () => {
    const by = (collector: string) => catalog.filter((e) => e.collector === collector).map((e) => e.name);
    expect(by('revenue')).toContain('saasmon_mrr');
    expect(by('engagement')).toContain('saasmon_activation_ratio');
    expect(by('tenant_health')).toEqual(
      expect.arrayContaining(['saasmon_tenant_health_score_avg', 'saasmon_tenant_health_series_dropped_total']),
    );
    expect(by('alignment')).toContain('saasmon_alignment_kpi_effective_weight');
    expect(by('exporter')).toEqual(expect.arrayContaining(['saasmon_up', 'saasmon_rollup_deltas_folded_total', 'saasmon_build_info']));
    expect(catalog.find((e) => e.name === 'saasmon_collector_success')?.labels).toEqual(['collector']);
    expect(catalog.every((e) => e.name.startsWith('saasmon_'))).toBe(true);
  });

  it('derives units from the naming conventions', () => {
    const unit = (name: string) => catalog.find((e) => e.name === name)?.unit;
    expect(unit('saasmon_mrr')).toBe('currency');
    expect(unit('saasmon_customer_churn_30d_ratio')).toBe('ratio');
    expect(unit('saasmon_dr_rpo_exposure_seconds')).toBe('seconds');
    expect(unit('saasmon_paying_customers')).toBe('none');
  });

  it('follows the conventions: counters end in _total, nothing else does, one OpenMetrics family per name', () => {
    const bad = (pred: (e: CatalogEntry) => boolean) => catalog.filter(pred).map((e) => e.name);
    expect(bad((e) => e.type === 'counter' && !e.name.endsWith('_total'))).toEqual([]);
    expect(bad((e) => e.type !== 'counter' && e.name.endsWith('_total'))).toEqual([]);
    expect(bad((e) => e.help.trim() === '')).toEqual([]);
    const families = catalog.map(openMetricsFamily);
    expect(families.filter((f, i) => families.indexOf(f) !== i)).toEqual([]);
  });
});

describe('docs/metric-catalog.md', () => {
  it('is the catalog as generated', () => {
    const generated = catalogMarkdown(catalog);
    if (process.env.UPDATE_DOCS) writeFileSync(join(REPO, 'docs/metric-catalog.md'), generated);
    expect(read('docs/metric-catalog.md')).toBe(generated);
  });

  it('docs/metrics.md defines every metric of the catalog', () => {
    const doc = read('docs/metrics.md');
    expect(catalog.filter((e) => !doc.includes(`\`${e.name}\``)).map((e) => e.name)).toEqual([]);
  });
});

describe('alert rules and their tests', () => {
  const recorded = recordedNames();
  // The PromQL of the rules (expr) and of their tests (input series, expressions): not the prose of
  // annotations, which may name a table.
  const files = ruleFiles().map((f) => ({ where: f, text: promqlOf(parseYaml(read(f))).join('\n') }));

  it('name only exporter metrics and recording rules defined in alert-rules', () => {
    expect(files.length).toBeGreaterThan(6);
    expect(recorded.has('instance:saasmon_paying_customers:volume_guard')).toBe(true);
    expect(unknownNames(files, names, recorded)).toEqual([]);
  });

  it('would catch a metric renamed in its collector', () => {
    const renamed = new Set([...names].filter((n) => n !== 'saasmon_activation_ratio'));
    const problems = unknownNames(files, renamed, recorded);
    expect(problems).toContain('alert-rules/kpi.rules.yml: saasmon_activation_ratio is not an exporter metric');
    expect(problems).toContain('alert-rules/tests/kpi.rules.test.yml: saasmon_activation_ratio is not an exporter metric');
    expect(unknownNames([{ where: 'x', text: 'job:saasmon_up:sum > 0' }], names, recorded)).toEqual([
      'x: job:saasmon_up:sum is not a recording rule',
    ]);
  });
});
