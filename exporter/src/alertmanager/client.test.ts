import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { freePort } from '../db/embedded';
import { eventually } from '../harness/eventually';
import { RunningAlertmanager, startAlertmanager } from '../testing/monitoring-stack';
import { AlertmanagerError, fetchFiringAlerts } from './client';

// The one Alertmanager client, against a real Alertmanager: what the status page, the executive
// summary and the reports see.

let am: RunningAlertmanager;

beforeAll(async () => {
  am = await startAlertmanager();
  await am.post([
    { labels: { alertname: 'Watchdog', severity: 'none' } },
    { labels: { alertname: 'DiskWarning', severity: 'warning', service: 'api' }, startsAt: '2026-06-15T09:00:00Z' },
    {
      labels: { alertname: 'ApiDown', severity: 'critical', service: 'api' },
      annotations: { summary: 'API down' },
      startsAt: '2026-06-15T11:00:00Z',
    },
    { labels: { alertname: 'DbDown', severity: 'critical' }, startsAt: '2026-06-15T10:00:00Z' },
    { labels: { alertname: 'Quiet', severity: 'critical' }, startsAt: '2026-06-15T08:00:00Z' },
  ]);
  // A silenced alert is not firing for anyone.
  const silence = await fetch(`${am.url}/api/v2/silences`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      matchers: [{ name: 'alertname', value: 'Quiet', isRegex: false }],
      startsAt: new Date(Date.now() - 60_000).toISOString(),
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      createdBy: 'test',
      comment: 'silenced in the test',
    }),
  });
  expect(silence.ok).toBe(true);
  await eventually(async () => {
    const all = (await (await fetch(`${am.url}/api/v2/alerts?silenced=false`)).json()) as unknown[];
    if (all.length !== 4) throw new Error(`alerts not settled yet: ${all.length}`);
  });
}, 30_000);

afterAll(async () => {
  await am?.stop();
});

it('lists firing alerts, worst severity then oldest first, without the Watchdog and silenced ones', async () => {
  const alerts = await fetchFiringAlerts(am.url, 5_000);
  expect(alerts.map((a) => a.alertname)).toEqual(['DbDown', 'ApiDown', 'DiskWarning']);
  expect(alerts[1]).toMatchObject({
    severity: 'critical',
    summary: 'API down',
    startsAt: expect.stringMatching(/^2026-06-15T11:00:00/),
    labels: { alertname: 'ApiDown', severity: 'critical', service: 'api' },
  });
  expect(alerts[0]?.summary).toBe('');
  // a trailing slash or none: the same API path
  expect((await fetchFiringAlerts(`${am.url}/`, 5_000)).length).toBe(3);
});

it('fails with an AlertmanagerError naming the cause when Alertmanager is unreachable or refuses', async () => {
  const closed = `http://127.0.0.1:${await freePort()}`;
  await expect(fetchFiringAlerts(closed, 1_000)).rejects.toThrow(AlertmanagerError);
  await expect(fetchFiringAlerts(closed, 1_000)).rejects.toThrow(/unreachable/);
  const refusing: Server = createServer((_req, res) => res.writeHead(503).end());
  await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`;
    await expect(fetchFiringAlerts(url, 1_000)).rejects.toThrow('Alertmanager answered HTTP 503');
  } finally {
    await new Promise((resolve) => refusing.close(resolve));
  }
});
