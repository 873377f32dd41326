import { createHash } from 'node:crypto';
import { Analytics } from '@segment/analytics-node';
import { PostHog } from 'posthog-node';
import { testTokenConfig } from './tokens';

/** A token with the "tracking" scope only: the PostHog project key and the Segment write key of the tests. */
export const TRACKING_TOKEN = 'test-tracking-token-0123456789';

export function trackingTokenConfig() {
  return [
    ...testTokenConfig(),
    { name: 'test-tracking', sha256: createHash('sha256').update(TRACKING_TOKEN).digest('hex'), scopes: ['tracking' as const] },
  ];
}

/** posthog-node pointed at a saasmon exporter, retrying as its defaults do but faster. */
export function posthogClient(
  baseUrl: string,
  options: { disableCompression?: boolean; flushAt?: number; onNetworkError?: () => void } = {},
): PostHog {
  return new PostHog(TRACKING_TOKEN, {
    host: `${baseUrl}/api/v1/integrations/posthog`,
    flushAt: options.flushAt ?? 20,
    flushInterval: 0,
    fetchRetryCount: 100,
    fetchRetryDelay: 200,
    // The default (1000) drops the oldest messages while the exporter is away.
    maxQueueSize: 100_000,
    requestTimeout: 5_000,
    disableCompression: options.disableCompression,
    fetch: async (url, init) => {
      try {
        return await fetch(url, init as RequestInit);
      } catch (err) {
        options.onNetworkError?.();
        throw err;
      }
    },
  });
}

/** @segment/analytics-node pointed at a saasmon exporter (the write key is the tracking token). */
export function segmentClient(baseUrl: string, options: { flushAt?: number } = {}): Analytics {
  return new Analytics({
    writeKey: TRACKING_TOKEN,
    host: baseUrl,
    path: '/api/v1/integrations/segment/v1/batch',
    flushAt: options.flushAt ?? 15,
    flushInterval: 50,
    maxRetries: 12,
    httpRequestTimeout: 5_000,
  });
}
