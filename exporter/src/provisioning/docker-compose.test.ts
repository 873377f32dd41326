import { execFileSync, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { freePort } from '../db/embedded';
import { eventually } from '../harness/eventually';
import { ALERT_SINK_URL, demoAlertmanagerConfig } from './alertmanager-demo';
import { DASHBOARDS } from './index';

// docker-compose.yml without a Docker engine: its structure, that every file it mounts or builds
// from is in the repository (or is a build output of a workspace), and that Prometheus's config
// and the exporter's entrypoint are valid.

const REPO = resolve(__dirname, '../../..');
const read = (path: string) => readFileSync(join(REPO, path), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

const compose = parseYaml(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;

/** `${NAME:-default}` as docker compose reads it with NAME unset. */
const withDefaults = (s: string) => s.replace(/\$\{\w+:-([^}]*)\}/g, '$1');

/** Bind mounts of a service: host path (relative to the repository) and container path. */
function binds(service: Service): Array<{ host: string; container: string }> {
  return (service.volumes ?? [])
    .map((v) => withDefaults(v).split(':'))
    .filter(([host]) => (host as string).startsWith('./'))
    .map(([host, container]) => ({ host: (host as string).slice(2), container: container as string }));
}

/** Plugin ids declared under a workspace's src (webpack writes each to dist/<id>). */
function pluginIdsOf(workspace: string): string[] {
  const ids: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(join(REPO, dir), { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name === 'plugin.json') ids.push((JSON.parse(read(join(dir, e.name))) as { id: string }).id);
    }
  };
  walk(`${workspace}/src`);
  return ids;
}

describe('docker-compose.yml', () => {
  it('has the six services, each with a healthcheck, on the documented ports', () => {
    expect(Object.keys(services).sort()).toEqual(['alert-sink', 'alertmanager', 'exporter', 'grafana', 'postgres', 'prometheus']);
    for (const [name, s] of Object.entries(services))
      expect({ name, healthcheck: Array.isArray(s.healthcheck?.test) }).toEqual({ name, healthcheck: true });
    const published = (name: string) => (services[name]?.ports ?? []).map((p) => p.split(':').slice(-2).join(':'));
    expect(published('grafana')).toContain('3000:3000');
    expect(published('prometheus')).toContain('9090:9090');
    expect(published('alertmanager')).toContain('9093:9093');
    expect(published('exporter')).toContain('9471:9471');
    expect(published('alert-sink')).toContain('9099:9099');
    // Postgres pinned by minor (a major change would need a dump and restore of the volume).
    expect(services.postgres?.image).toMatch(/^postgres:15\.\d+$/);
    expect(services.postgres?.healthcheck?.test.join(' ')).toContain('pg_isready');
    expect(services.exporter?.healthcheck?.test.join(' ')).toContain('/ready');
  });

  it('starts the exporter after a healthy Postgres, and monitoring whether or not the exporter is healthy', () => {
    const edges = Object.entries(services).flatMap(([name, s]) =>
      Object.entries(s.depends_on ?? {}).map(([dep, d]) => `${name}->${dep}:${d.condition}`),
    );
    expect(edges.sort()).toEqual(
      [
        'exporter->postgres:service_healthy',
        // A slow first demo load or a sick exporter must not keep Prometheus, its alerts and the
        // dashboards down: they only wait for the containers to start.
        'grafana->alertmanager:service_started',
        'grafana->exporter:service_started',
        'grafana->prometheus:service_started',
        'prometheus->alertmanager:service_started',
        'prometheus->exporter:service_started',
      ].sort(),
    );
  });

  it('publishes every port on 127.0.0.1 only', () => {
    const ports = Object.entries(services).flatMap(([name, s]) => (s.ports ?? []).map((p) => `${name} ${p}`));
    expect(ports.length).toBeGreaterThanOrEqual(6);
    expect(ports.filter((p) => !/ 127\.0\.0\.1:\d+:\d+$/.test(p))).toEqual([]);
  });

  it('pins current images: Prometheus 3, a current Alertmanager, a Grafana 12 patch, an LTS Node', () => {
    expect(services.prometheus?.image).toMatch(/^prom\/prometheus:v3\.\d+\.\d+$/);
    const am = /^prom\/alertmanager:v0\.(\d+)\.\d+$/.exec(services.alertmanager?.image ?? '');
    expect(Number(am?.[1])).toBeGreaterThanOrEqual(28);
    expect(services.grafana?.image).toMatch(/^grafana\/grafana:12\.\d+\.\d+$/);
    // Even-numbered Node lines become LTS; 20 left support in April 2026.
    const nodes = [
      ...read('exporter/Dockerfile').matchAll(/^FROM node:(\d+)-/gm),
      ...[services['alert-sink']?.image ?? ''].map((i) => /^node:(\d+)-/.exec(i)),
    ];
    for (const m of nodes) expect([m?.[0], Number(m?.[1]) >= 22 && Number(m?.[1]) % 2 === 0]).toEqual([m?.[0], true]);
  });

  it('mounts only paths that exist in the repository or are a workspace build output', () => {
    const problems: string[] = [];
    for (const [name, s] of Object.entries(services)) {
      for (const { host } of binds(s)) {
        if (existsSync(join(REPO, host))) continue;
        const [workspace, dist, id] = host.split('/');
        const scripts = existsSync(join(REPO, `${workspace}/package.json`))
          ? ((JSON.parse(read(`${workspace}/package.json`)) as { scripts?: Record<string, string> }).scripts ?? {})
          : {};
        const builtHere =
          dist === 'dist' && typeof scripts.build === 'string' && (id === undefined || pluginIdsOf(workspace as string).includes(id));
        if (!builtHere) problems.push(`${name}: ${host}`);
      }
    }
    expect(problems).toEqual([]);
    const named = Object.values(services).flatMap((s) =>
      (s.volumes ?? []).map((v) => v.split(':')[0] as string).filter((h) => !h.startsWith('.') && !h.startsWith('$')),
    );
    expect(named.filter((v) => !(v in compose.volumes))).toEqual([]);
  });

  it('loads exactly our three plugins, unsigned, from their dist folders, and the provisioning', () => {
    const grafana = services.grafana as Service;
    expect(grafana.image).toMatch(/^grafana\/grafana:12\./);
    const allowed = (grafana.environment?.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS ?? '').split(',').sort();
    expect(allowed).toEqual(['saasmon-alignment-panel', 'saasmon-analytics-datasource', 'saasmon-healthmatrix-panel']);
    const mounts = binds(grafana);
    const pluginDirs = mounts.filter((m) => m.container.startsWith('/var/lib/grafana/plugins/'));
    expect(pluginDirs.map((m) => m.container.split('/').pop()).sort()).toEqual(allowed);
    for (const m of pluginDirs) expect(m.host).toMatch(/^(datasource-plugin|panel-plugin)\/dist/);
    expect(JSON.parse(read('datasource-plugin/src/plugin.json')).id).toBe('saasmon-analytics-datasource');
    expect(mounts).toEqual(
      expect.arrayContaining([
        { host: 'provisioning/datasources', container: '/etc/grafana/provisioning/datasources' },
        { host: 'provisioning/dashboards', container: '/etc/grafana/provisioning/dashboards' },
      ]),
    );
    // The dashboard provider's path is inside the mounted folder.
    const provider = parseYaml(read('provisioning/dashboards/saasmon.yml')) as {
      providers: Array<{ folder: string; options: { path: string } }>;
    };
    expect(provider.providers[0]?.folder).toBe('saasmon');
    const inContainer = provider.providers[0]?.options.path as string;
    expect(inContainer.startsWith('/etc/grafana/provisioning/dashboards/')).toBe(true);
    const local = join(REPO, 'provisioning/dashboards', inContainer.slice('/etc/grafana/provisioning/dashboards/'.length));
    expect(readdirSync(local).filter((f) => f.endsWith('.json')).length).toBe(DASHBOARDS.length);
    expect(existsSync(join(local, 'executive.json'))).toBe(true);
    expect(grafana.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH).toBe(`${inContainer}/executive.json`);
  });

  it('gives Grafana and the exporter the same API token, which the datasource provisioning reads', () => {
    const token = services.exporter?.environment?.SAASMON_API_TOKEN;
    expect(token).toBeTruthy();
    expect(services.grafana?.environment?.SAASMON_API_TOKEN).toBe(token);
    expect(read('provisioning/datasources/saasmon.yml')).toContain('$SAASMON_API_TOKEN');
    expect(services.exporter?.environment?.DATABASE_URL).toMatch(/@postgres:5432\/saasmon$/);
  });

  it('builds the exporter from the repository with a Dockerfile whose sources exist', () => {
    const build = services.exporter?.build as { context: string; dockerfile: string };
    expect(build.context).toBe('.');
    const dockerfile = read(build.dockerfile);
    expect(dockerfile).toMatch(/^FROM node:24-/m);
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+)$/gm)].flatMap((m) => (m[1] as string).trim().split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(5);
    for (const src of sources) {
      expect({ src, exists: existsSync(join(REPO, src)) }).toEqual({ src, exists: true });
      expect({ src, ignored: ignored.some((i) => src === i || src.startsWith(`${i}/`)) }).toEqual({ src, ignored: false });
    }
    const entrypoint = /^COPY (\S*entrypoint\.sh) /m.exec(dockerfile)?.[1] as string;
    accessSync(join(REPO, entrypoint), constants.X_OK);
    execFileSync('sh', ['-n', join(REPO, entrypoint)]);
    // The entrypoint runs what the CLI offers.
    const script = read(entrypoint);
    for (const cmd of ['migrate', 'demo --scale', 'serve --no-migrate']) expect(script).toContain(`"$CLI" ${cmd}`);
    expect(existsSync(join(REPO, 'exporter/src/demo/detect.ts'))).toBe(true);
  });
});

describe('Prometheus and Alertmanager in compose', () => {
  const prometheus = services.prometheus as Service;
  const config = parseYaml(read('provisioning/prometheus/prometheus.yml')) as {
    rule_files: string[];
    alerting: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> };
    scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>;
  };

  it('scrapes the exporter as job "saasmon" and alerts to Alertmanager', () => {
    const saasmon = config.scrape_configs.find((j) => j.job_name === 'saasmon');
    expect(saasmon?.static_configs[0]?.targets).toEqual(['exporter:9471']);
    expect(config.alerting.alertmanagers[0]?.static_configs[0]?.targets).toEqual(['alertmanager:9093']);
  });

  it('loads the rule files of alert-rules/ through the mount, and promtool accepts config and rules', () => {
    const rulesMount = binds(prometheus).find((m) => m.host === 'alert-rules');
    expect(rulesMount).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'saasmon-prom-config-'));
    try {
      // The same config with the container paths mapped back onto the repository.
      const local = {
        ...config,
        rule_files: config.rule_files.map((f) => {
          expect(f.startsWith(`${rulesMount?.container}/`)).toBe(true);
          return join(REPO, 'alert-rules', f.slice(`${rulesMount?.container}/`.length));
        }),
      };
      const glob = new RegExp(`^${(config.rule_files[0] as string).split('/').pop()?.replace(/\./g, '\\.').replace('*', '.*')}$`);
      expect(readdirSync(join(REPO, 'alert-rules')).filter((f) => glob.test(f)).length).toBeGreaterThan(0);
      writeFileSync(join(dir, 'prometheus.yml'), stringifyYaml(local));
      const out = execFileSync('promtool', ['check', 'config', join(dir, 'prometheus.yml')], { encoding: 'utf8', stdio: 'pipe' });
      expect(out).toMatch(/SUCCESS/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const am = () => services.alertmanager as Service;
  const configFlag = () => (am().command ?? []).find((c) => c.startsWith('--config.file=')) as string;

  it('runs the demo Alertmanager on a config made from the repository one, whose receivers post to the local sink', () => {
    const configPath = withDefaults(configFlag()).split('=')[1] as string;
    const mount = binds(am()).find((m) => configPath.startsWith(`${m.container}/`));
    expect(mount?.host).toBe('provisioning/alertmanager');
    const file = join(mount?.host as string, configPath.slice(`${mount?.container}/`.length));
    const expected = demoAlertmanagerConfig(read('alert-rules/alertmanager.yml'));
    if (process.env.UPDATE_PROVISIONING === '1') writeFileSync(join(REPO, file), expected);
    expect(read(file)).toBe(expected);

    const demo = parseYaml(expected) as {
      route: unknown;
      inhibit_rules: unknown;
      templates: string[];
      receivers: Array<Record<string, unknown>>;
    };
    const repository = parseYaml(read('alert-rules/alertmanager.yml')) as {
      route: unknown;
      inhibit_rules: unknown;
      receivers: Array<{ name: string }>;
    };
    expect(demo.route).toEqual(repository.route);
    expect(demo.inhibit_rules).toEqual(repository.inhibit_rules);
    expect(demo.receivers.map((r) => r.name)).toEqual(repository.receivers.map((r) => r.name));
    expect(expected).not.toMatch(/example\.com|_file:/);
    for (const r of demo.receivers.filter((x) => x.name !== 'null')) {
      expect(r.webhook_configs).toEqual([{ url: `${ALERT_SINK_URL}/${String(r.name)}`, send_resolved: true }]);
    }
    expect(ALERT_SINK_URL).toBe(`http://alert-sink:${(services['alert-sink']?.ports?.[0] ?? '').split(':').pop()}`);

    // amtool accepts it, with the templates' container path mapped back onto alert-rules/.
    const rulesMount = binds(am()).find((m) => m.host === 'alert-rules') as { container: string };
    const dir = mkdtempSync(join(tmpdir(), 'saasmon-am-demo-'));
    try {
      const local = { ...demo, templates: demo.templates.map((t) => join(REPO, 'alert-rules', t.slice(rulesMount.container.length + 1))) };
      writeFileSync(join(dir, 'alertmanager.yml'), stringifyYaml(local));
      expect(execFileSync('amtool', ['check-config', join(dir, 'alertmanager.yml')], { encoding: 'utf8' })).toMatch(/SUCCESS/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('can run Alertmanager on the repository config instead, with every secret file it names mounted', () => {
    const configPath = '/etc/alertmanager/saasmon/alertmanager.yml'; // ALERTMANAGER_CONFIG, see docker-compose.yml
    expect(configFlag()).toContain('${ALERTMANAGER_CONFIG:-');
    const mount = binds(am()).find((m) => configPath.startsWith(`${m.container}/`));
    expect(mount?.host).toBe('alert-rules');
    const amConfig = read(join('alert-rules', configPath.slice(`${mount?.container}/`.length)));
    const secretFiles = [...amConfig.matchAll(/_file: (\/etc\/alertmanager\/secrets\/[\w.-]+)/g)].map((m) => m[1] as string);
    expect(secretFiles.length).toBeGreaterThan(0);
    const problems = secretFiles.filter((f) => {
      const m = binds(am()).find((b) => f.startsWith(`${b.container}/`));
      return !m || !existsSync(join(REPO, m.host, f.slice(m.container.length + 1)));
    });
    expect(problems).toEqual([]);
  });

  it('keeps what the demo Alertmanager sends in the alert sink', async () => {
    const sink = services['alert-sink'] as Service;
    const script = binds(sink).find((m) => m.host.endsWith('.mjs')) as { host: string };
    const port = await freePort();
    const child = spawn(process.execPath, [join(REPO, script.host)], {
      env: { ...process.env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await eventually(async () => expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200), 10_000);
      const payload = {
        receiver: 'chat',
        status: 'firing',
        alerts: [{ status: 'firing', labels: { alertname: 'SaasDrBackupFailed' }, annotations: { summary: 'Backups failed' } }],
      };
      const posted = await fetch(`http://127.0.0.1:${port}/chat`, { method: 'POST', body: JSON.stringify(payload) });
      expect(posted.status).toBe(200);
      const kept = (await (await fetch(`http://127.0.0.1:${port}/`)).json()) as Array<{
        receiver: string;
        alerts: Array<{ labels: { alertname: string } }>;
      }>;
      expect(kept.map((k) => [k.receiver, k.alerts[0]?.labels.alertname])).toEqual([['chat', 'SaasDrBackupFailed']]);
      expect((await fetch(`http://127.0.0.1:${port}/chat`, { method: 'POST', body: 'nope' })).status).toBe(400);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
