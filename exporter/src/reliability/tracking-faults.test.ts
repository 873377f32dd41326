import { ExporterProcess } from '../harness/exporter-process';
import { createTestSchema, TestSchema } from '../testing/db';
import { NO_COLLECTORS } from '../testing/service';
import { posthogClient, segmentClient, trackingTokenConfig } from '../testing/tracking-clients';

// The official SDKs against `saasmon serve` as a real process killed with SIGKILL while they
// send: they retry what was not acknowledged, and every event is stored exactly once.

let db: TestSchema;
let proc: ExporterProcess;

beforeAll(async () => {
  db = await createTestSchema('trackfaults');
  await db.insert('tenants', [{ id: 't1', name: 'Acme', plan: 'pro', created_at: '2026-01-01T00:00:00Z' }]);
  proc = await ExporterProcess.create(db.url, db.schema, {
    collectors: NO_COLLECTORS,
    api: { tokens: trackingTokenConfig(), rateLimit: { requestsPerSecond: 100_000, burst: 100_000 } },
  });
}, 60_000);
afterAll(async () => {
  await proc?.stop();
  await db?.close();
});

const counts = async (prefix: string) =>
  (await db.pool.query(`SELECT count(*)::int AS rows, count(DISTINCT id)::int AS distinct FROM events WHERE id LIKE $1`, [`${prefix}:%`]))
    .rows[0];

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends n events in bursts, killing the exporter (SIGKILL) halfway and starting it again. */
async function sendThroughAKill(n: number, send: (i: number) => void, flush: () => Promise<void>): Promise<void> {
  await proc.start();
  for (let i = 0; i < n; i++) {
    send(i);
    if (i % 50 === 49) await pause(5);
    if (i === Math.floor(n / 2)) {
      proc.signal('SIGKILL');
      await proc.exit;
      // Sent while the exporter is down: queued and retried by the SDK.
      for (let j = 0; j < 5; j++) await pause(20);
      await proc.start();
    }
  }
  await flush();
}

it('posthog-node: a kill -9 mid-stream loses nothing and duplicates nothing', async () => {
  let failures = 0;
  const ph = posthogClient(proc.url, { flushAt: 50, onNetworkError: () => failures++ });
  await sendThroughAKill(
    1500,
    (i) => ph.capture({ distinctId: `u${i % 7}`, event: 'report.exported', properties: { i }, groups: { company: 't1' } }),
    () => ph.shutdown(60_000),
  );
  expect(await counts('posthog')).toEqual({ rows: 1500, distinct: 1500 });
  // The kill was felt: some requests failed at the connection and were sent again.
  expect(failures).toBeGreaterThan(0);
  await proc.stop();
}, 120_000);

it('@segment/analytics-node: a kill -9 mid-stream loses nothing and duplicates nothing', async () => {
  const seg = segmentClient(proc.url, { flushAt: 15 });
  let requests = 0;
  let responses = 0;
  seg.on('http_request', () => requests++);
  seg.on('http_response', () => responses++);
  await sendThroughAKill(
    900,
    (i) => seg.track({ userId: `u${i % 7}`, event: 'report.exported', properties: { i }, context: { groupId: 't1' } }),
    () => seg.closeAndFlush({ timeout: 90_000 }),
  );
  expect(await counts('segment')).toEqual({ rows: 900, distinct: 900 });
  expect(requests).toBeGreaterThan(responses);
  await proc.stop();
}, 120_000);
