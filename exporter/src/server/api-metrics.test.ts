import { SelfMetrics } from '../metrics/self-metrics';
import { RunningService } from '../service';
import { createTestSchema, TestSchema } from '../testing/db';
import { postJson, startTestService } from '../testing/service';

describe("the exporter's own API metrics", () => {
  let db: TestSchema;
  let svc: RunningService;
  let metrics: string;

  beforeAll(async () => {
    db = await createTestSchema('apimetrics');
    svc = await startTestService(db);
    await fetch(`${svc.url}/healthz`);
    await fetch(`${svc.url}/healthz`);
    await postJson(`${svc.url}/api/v1/query`, { type: 'no_such_type' }); // 400
    await postJson(`${svc.url}/api/v1/query`, { type: 'dr_status' }, ''); // 401, no token
    await fetch(`${svc.url}/api/v1/made-up/${Math.random()}`); // 404 under the query router
    await fetch(`${svc.url}/nowhere/${Math.random()}`); // 404, no route at all
    metrics = await (await fetch(`${svc.url}/metrics`)).text();
  });
  afterAll(async () => {
    await svc.close();
    await db.close();
  });

  const line = (series: string) => metrics.split('\n').find((l) => l.startsWith(`${series} `));

  it('counts requests by method, route template and status', () => {
    expect(line('saasmon_http_requests_total{method="GET",route="/healthz",status="200"}')).toBe(
      'saasmon_http_requests_total{method="GET",route="/healthz",status="200"} 2',
    );
    expect(line('saasmon_http_requests_total{method="POST",route="/api/v1/query",status="400"}')).toMatch(/ 1$/);
    // refused by the API auth before any route ran
    expect(line('saasmon_http_requests_total{method="POST",route="unmatched",status="401"}')).toMatch(/ 1$/);
  });

  it('never puts a raw path into a label', () => {
    const routes = new Set([...metrics.matchAll(/^saasmon_http_requests_total\{[^}]*route="([^"]*)"/gm)].map((m) => m[1]));
    for (const route of routes) expect(route).not.toMatch(/made-up|nowhere/);
    expect(line('saasmon_http_requests_total{method="GET",route="unmatched",status="404"}')).toMatch(/ 1$/);
    expect(line('saasmon_http_requests_total{method="GET",route="unmatched",status="401"}')).toMatch(/ 1$/); // under /api/v1, auth first
  });

  it('gives latency as a histogram with the same labels', () => {
    expect(metrics).toContain('# TYPE saasmon_http_request_duration_seconds histogram');
    expect(line('saasmon_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"}')).toMatch(/ 2$/);
    expect(line('saasmon_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/healthz",status="200"}')).toMatch(/ 2$/);
  });

  it('offers a hook for the answer cache', async () => {
    const self = new SelfMetrics({ processMetrics: false });
    self.api.recordCacheLookup('mrr_movements', 'hit');
    self.api.recordCacheLookup('mrr_movements', 'hit');
    self.api.recordCacheLookup('mrr_movements', 'miss');
    const { text } = await self.render();
    expect(text).toContain('saasmon_query_cache_requests_total{type="mrr_movements",result="hit"} 2');
    expect(text).toContain('saasmon_query_cache_requests_total{type="mrr_movements",result="miss"} 1');
    // the OpenMetrics render keeps the text one's _total
    const again = await self.render();
    expect(again.text).toContain('saasmon_query_cache_requests_total{type="mrr_movements",result="hit"} 2');
  });
});
