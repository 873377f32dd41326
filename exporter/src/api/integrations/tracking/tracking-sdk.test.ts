import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { RunningService } from '../../../service';
import { createTestSchema, TestSchema } from '../../../testing/db';
import { startTestService } from '../../../testing/service';
import { TEST_TOKENS } from '../../../testing/tokens';
import { posthogClient, segmentClient, TRACKING_TOKEN, trackingTokenConfig } from '../../../testing/tracking-clients';

let db: TestSchema;
let svc: RunningService;

beforeAll(async () => {
  db = await createTestSchema('tracking');
  svc = await startTestService(db, {
    api: { tokens: trackingTokenConfig(), rateLimit: { requestsPerSecond: 1000, burst: 1000 } },
    ingest: { activationEvent: 'workflow.created' },
  });
});
afterAll(async () => {
  await svc.close();
  await db.close();
});

const count = async (sql: string, params: unknown[] = []) => Number((await db.pool.query(sql, params)).rows[0].n);

describe('posthog-node pointed at saasmon', () => {
  it.each([
    ['gzip', false],
    ['plain JSON', true],
  ])('delivers groups, people and events (%s): every event counted back', async (label, disableCompression) => {
    const tenant = `ph-${label.replace(/\W/g, '')}`;
    const ph = posthogClient(svc.url, { disableCompression });
    ph.groupIdentify({
      groupType: 'company',
      groupKey: tenant,
      properties: { name: 'PostHog Co', plan: 'pro', created_at: '2026-01-02T00:00:00Z' },
    });
    ph.identify({ distinctId: `${tenant}-u1`, properties: { email: 'ana@example.com', role: 'owner', tenant_id: tenant } });
    ph.capture({ distinctId: `${tenant}-u1`, event: 'workflow.created', properties: { source: 'api' }, groups: { company: tenant } });
    for (let i = 0; i < 60; i++)
      ph.capture({ distinctId: `${tenant}-u1`, event: 'report.exported', properties: { n: i }, groups: { company: tenant } });
    ph.capture({ distinctId: `${tenant}-u1`, event: '$pageview', properties: { $current_url: 'https://app/' } });
    await ph.shutdown();

    expect(await count(`SELECT count(*) AS n FROM events WHERE tenant_id = $1`, [tenant])).toBe(61);
    expect(await count(`SELECT count(DISTINCT id) AS n FROM events WHERE tenant_id = $1 AND id LIKE 'posthog:%'`, [tenant])).toBe(61);
    const t = await db.pool.query(`SELECT name, plan, created_at FROM tenants WHERE id = $1`, [tenant]);
    expect(t.rows).toEqual([{ name: 'PostHog Co', plan: 'pro', created_at: new Date('2026-01-02T00:00:00Z') }]);
    const u = await db.pool.query(`SELECT tenant_id, email, role, activated_at IS NOT NULL AS activated FROM users WHERE id = $1`, [
      `${tenant}-u1`,
    ]);
    expect(u.rows).toEqual([{ tenant_id: tenant, email: 'ana@example.com', role: 'owner', activated: true }]);
    const e = await db.pool.query(
      `SELECT properties FROM events WHERE tenant_id = $1 AND name = 'report.exported' AND (properties->>'n')::int = 7`,
      [tenant],
    );
    // PostHog's own $-properties ($lib, $groups, ...) are not stored; the app's are.
    expect(e.rows).toEqual([{ properties: { n: 7 } }]);
  });

  it('refuses a batch with a wrong key (401) or a token without the tracking scope (403)', async () => {
    const body = {
      api_key: 'nope-nope-nope',
      batch: [{ event: 'x', distinct_id: 'u', uuid: '0190', timestamp: new Date().toISOString() }],
    };
    const post = (b: unknown) => fetch(`${svc.url}/api/v1/integrations/posthog/batch/`, { method: 'POST', body: JSON.stringify(b) });
    expect((await post(body)).status).toBe(401);
    expect((await post({ ...body, api_key: TEST_TOKENS.query })).status).toBe(403);
  });

  it('takes posthog-js shapes: an array to /e/ with the token in properties, gzip-js compressed', async () => {
    const uuid = '01900000-0000-7000-8000-00000000e001';
    const body = gzipSync(
      JSON.stringify([
        {
          event: 'dashboard.viewed',
          uuid,
          timestamp: new Date().toISOString(),
          properties: { token: TRACKING_TOKEN, distinct_id: 'ph-gzip-u1', $groups: { company: 'ph-gzip' } },
        },
      ]),
    );
    const res = await fetch(`${svc.url}/api/v1/integrations/posthog/e/?compression=gzip-js&ver=1.0`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 1, stored: 1 });
  });
});

describe('@segment/analytics-node pointed at saasmon', () => {
  it('delivers group, identify and track calls: every event counted back, retried batches stored once', async () => {
    const seg = segmentClient(svc.url);
    seg.group({ userId: 'seg-u1', groupId: 'seg-co', traits: { name: 'Segment Co', plan: 'business', createdAt: '2026-02-01T00:00:00Z' } });
    seg.identify({
      userId: 'seg-u1',
      traits: { email: 'bo@example.com', createdAt: '2026-02-03T00:00:00Z' },
      context: { groupId: 'seg-co' },
    });
    // traits.company names the tenant without a group call (Segment's B2B spec).
    seg.identify({ userId: 'seg-u2', traits: { email: 'cy@example.com', company: { id: 'seg-co2', name: 'Second Co', plan: 'starter' } } });
    for (let i = 0; i < 40; i++)
      seg.track({ userId: 'seg-u1', event: 'report.exported', properties: { n: i }, context: { groupId: 'seg-co' } });
    // No group in context: the tenant is the user's.
    for (let i = 0; i < 5; i++) seg.track({ userId: 'seg-u2', event: 'dashboard.viewed', properties: { n: i } });
    seg.page({ userId: 'seg-u1', name: 'Pricing' });
    seg.track({ anonymousId: 'anon-1', event: 'landing.viewed' });
    seg.track({ userId: 'ghost', event: 'report.exported' });
    await seg.closeAndFlush();

    expect(await count(`SELECT count(*) AS n FROM events WHERE tenant_id = 'seg-co' AND id LIKE 'segment:%'`)).toBe(40);
    expect(await count(`SELECT count(*) AS n FROM events WHERE tenant_id = 'seg-co2'`)).toBe(5);
    expect((await db.pool.query(`SELECT id, tenant_id, email, created_at FROM users WHERE id LIKE 'seg-%' ORDER BY id`)).rows).toEqual([
      { id: 'seg-u1', tenant_id: 'seg-co', email: 'bo@example.com', created_at: new Date('2026-02-03T00:00:00Z') },
      { id: 'seg-u2', tenant_id: 'seg-co2', email: 'cy@example.com', created_at: expect.any(Date) },
    ]);
    expect((await db.pool.query(`SELECT id, name, plan FROM tenants WHERE id LIKE 'seg-%' ORDER BY id`)).rows).toEqual([
      { id: 'seg-co', name: 'Segment Co', plan: 'business' },
      { id: 'seg-co2', name: 'Second Co', plan: 'starter' },
    ]);
    // The unknown user's event is refused with its reason and kept; the page and anonymous calls are accepted, not used.
    const rej = await db.pool.query(
      `SELECT reason, message->>'userId' AS user_id FROM saasmon_tracking_rejections WHERE source = 'segment'`,
    );
    expect(rej.rows).toEqual([{ reason: expect.stringMatching(/^no_tenant: /), user_id: 'ghost' }]);

    // The same batch again (an SDK retry after a lost answer) stores nothing twice.
    const batch = {
      batch: [
        {
          type: 'track',
          messageId: 'm-retry-1',
          userId: 'seg-u1',
          event: 'x.y',
          timestamp: new Date().toISOString(),
          context: { groupId: 'seg-co' },
        },
      ],
    };
    const send = () =>
      fetch(`${svc.url}/api/v1/integrations/segment/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${TRACKING_TOKEN}:`).toString('base64')}` },
        body: JSON.stringify(batch),
      }).then((r) => r.json());
    expect(await send()).toMatchObject({ success: true, stored: 1, duplicates: 0 });
    expect(await send()).toMatchObject({ success: true, stored: 0, duplicates: 1 });

    const metrics = await (await fetch(`${svc.url}/metrics`)).text();
    // At least the ghost's event; the SDK sends batches concurrently, so an event may also have
    // waited a moment for its tenant (then replayed: the counts above are exact either way).
    expect(metrics).toMatch(/saasmon_tracking_rejected_total\{source="segment",reason="no_tenant"\} [1-9]/);
    expect(metrics).toMatch(/saasmon_tracking_events_total\{source="segment",outcome="ignored"\} 2/);
    expect(metrics).toMatch(/saasmon_tracking_lag_seconds\{source="posthog"\} \d/);
    const families = `${metrics
      .split('\n')
      .filter((l) => /^(# (HELP|TYPE) )?saasmon_(tracking|stripe)_/.test(l))
      .join('\n')}\n`;
    const lint = spawnSync('promtool', ['check', 'metrics'], { input: families, encoding: 'utf8' });
    expect(`${lint.stdout}${lint.stderr}`.trim()).toBe('');
  });

  it('keeps events that come before their tenant or user waiting, and stores them when it arrives', async () => {
    const send = (batch: unknown[]) =>
      fetch(`${svc.url}/api/v1/integrations/segment/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${TRACKING_TOKEN}:`).toString('base64')}` },
        body: JSON.stringify({ batch }),
      }).then((r) => r.json() as Promise<Record<string, unknown>>);
    const ts = new Date().toISOString();
    const early = await send([
      { type: 'track', messageId: 'w-1', userId: 'late-u', event: 'report.exported', timestamp: ts, context: { groupId: 'late-co' } },
      { type: 'track', messageId: 'w-2', userId: 'late-u', event: 'report.exported', timestamp: ts },
    ]);
    expect(early).toMatchObject({
      success: true,
      stored: 0,
      rejected: 2,
      rejections: [
        { reason: 'unknown_tenant', tenantId: 'late-co' },
        { reason: 'no_tenant', userId: 'late-u' },
      ],
    });
    // The group call stores the first; the identify (the user now has a tenant) the second.
    expect(await send([{ type: 'group', messageId: 'w-g', groupId: 'late-co', traits: { name: 'Late Co' }, timestamp: ts }])).toMatchObject(
      { replayed: 1 },
    );
    expect(
      await send([{ type: 'identify', messageId: 'w-i', userId: 'late-u', traits: {}, context: { groupId: 'late-co' }, timestamp: ts }]),
    ).toMatchObject({ replayed: 1 });
    expect(await count(`SELECT count(*) AS n FROM events WHERE id IN ('segment:w-1', 'segment:w-2') AND tenant_id = 'late-co'`)).toBe(2);
    expect(await count(`SELECT count(*) AS n FROM saasmon_tracking_rejections WHERE message_id LIKE 'w-%'`)).toBe(0);
  });
});
