import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { hasField, PANEL_QUERY_FIELDS, QUERY_CONTRACTS } from '@saasmon/contract';
import { QUERY_TYPES } from '../api/query';
import { DASHBOARDS, dashboardText } from '.';
import { Json, KEEPS_CURRENCY, SCHEMA_VERSION } from './grafana';
import { metricCatalog } from '../metrics/catalog';
import { saasmonNamesIn } from '../testing/metric-names';

// The provisioned Grafana: the generated dashboards match the builder, and everything a panel
// refers to exists (datasource uids, panel plugins, query types and fields, exported metrics,
// dashboard uids, template variables), and every PromQL expression parses (promtool).
// UPDATE_PROVISIONING=1 rewrites provisioning/dashboards/json from the builder instead of failing.

const REPO = resolve(__dirname, '../../..');
const JSON_DIR = join(REPO, 'provisioning/dashboards/json');
const read = (path: string) => readFileSync(join(REPO, path), 'utf8');

/** Grafana 11/12 core panels (public/app/plugins/panel). */
const CORE_PANELS = new Set([
  'alertlist',
  'annolist',
  'barchart',
  'bargauge',
  'candlestick',
  'canvas',
  'dashlist',
  'datagrid',
  'flamegraph',
  'gauge',
  'geomap',
  'heatmap',
  'histogram',
  'logs',
  'news',
  'nodeGraph',
  'piechart',
  'row',
  'stat',
  'state-timeline',
  'status-history',
  'table',
  'text',
  'timeseries',
  'traces',
  'trend',
  'xychart',
]);
/** Datasources every Grafana has without provisioning. */
const BUILTIN_DATASOURCES = new Map([
  ['-- Grafana --', 'grafana'],
  ['-- Mixed --', 'mixed'],
  ['-- Dashboard --', 'dashboard'],
]);
/** Variables Grafana defines itself. */
const BUILTIN_VARIABLES = new Set([
  '__rate_interval',
  '__interval',
  '__interval_ms',
  '__range',
  '__range_s',
  '__range_ms',
  '__from',
  '__to',
  '__dashboard',
  '__org',
  '__user',
  '__url_time_range',
  '__data',
  '__value',
  '__field',
  '__series',
  '__all',
  '__timeFilter',
]);

interface Panel {
  dashboard: string;
  json: Json & { id: number; type: string; title: string };
}
interface TargetRef {
  where: string;
  dashboard: Json;
  target: Json;
}

const dashboards = DASHBOARDS.map((d) => d.json);
const panels: Panel[] = dashboards.flatMap((d) =>
  (d.panels as Panel['json'][])
    .flatMap((p) => [p, ...((p.panels as Panel['json'][] | undefined) ?? [])])
    .map((json) => ({ dashboard: d.uid as string, json })),
);
const targets: TargetRef[] = dashboards.flatMap((d) =>
  (d.panels as Json[]).flatMap((p) =>
    ((p.targets as Json[] | undefined) ?? []).map((target) => ({ where: `${d.uid} / ${p.title} / ${target.refId}`, dashboard: d, target })),
  ),
);
const isProm = (t: Json) => (t.datasource as { type: string }).type === 'prometheus';
const isSaasmon = (t: Json) => (t.datasource as { type: string }).type === 'saasmon-analytics-datasource';

/** Every PromQL expression: targets, annotations; with where it comes from. */
const promExprs: Array<{ where: string; dashboard: Json; expr: string }> = [
  ...targets.filter((t) => isProm(t.target)).map((t) => ({ where: t.where, dashboard: t.dashboard, expr: t.target.expr as string })),
  ...dashboards.flatMap((d) =>
    (d.annotations as { list: Json[] }).list
      .filter((a) => typeof a.expr === 'string')
      .map((a) => ({ where: `${d.uid} / annotation ${a.name}`, dashboard: d, expr: a.expr as string })),
  ),
];
/** label_values(metric, label) of Prometheus variables: the metric must exist too. */
const variableQueries = dashboards.flatMap((d) =>
  (d.templating as { list: Json[] }).list
    .filter((v) => (v.datasource as { type?: string } | undefined)?.type === 'prometheus')
    .map((v) => ({ where: `${d.uid} / $${v.name}`, query: v.definition as string })),
);

/** Values standing in for Grafana's variables, so that promtool sees plain PromQL. */
function substituteVariables(expr: string): string {
  return expr.replace(/\$__rate_interval|\$__interval|\$__range/g, '5m').replace(/\$\{?(\w+)\}?/g, 'x');
}

function datasourceUids(): Map<string, string> {
  const file = parseYaml(read('provisioning/datasources/saasmon.yml')) as { datasources: Array<{ uid: string; type: string }> };
  return new Map([...file.datasources.map((d) => [d.uid, d.type] as [string, string]), ...BUILTIN_DATASOURCES]);
}

/** Field names of an interface in datasource-plugin/src/types.ts (the saved query model). */
function interfaceFields(source: string, name: string): Set<string> {
  const body = new RegExp(`interface ${name}[^{]*\\{([^}]*)\\}`).exec(source)?.[1];
  if (!body) throw new Error(`interface ${name} not found in datasource-plugin/src/types.ts`);
  return new Set([...body.matchAll(/^\s*(\w+)\??:/gm)].map((m) => m[1] as string));
}

/** Panel plugin ids of this repository (datasource-plugin and panel-plugin plugin.json files). */
function pluginIds(): Map<string, string> {
  const ids = new Map<string, string>();
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(join(REPO, dir), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory() && e.name !== 'node_modules' && e.name !== 'dist') walk(join(dir, e.name));
      else if (e.name === 'plugin.json') {
        const p = JSON.parse(read(join(dir, e.name))) as { id: string; type: string };
        ids.set(p.id, p.type);
      }
    }
  };
  walk('datasource-plugin/src');
  walk('panel-plugin/src');
  return ids;
}

/** Runs promtool over the expressions as recording rules; returns its complaints (empty: all parse). */
function promtoolCheck(exprs: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'saasmon-promql-'));
  try {
    const file = join(dir, 'dashboards.rules.yml');
    const rules = exprs.map((expr, i) => ({ record: `dashboard:expr_${i}:check`, expr: substituteVariables(expr) }));
    writeFileSync(file, stringifyYaml({ groups: [{ name: 'dashboards', rules }] }));
    try {
      execFileSync('promtool', ['check', 'rules', file], { encoding: 'utf8', stdio: 'pipe' });
      return '';
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; message: string };
      return `${e.stdout ?? ''}${e.stderr ?? ''}` || e.message;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('generated dashboard JSON', () => {
  it('matches the builder (UPDATE_PROVISIONING=1 regenerates it)', () => {
    if (process.env.UPDATE_PROVISIONING === '1') {
      for (const f of readdirSync(JSON_DIR).filter((f) => f.endsWith('.json'))) rmSync(join(JSON_DIR, f));
      for (const d of DASHBOARDS) writeFileSync(join(JSON_DIR, d.file), dashboardText(d.json));
    }
    const onDisk = readdirSync(JSON_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(onDisk).toEqual(DASHBOARDS.map((d) => d.file).sort());
    for (const d of DASHBOARDS) expect(readFileSync(join(JSON_DIR, d.file), 'utf8')).toBe(dashboardText(d.json));
  });

  it('has the dashboards with unique uids, at a schemaVersion Grafana 11/12 loads', () => {
    expect(dashboards.map((d) => d.uid)).toEqual([
      'saasmon-executive',
      'saasmon-revenue',
      'saasmon-engagement',
      'saasmon-tenants',
      'saasmon-tenant',
      'saasmon-dr',
      'saasmon-operations',
      'saasmon-platform',
      'saasmon-ai',
    ]);
    expect(new Set(dashboards.map((d) => d.title)).size).toBe(dashboards.length);
    for (const d of dashboards) {
      expect(d.schemaVersion).toBe(SCHEMA_VERSION);
      expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(39);
      expect(SCHEMA_VERSION).toBeLessThanOrEqual(41);
    }
  });

  it('lays panels out on the 24-column grid with unique ids and no overlap', () => {
    for (const d of dashboards) {
      const ps = d.panels as Array<{ id: number; title: string; gridPos: { x: number; y: number; w: number; h: number } }>;
      expect(new Set(ps.map((p) => p.id)).size).toBe(ps.length);
      const cells = new Map<string, string>();
      const problems: string[] = [];
      for (const p of ps) {
        const { x, y, w, h } = p.gridPos;
        if (!(x >= 0 && w > 0 && h > 0 && x + w <= 24)) problems.push(`${d.uid} / ${p.title}: off the grid`);
        for (let i = x; i < x + w; i++) {
          for (let j = y; j < y + h; j++) {
            const taken = cells.get(`${i},${j}`);
            if (taken) problems.push(`${d.uid} / ${p.title} overlaps ${taken}`);
            cells.set(`${i},${j}`, p.title);
          }
        }
      }
      expect([...new Set(problems)]).toEqual([]);
    }
  });
});

describe('panels and targets refer to what exists', () => {
  const uids = datasourceUids();
  const plugins = pluginIds();

  it('every panel, target and variable datasource is provisioned with that type', () => {
    const refs: Array<{ where: string; ref: { type: string; uid: string } }> = [];
    for (const p of panels)
      if (p.json.datasource) refs.push({ where: `${p.dashboard} / ${p.json.title}`, ref: p.json.datasource as never });
    for (const t of targets) refs.push({ where: t.where, ref: t.target.datasource as never });
    for (const d of dashboards) {
      for (const v of (d.templating as { list: Json[] }).list)
        if (v.datasource) refs.push({ where: `${d.uid} / $${v.name}`, ref: v.datasource as never });
      for (const a of (d.annotations as { list: Json[] }).list)
        refs.push({ where: `${d.uid} / annotation ${a.name}`, ref: a.datasource as never });
    }
    expect(refs.length).toBeGreaterThan(100);
    // A `${name}` uid is a datasource variable of that dashboard, of the same plugin type, whose
    // default is a provisioned datasource of that type.
    const resolve = (where: string, uid: string): string => {
      const name = /^\$\{(\w+)\}$/.exec(uid)?.[1];
      if (!name) return uid;
      const d = dashboards.find((x) => where.startsWith(`${x.uid as string} /`));
      const v = (d?.templating as { list: Json[] } | undefined)?.list.find((x) => x.type === 'datasource' && x.name === name);
      const current = (v?.current as { value?: string } | undefined)?.value ?? '';
      return uids.get(current) === v?.query ? current : `unresolved ${uid}`;
    };
    const bad = refs
      .filter((r) => uids.get(resolve(r.where, r.ref.uid)) !== r.ref.type)
      .map((r) => `${r.where}: ${r.ref.type}/${r.ref.uid}`);
    expect(bad).toEqual([]);
  });

  it('is portable: datasources by variable, every saasmon series scoped to one exporter ($job, $instance)', () => {
    for (const d of dashboards) {
      const vars = (d.templating as { list: Json[] }).list;
      expect([d.uid, vars.slice(0, 4).map((v) => `${v.type as string}:${v.name as string}`)]).toEqual([
        d.uid,
        ['datasource:prometheus', 'datasource:saasmon', 'query:job', 'query:instance'],
      ]);
      expect(vars.find((v) => v.name === 'instance')?.includeAll).toBe(false);
    }
    const unscoped = targets
      .filter((t) => isProm(t.target))
      .flatMap((t) =>
        [...String(t.target.expr).matchAll(/(?<![\w:])((?:[a-z_]+:)?saasmon_[a-zA-Z0-9_:]*)(\s*\{[^}]*\})?/g)].map((m) => ({
          where: t.where,
          sel: m[0],
        })),
      )
      .filter(({ sel }) => !sel.includes('job="$job", instance="$instance"'));
    expect(unscoped).toEqual([]);
  });

  it('shows money in currency units and opens on a range Prometheus keeps by default (15 days)', () => {
    for (const p of panels) {
      const exprs = ((p.json.targets as Json[] | undefined) ?? []).map((t) => String(t.expr ?? ''));
      if (!exprs.some((e) => KEEPS_CURRENCY.test(e))) continue;
      const overrides = (p.json.fieldConfig as { overrides: Json[] }).overrides;
      const usd = overrides.find((o) => ((o.properties as Json[])[0] as Json).value === 'currencyUSD');
      expect([
        p.dashboard,
        p.json.title,
        new RegExp((usd?.matcher as Json).options as string).test('USD'),
        new RegExp((usd?.matcher as Json).options as string).test('MRR USD'),
      ]).toEqual([p.dashboard, p.json.title, true, true]);
    }
    const days = (from: string) => {
      const m = /^now-(\d+)([hd])$/.exec(from);
      return m ? Number(m[1]) / (m[2] === 'h' ? 24 : 1) : Infinity;
    };
    for (const d of dashboards) expect([d.uid, days((d.time as { from: string }).from) <= 15]).toEqual([d.uid, true]);
  });

  it('every panel type is a Grafana core panel or a panel plugin of this repository', () => {
    const bad = panels
      .filter((p) => !CORE_PANELS.has(p.json.type) && plugins.get(p.json.type) !== 'panel')
      .map((p) => `${p.dashboard} / ${p.json.title}: ${p.json.type}`);
    expect(bad).toEqual([]);
    const used = new Set(panels.map((p) => p.json.type));
    expect(used.has('saasmon-alignment-panel') && used.has('saasmon-healthmatrix-panel')).toBe(true);
  });

  it('every saasmon datasource target is a query type of the API, with the fields of the saved query model', () => {
    // The saved model and the editor's picker both come from the query contract.
    const fields = new Set<string>([...PANEL_QUERY_FIELDS, 'refId', 'datasource', 'hide', 'key']);
    const pluginTypes = new Set(QUERY_CONTRACTS.filter((c) => !('hidden' in c && c.hidden)).map((c) => c.type as string));
    const apiTypes = new Set(QUERY_TYPES.map((q) => q.type as string));
    const saasmonTargets = targets.filter((t) => isSaasmon(t.target));
    expect(saasmonTargets.length).toBeGreaterThan(10);
    const problems = saasmonTargets.flatMap((t) => {
      const type = t.target.queryType as string;
      return [
        ...(apiTypes.has(type) ? [] : [`${t.where}: ${type} is not a type of exporter/src/api/query QUERY_TYPES`]),
        ...(pluginTypes.has(type) ? [] : [`${t.where}: ${type} is not a query type of the datasource plugin`]),
        ...Object.keys(t.target)
          .filter((k) => !fields.has(k))
          .map((k) => `${t.where}: ${k} is not a SaasmonQuery field`),
      ];
    });
    expect(problems).toEqual([]);
  });

  it("every saasmon datasource target becomes a body the API accepts (the plugin's buildRequest, the API's strict schema)", async () => {
    // The plugin's own request builder (type-only imports from @grafana/data, so it loads here);
    // a computed path keeps the exporter's tsc from pulling another workspace into its project.
    const requestModule = join(REPO, 'datasource-plugin/src/request.ts');
    const { buildRequest } = (await import(requestModule)) as {
      buildRequest: (q: Json, range: unknown, replace: (v: string, s?: unknown, f?: unknown) => string) => Json | undefined;
    };
    const range = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z') };
    // Template variables as Grafana expands them: multi-value ones through the format function.
    const values: Record<string, string[]> = {
      plan: ['starter', 'business'],
      steps: ['login', 'report.created', 'report.exported'],
      features: ['report.created', 'invite.sent'],
      tenant: ['t-0001'],
    };
    const replace = (v: string, _scoped?: unknown, format?: unknown) =>
      v.replace(/\$(\w+)/g, (m, name: string) => {
        const list = values[name];
        if (!list) return m;
        return typeof format === 'function' ? (format as (x: string[]) => string)(list) : list.join(',');
      });
    const byType = new Map(QUERY_TYPES.map((q) => [q.type as string, q]));
    const problems: string[] = [];
    for (const t of targets.filter((x) => isSaasmon(x.target))) {
      const body = buildRequest(t.target, range, replace);
      if (!body) {
        problems.push(`${t.where}: the plugin builds no request (incomplete query)`);
        continue;
      }
      const parsed = byType.get(body.type as string)?.schema.safeParse(body);
      if (parsed?.success) continue;
      const issues = parsed ? parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : 'unknown type';
      problems.push(`${t.where}: ${JSON.stringify(body)} -> ${issues}`);
    }
    expect(problems).toEqual([]);
  });

  it('every field a saasmon target saves under a schema name, sent as it is (and `tenant` as filters.tenant), is a body the API accepts', () => {
    // Independent of the request builder: the saved query carries the schema's own field names, so
    // the body is the saved fields with template variables expanded.
    const values: Record<string, string[]> = {
      plan: ['starter'],
      steps: ['login', 'report.created'],
      features: ['report.created', 'invite.sent'],
      tenant: ['t-0001'],
      feature: ['report.created'],
    };
    const expand = (v: string): string[] =>
      v.replace(/^\$(\w+)$/, (m, name: string) => (values[name] ?? [m]).join('\u0000')).split('\u0000');
    const byType = new Map(QUERY_TYPES.map((q) => [q.type as string, q]));
    const saved = targets.filter((x) => isSaasmon(x.target) && x.target.queryType !== 'experiment');
    const problems = saved.flatMap((t) => {
      const q = byType.get(t.target.queryType as string);
      if (!q) return [`${t.where}: unknown type`];
      const body: Json = { type: q.type };
      if (hasField(q.schema, 'from')) Object.assign(body, { from: '2026-01-01T00:00:00Z', to: '2026-04-01T00:00:00Z' });
      for (const [k, v] of Object.entries(t.target)) {
        if (!hasField(q.schema, k) || k === 'type') continue;
        body[k] = Array.isArray(v) ? v.flatMap((x) => (typeof x === 'string' ? expand(x) : [x])) : typeof v === 'string' ? expand(v)[0] : v;
      }
      const filters: Json = {};
      if (Array.isArray(t.target.plans) && !hasField(q.schema, 'plans')) filters.plan = (t.target.plans as string[]).flatMap(expand);
      if (typeof t.target.tenant === 'string') filters.tenant = expand(t.target.tenant);
      if (Object.keys(filters).length) {
        if (!hasField(q.schema, 'filters')) return [`${t.where}: ${q.type} takes no filters`];
        body.filters = filters;
      }
      const parsed = q.schema.safeParse(body);
      return parsed.success
        ? []
        : [`${t.where}: ${JSON.stringify(body)} -> ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`];
    });
    expect(saved.length).toBeGreaterThan(30);
    expect(problems).toEqual([]);
    // The tenant page filters every analytics panel to its tenant.
    const tenantPage = saved.filter((t) => (t.dashboard.uid as string) === 'saasmon-tenant');
    expect(tenantPage.length).toBeGreaterThan(5);
    expect(tenantPage.filter((t) => t.target.tenant !== '$tenant').map((t) => t.where)).toEqual([]);
  });

  it("every saasmon annotation becomes a body the API accepts (the plugin's annotation support and request), on the dashboards that need it", async () => {
    const annotations = dashboards.flatMap((d) =>
      (d.annotations as { list: Json[] }).list
        .filter((a) => (a.datasource as { type?: string }).type === 'saasmon-analytics-datasource')
        .map((a) => ({ where: `${d.uid as string} / annotation ${a.name as string}`, a })),
    );
    expect(annotations.map((x) => x.where)).toEqual(
      expect.arrayContaining([
        'saasmon-executive / annotation Releases',
        'saasmon-executive / annotation Incidents',
        'saasmon-operations / annotation Releases',
        'saasmon-operations / annotation Incidents',
        'saasmon-platform / annotation Releases',
        'saasmon-platform / annotation Incidents',
        'saasmon-dr / annotation DR tests',
      ]),
    );
    const annotationModule = join(REPO, 'datasource-plugin/src/annotations.ts');
    const { annotationSupport, buildAnnotationRequest } = (await import(annotationModule)) as {
      annotationSupport: () => { prepareAnnotation: (j: Json) => Json; prepareQuery: (a: Json) => Json };
      buildAnnotationRequest: (q: Json, range: unknown, replace: (v: string) => string) => Json;
    };
    const support = annotationSupport();
    const schema = QUERY_TYPES.find((q) => q.type === 'annotations')?.schema;
    const range = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z') };
    const fields = new Set<string>([...PANEL_QUERY_FIELDS, 'refId']);
    const problems = annotations.flatMap(({ where, a }) => {
      const target = a.target as Json;
      const query = support.prepareQuery(support.prepareAnnotation(a));
      const parsed = schema?.safeParse(buildAnnotationRequest(query, range, (v) => v));
      return [
        ...Object.keys(target)
          .filter((k) => !fields.has(k))
          .map((k) => `${where}: ${k} is not a SaasmonQuery field`),
        ...(parsed?.success ? [] : [`${where}: ${parsed ? parsed.error.issues.map((i) => i.message).join('; ') : 'no annotations type'}`]),
      ];
    });
    expect(problems).toEqual([]);
  });

  it("the saasmon datasource is provisioned with the plugin's jsonData and secureJsonData keys, token from the environment", () => {
    const types = read('datasource-plugin/src/types.ts');
    const file = parseYaml(read('provisioning/datasources/saasmon.yml')) as { datasources: Json[] };
    const ds = file.datasources.find((d) => d.type === 'saasmon-analytics-datasource') as Json;
    expect(ds.uid).toBe('saasmon-analytics');
    expect(Object.keys(ds.jsonData as Json).every((k) => interfaceFields(types, 'SaasmonOptions').has(k))).toBe(true);
    expect(Object.keys(ds.secureJsonData as Json).every((k) => interfaceFields(types, 'SaasmonSecureJsonData').has(k))).toBe(true);
    expect(ds.secureJsonData).toEqual({ apiToken: '$SAASMON_API_TOKEN' });
    expect((ds.jsonData as Json).url).toBe('http://exporter:9471');
    // The plugin's route reads exactly these keys.
    const plugin = read('datasource-plugin/src/plugin.json');
    expect(plugin).toContain('{{ .JsonData.url }}');
    expect(plugin).toContain('{{ .SecureJsonData.apiToken }}');
  });

  it('every template variable a panel uses is defined on its dashboard', () => {
    const problems: string[] = [];
    for (const d of dashboards) {
      const defined = new Set((d.templating as { list: Json[] }).list.map((v) => v.name as string));
      const text = JSON.stringify(d.panels) + JSON.stringify((d.annotations as { list: Json[] }).list);
      for (const m of text.matchAll(/\$\{?(\w+)/g)) {
        const name = m[1] as string;
        if (!defined.has(name) && !BUILTIN_VARIABLES.has(name)) problems.push(`${d.uid}: $${name}`);
      }
    }
    expect([...new Set(problems)]).toEqual([]);
  });

  it('every dashboard link points at a provisioned dashboard uid', () => {
    const known = new Set(dashboards.map((d) => d.uid as string));
    const linked = dashboards.flatMap((d) =>
      [...JSON.stringify(d).matchAll(/\/d\/([\w-]+)/g)].map((m) => ({ from: d.uid, to: m[1] as string })),
    );
    expect(linked.length).toBeGreaterThan(5);
    expect(linked.filter((l) => !known.has(l.to))).toEqual([]);
    // The drill-down is reachable with its tenant variable.
    expect(linked.some((l) => l.to === 'saasmon-tenant')).toBe(true);
    expect(JSON.stringify(dashboards.find((d) => d.uid === 'saasmon-tenants'))).toContain('var-tenant=');
    const tenant = dashboards.find((d) => d.uid === 'saasmon-tenant') as Json;
    expect((tenant.templating as { list: Json[] }).list.map((v) => v.name)).toContain('tenant');
  });
});

describe('PromQL', () => {
  it('promtool parses every expression (and the check does catch a broken one)', () => {
    expect(promExprs.length).toBeGreaterThan(50);
    const problems = promtoolCheck(promExprs.map((e) => e.expr));
    if (problems) {
      // Name the panels: promtool reports rules by position.
      const bad = promExprs.filter((e) => promtoolCheck([e.expr]) !== '').map((e) => `${e.where}: ${e.expr}`);
      expect({ bad, problems }).toEqual({ bad: [], problems: '' });
    }
    expect(promtoolCheck(['sum(rate(saasmon_up[5m])'])).toMatch(/parse error|unclosed|unexpected/i);
  });

  it('never adds up or compares money across currencies', () => {
    const money = new Set(
      metricCatalog()
        .filter((e) => e.unit === 'currency')
        .map((e) => e.name),
    );
    const bad = promExprs.flatMap((e) => moneyMixedIn(e.expr, money).map((agg) => `${e.where}: ${agg}`));
    expect(bad).toEqual([]);
    // The rule itself: an aggregation keeps `currency` or the money it reads has one currency.
    expect(moneyMixedIn('max by (provider, model) (saasmon_ai_cost_24h{model=~"$model"})', money)).toHaveLength(1);
    expect(moneyMixedIn('sum(saasmon_mrr)', money)).toHaveLength(1);
    expect(moneyMixedIn('sum by (currency) (saasmon_mrr)', money)).toEqual([]);
    expect(moneyMixedIn('max by (model) (saasmon_ai_cost_24h{currency="$currency"})', money)).toEqual([]);
    expect(moneyMixedIn('sum by (currency) (x) / scalar(sum(saasmon_ai_requests_24h))', money)).toEqual([]);
  });

  it('every saasmon_ metric a dashboard names is in the metric catalog', () => {
    const exported = new Set(metricCatalog().map((e) => e.name));
    expect(exported.has('saasmon_up')).toBe(true);
    const used = [
      ...promExprs.map((e) => ({ where: e.where, text: e.expr })),
      ...variableQueries.map((v) => ({ where: v.where, text: v.query })),
    ];
    // Dashboards read exporter metrics only (recording rules are the alerts' business).
    const unknown = used.flatMap((u) => {
      const found = saasmonNamesIn(u.text);
      return [...found.metrics.filter((name) => !exported.has(name)), ...found.recorded].map((name) => `${u.where}: ${name}`);
    });
    expect([...new Set(unknown)]).toEqual([]);
  });
});

/**
 * The aggregations of `expr` that would add up or compare money of several currencies: over a
 * money metric (one with a `currency` label) whose selector does not fix `currency`, without
 * `currency` among their `by` labels.
 */
function moneyMixedIn(expr: string, money: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const agg = /\b(sum|max|min|avg|count|topk|bottomk|quantile)\s*(by\s*\([^)]*\))?\s*\(/g;
  for (let m = agg.exec(expr); m; m = agg.exec(expr)) {
    // The aggregation's argument: from its opening parenthesis to the matching one.
    let depth = 1;
    let end = m.index + m[0].length;
    for (; end < expr.length && depth > 0; end++) depth += expr[end] === '(' ? 1 : expr[end] === ')' ? -1 : 0;
    const body = expr.slice(m.index + m[0].length, end - 1);
    if (KEEPS_CURRENCY.test(m[0])) continue;
    const selectors = [...body.matchAll(/\b(saasmon_\w+)(\{[^}]*\})?/g)];
    if (selectors.some(([, name, labels]) => money.has(name as string) && !/\bcurrency\s*=[^~]/.test(labels ?? '')))
      out.push(m[0] + body + ')');
  }
  return out;
}
