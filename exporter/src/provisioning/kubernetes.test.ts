import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { DASHBOARDS, dashboardText } from '.';
import { kubernetesManifests, ruleGroups } from './kubernetes';

// deploy/kubernetes stays in step with its sources: the files equal the generator's output
// (UPDATE_PROVISIONING=1 rewrites them), the PrometheusRule holds every rule group of
// alert-rules/, the ConfigMaps every dashboard, and the ServiceMonitor finds the exporter.

const REPO = resolve(__dirname, '../../..');
const DIR = join(REPO, 'deploy/kubernetes');
type Doc = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels: Record<string, string> };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- manifests of many kinds, read by path in each test
  spec?: any;
  data?: Record<string, string>;
};

const generated = kubernetesManifests();
if (process.env.UPDATE_PROVISIONING === '1') {
  mkdirSync(DIR, { recursive: true });
  for (const { file, text } of generated) writeFileSync(join(DIR, file), text);
}
const docs: Doc[] = generated.flatMap(({ text }) => parseAllDocuments(text).map((d) => d.toJS() as Doc));
const byKind = (kind: string) => docs.filter((d) => d.kind === kind);

describe('deploy/kubernetes', () => {
  it('holds exactly the generated files', () => {
    expect(existsSync(DIR)).toBe(true);
    expect(readdirSync(DIR).sort()).toEqual(generated.map((g) => g.file).sort());
    for (const { file, text } of generated) expect([file, readFileSync(join(DIR, file), 'utf8') === text]).toEqual([file, true]);
  });

  it('has a Deployment, Service, ServiceMonitor, PrometheusRule and one ConfigMap per dashboard', () => {
    expect(docs.map((d) => d.kind).sort()).toEqual(
      ['ConfigMap', 'Deployment', 'PrometheusRule', 'Service', 'ServiceMonitor', ...DASHBOARDS.slice(1).map(() => 'ConfigMap')].sort(),
    );
  });

  it('puts every rule group of alert-rules/ into the PrometheusRule, unchanged', () => {
    const [rule] = byKind('PrometheusRule');
    expect(rule?.spec.groups).toEqual(ruleGroups());
    const names = (rule?.spec.groups as Array<{ name: string }>).map((g) => g.name);
    expect(names).toEqual(expect.arrayContaining(['saasmon-dr', 'saasmon-volume-guards']));
  });

  it('ships every provisioned dashboard, byte for byte, to the Grafana sidecar', () => {
    const maps = byKind('ConfigMap');
    for (const { file, json } of DASHBOARDS) {
      const map = maps.find((m) => m.data?.[file] !== undefined);
      expect(map?.metadata.labels.grafana_dashboard).toBe('1');
      expect(map?.data?.[file]).toBe(dashboardText(json));
      expect(map?.data?.[file]).toBe(readFileSync(join(REPO, 'provisioning/dashboards/json', file), 'utf8'));
    }
  });

  it('scrapes the exporter as job "saasmon" (the job the rules select) on its metrics port, probed on /ready and /healthz', () => {
    const [svc] = byKind('Service');
    const [monitor] = byKind('ServiceMonitor');
    const [deploy] = byKind('Deployment');
    expect(svc?.metadata.name).toBe('saasmon'); // the operator's job label is the Service name
    for (const [k, v] of Object.entries(monitor?.spec.selector.matchLabels as Record<string, string>))
      expect(svc?.metadata.labels[k]).toBe(v);
    expect(svc?.spec.selector).toEqual(deploy?.spec.selector.matchLabels);
    for (const [k, v] of Object.entries(deploy?.spec.selector.matchLabels as Record<string, string>))
      expect(deploy?.spec.template.metadata.labels[k]).toBe(v);
    const port = (svc?.spec.ports as Array<{ name: string }>)[0]?.name;
    expect(monitor?.spec.endpoints[0].port).toBe(port);
    const container = deploy?.spec.template.spec.containers[0];
    expect(container.ports[0]).toEqual({ name: port, containerPort: 9471 });
    expect(container.readinessProbe.httpGet.path).toBe('/ready');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(JSON.stringify(readFileSync(join(REPO, 'alert-rules/saasmon.rules.yml'), 'utf8'))).toContain('job=\\"saasmon\\"');
  });
});
