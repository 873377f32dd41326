import { gunzipSync } from 'node:zlib';
import { acceptsGzip, wantsOpenMetrics } from './negotiate';
import { prepareExposition } from './prepared';
import { family, gauge } from './family';

it('picks OpenMetrics only when the scraper prefers it, by q-value', () => {
  // Prometheus 2.x
  expect(
    wantsOpenMetrics(
      'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
    ),
  ).toBe(true);
  expect(wantsOpenMetrics('application/openmetrics-text; version=1.0.0')).toBe(true);
  expect(wantsOpenMetrics('text/plain;version=0.0.4;q=1,application/openmetrics-text;q=0.5')).toBe(false);
  expect(wantsOpenMetrics('application/openmetrics-text;q=0,*/*')).toBe(false);
  expect(wantsOpenMetrics(undefined)).toBe(false);
  expect(wantsOpenMetrics('*/*')).toBe(false);
});

it('gzips only when Accept-Encoding allows it', () => {
  expect(acceptsGzip('gzip')).toBe(true);
  expect(acceptsGzip('deflate, gzip;q=0.5')).toBe(true);
  expect(acceptsGzip('gzip;q=0')).toBe(false);
  expect(acceptsGzip('*')).toBe(true);
  expect(acceptsGzip('identity')).toBe(false);
  expect(acceptsGzip(undefined)).toBe(false);
});

it('prepares both formats, plain and as gzip members that decompress to the same text', async () => {
  const p = await prepareExposition([family(gauge('saasmon_x_ratio', 'x', ['k']), [{ labels: { k: 'a"b' }, value: 0.5 }])]);
  expect(p.text.toString()).toContain('saasmon_x_ratio{k="a\\"b"} 0.5');
  expect(gunzipSync(p.textGzip).equals(p.text)).toBe(true);
  expect(gunzipSync(Buffer.concat([p.openMetricsGzip, p.textGzip])).toString()).toBe(p.openMetrics.toString() + p.text.toString());
  expect(p.text.byteLength).toBe(p.text.buffer.byteLength); // owns its memory: transferable
});
