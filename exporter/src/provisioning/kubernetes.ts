import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { DASHBOARDS, dashboardText } from '.';

/**
 * Kubernetes manifests for the exporter, generated from the same sources as the docker-compose
 * stack: the alert rules of alert-rules/*.rules.yml become one PrometheusRule, the dashboards of
 * the builder (the JSON in provisioning/dashboards/json) become ConfigMaps for Grafana's dashboard
 * sidecar, and the exporter a Deployment, Service and ServiceMonitor (Prometheus Operator).
 * Written to deploy/kubernetes/ (UPDATE_PROVISIONING=1 and the provisioning tests rewrite them).
 */

const REPO = resolve(__dirname, '../../..');
const NAME = 'saasmon';
// The Service is named "saasmon": the Prometheus Operator names the scrape job after it, and the
// rules select job="saasmon".
const LABELS = { 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/component': 'exporter', 'app.kubernetes.io/part-of': NAME };
const SELECTOR = { 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/component': 'exporter' };
const PORT = 9471;
const PORT_NAME = 'http-metrics';

type Manifest = Record<string, unknown>;

function exporterVersion(): string {
  return (JSON.parse(readFileSync(join(REPO, 'exporter/package.json'), 'utf8')) as { version: string }).version;
}

function deployment(version: string): Manifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `${NAME}-exporter`, labels: LABELS },
    spec: {
      // One replica: /metrics is per process, and every dashboard query sums over instances.
      replicas: 1,
      selector: { matchLabels: SELECTOR },
      template: {
        metadata: { labels: LABELS },
        spec: {
          securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 },
          containers: [
            {
              name: 'exporter',
              // Build from the repository root: docker build -f exporter/Dockerfile -t <registry>/saasmon-exporter:<version> .
              image: `saasmon-exporter:${version}`,
              ports: [{ name: PORT_NAME, containerPort: PORT }],
              env: [
                { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: `${NAME}-database`, key: 'url' } } },
                { name: 'SAASMON_SCHEMA', value: 'saasmon' },
                { name: 'SAASMON_PORT', value: String(PORT) },
                // Never demo data on a real database (the entrypoint would only write into an empty schema anyway).
                { name: 'SAASMON_DEMO_SCALE', value: 'none' },
                { name: 'SAASMON_API_TOKEN', valueFrom: { secretKeyRef: { name: `${NAME}-api-token`, key: 'token', optional: true } } },
              ],
              readinessProbe: { httpGet: { path: '/ready', port: PORT_NAME }, periodSeconds: 10, failureThreshold: 3 },
              livenessProbe: { httpGet: { path: '/healthz', port: PORT_NAME }, periodSeconds: 20, failureThreshold: 3 },
              // Migrations run before the server listens.
              startupProbe: { httpGet: { path: '/healthz', port: PORT_NAME }, periodSeconds: 5, failureThreshold: 60 },
              resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '1Gi' } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: false, capabilities: { drop: ['ALL'] } },
            },
          ],
        },
      },
    },
  };
}

function service(): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: NAME, labels: LABELS },
    spec: { selector: SELECTOR, ports: [{ name: PORT_NAME, port: PORT, targetPort: PORT_NAME }] },
  };
}

function serviceMonitor(): Manifest {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: { name: NAME, labels: LABELS },
    spec: {
      selector: { matchLabels: SELECTOR },
      endpoints: [{ port: PORT_NAME, path: '/metrics', interval: '15s', scrapeTimeout: '10s' }],
    },
  };
}

/** Every rule group of alert-rules/*.rules.yml, in file order, unchanged. */
export function ruleGroups(): unknown[] {
  const dir = join(REPO, 'alert-rules');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.rules.yml'))
    .sort()
    .flatMap((f) => (parseYaml(readFileSync(join(dir, f), 'utf8')) as { groups: unknown[] }).groups);
}

function prometheusRule(): Manifest {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: NAME, labels: LABELS },
    spec: { groups: ruleGroups() },
  };
}

function dashboardConfigMaps(): Manifest[] {
  return DASHBOARDS.map(({ file, json }) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: `${NAME}-dashboard-${file.replace(/\.json$/, '')}`,
      // The label Grafana's dashboard sidecar (kube-prometheus-stack, grafana chart) watches.
      labels: { ...LABELS, grafana_dashboard: '1' },
      annotations: { grafana_folder: NAME },
    },
    data: { [file]: dashboardText(json) },
  }));
}

const HEADER =
  '# GENERATED by exporter/src/provisioning/kubernetes.ts from alert-rules/*.rules.yml, the dashboard\n' +
  '# builder (provisioning/dashboards/json) and the exporter; edit those, then regenerate\n' +
  '# (UPDATE_PROVISIONING=1 npx jest --config exporter/jest.config.js --rootDir exporter src/provisioning).\n';

function documents(manifests: Manifest[]): string {
  return HEADER + manifests.map((m) => stringifyYaml(m, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
}

/** The files of deploy/kubernetes/, by name. */
export function kubernetesManifests(): Array<{ file: string; text: string }> {
  return [
    { file: 'exporter.yaml', text: documents([deployment(exporterVersion()), service()]) },
    { file: 'servicemonitor.yaml', text: documents([serviceMonitor()]) },
    { file: 'prometheusrule.yaml', text: documents([prometheusRule()]) },
    { file: 'dashboards.yaml', text: documents(dashboardConfigMaps()) },
  ];
}
