import { gunzipSync } from 'node:zlib';
import { SelfExposition } from './self-exposition';

// The self part of /metrics: rendered at each scrape with max age 0; else picked from bytes that a
// timer renders, never older than the max age.

function counting() {
  let renders = 0;
  return {
    render: async (format: 'text' | 'openMetrics') => `${format} ${++renders}\n`,
    renders: () => renders,
  };
}

it('renders at each scrape when its max age is 0', async () => {
  const r = counting();
  const self = new SelfExposition(r.render, 0);
  expect((await self.get('text', false)).toString()).toBe('text 1\n');
  expect((await self.get('text', false)).toString()).toBe('text 2\n');
  expect(gunzipSync(await self.get('openMetrics', true)).toString()).toBe('openMetrics 3\n');
});

it('serves prepared bytes within its max age, per format and encoding, and renders again after it', async () => {
  const r = counting();
  let now = 0;
  const self = new SelfExposition(r.render, 1_000, () => now);
  expect((await self.get('text', false)).toString()).toBe('text 1\n');
  now = 1_000;
  expect((await self.get('text', false)).toString()).toBe('text 1\n');
  expect(gunzipSync(await self.get('text', true)).toString()).toBe('text 2\n');
  now = 1_001;
  expect((await self.get('text', false)).toString()).toBe('text 3\n');
  expect(r.renders()).toBe(3);
});

it('keeps the formats scraped lately fresh in the background', async () => {
  jest.useFakeTimers();
  try {
    const r = counting();
    const self = new SelfExposition(r.render, 1_000, () => Date.now());
    await self.get('openMetrics', true);
    self.start();
    await jest.advanceTimersByTimeAsync(1_000);
    self.stop();
    expect(r.renders()).toBe(3); // the scrape, then one render every 500 ms
    expect(gunzipSync(await self.get('openMetrics', true)).toString()).toBe('openMetrics 3\n');
  } finally {
    jest.useRealTimers();
  }
});
