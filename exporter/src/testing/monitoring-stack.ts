import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../db/embedded';
import { eventually } from '../harness/eventually';

/**
 * A real Prometheus and a real Alertmanager for tests, on free loopback ports. Prometheus serves a
 * TSDB backfilled with `promtool tsdb create-blocks-from openmetrics`, so instant queries at a
 * fixed instant have exact, known answers without waiting for scrapes.
 */

export interface RunningProcess {
  url: string;
  stop(): Promise<void>;
}

const PROMETHEUS = process.env.PROMETHEUS_BIN ?? 'prometheus';
const PROMTOOL = process.env.PROMTOOL_BIN ?? 'promtool';
const ALERTMANAGER = process.env.ALERTMANAGER_BIN ?? 'prometheus-alertmanager';

function startProcess(bin: string, args: string[]): ChildProcess {
  const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.resume();
  return child;
}

async function waitReady(url: string, child: ChildProcess, what: string): Promise<void> {
  await eventually(
    async () => {
      if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
      const res = await fetch(`${url}/-/ready`);
      if (!res.ok) throw new Error(`${what} not ready: ${res.status}`);
    },
    30_000,
    100,
  );
}

function stopper(child: ChildProcess, dir: string) {
  return async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
}

/** One series of a backfill: its OpenMetrics name with labels and a value per sample time. */
export interface BackfillSeries {
  series: string;
  value: (tSeconds: number) => number;
}

/** Prometheus over a TSDB holding `series` sampled every `stepSeconds` in [fromSeconds, toSeconds]. */
export async function startBackfilledPrometheus(
  series: readonly BackfillSeries[],
  fromSeconds: number,
  toSeconds: number,
  stepSeconds = 15,
): Promise<RunningProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'saasmon-prom-'));
  const lines: string[] = [];
  const types = new Set<string>();
  for (const s of series) {
    const name = s.series.replace(/\{.*$/, '');
    const family = name.replace(/_(total|bucket|count|sum)$/, '');
    if (!types.has(family)) {
      types.add(family);
      lines.push(`# TYPE ${family} ${name.endsWith('_bucket') ? 'histogram' : 'counter'}`);
    }
    for (let t = fromSeconds; t <= toSeconds; t += stepSeconds) lines.push(`${s.series} ${s.value(t)} ${t}`);
  }
  // OpenMetrics wants each family's samples together, in time order per series: grouped above.
  writeFileSync(join(dir, 'data.om'), `${lines.join('\n')}\n# EOF\n`);
  const r = spawnSync(PROMTOOL, ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'data.om'), join(dir, 'tsdb')], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`promtool backfill failed: ${r.stderr}`);
  writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1h\n');
  const port = await freePort();
  const child = startProcess(PROMETHEUS, [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'tsdb')}`,
    '--storage.tsdb.retention.time=100y',
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=error',
  ]);
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url, child, 'prometheus');
  return { url, stop: stopper(child, dir) };
}

export interface RunningAlertmanager extends RunningProcess {
  /** Posts alerts as Prometheus would (firing until `endsAt`, default in an hour). */
  post(
    alerts: Array<{ labels: Record<string, string>; annotations?: Record<string, string>; startsAt?: string; endsAt?: string }>,
  ): Promise<void>;
}

export async function startAlertmanager(): Promise<RunningAlertmanager> {
  const dir = mkdtempSync(join(tmpdir(), 'saasmon-am-'));
  writeFileSync(join(dir, 'alertmanager.yml'), 'route:\n  receiver: none\nreceivers:\n  - name: none\n');
  const port = await freePort();
  const child = startProcess(ALERTMANAGER, [
    `--config.file=${join(dir, 'alertmanager.yml')}`,
    `--storage.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--cluster.listen-address=',
    '--log.level=error',
  ]);
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url, child, 'alertmanager');
  return {
    url,
    stop: stopper(child, dir),
    async post(alerts) {
      const res = await fetch(`${url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alerts.map((a) => ({ endsAt: new Date(Date.now() + 3_600_000).toISOString(), ...a }))),
      });
      if (!res.ok) throw new Error(`alertmanager refused alerts: ${res.status} ${await res.text()}`);
    },
  };
}
