import { COLLECTOR_NAMES, ConfigInput } from '../config/schema';
import { silentLogger } from '../logger';
import { RunningService, startService } from '../service';
import { TestSchema } from './db';
import { TEST_TOKENS, testTokenConfig } from './tokens';

export const NO_COLLECTORS = Object.fromEntries(COLLECTOR_NAMES.map((c) => [c, { enabled: false }]));

/** The exporter on a free loopback port over a test schema, with test tokens; collectors, answer warming and the API process off unless asked. */
export async function startTestService(db: TestSchema, overrides: ConfigInput = {}, now?: () => Date): Promise<RunningService> {
  return startService({
    config: db.config({
      collectors: NO_COLLECTORS,
      ...overrides,
      // The APIs in this process unless a test asks: tests read API counters at once (the API
      // process sends them every second) and drive the clock.
      server: { port: 0, host: '127.0.0.1', apiProcess: false, ...(overrides.server ?? {}) },
      // Background answer warming off unless a test asks: it would add queries to every test's database.
      api: { tokens: testTokenConfig(), warm: { enabled: false }, ...(overrides.api ?? {}) },
    }),
    log: silentLogger,
    now,
    processMetrics: false,
  });
}

/** POSTs JSON with a bearer token; returns status, parsed body and headers. */
export async function postJson(
  url: string,
  body: unknown,
  token: string = TEST_TOKENS.admin,
  raw?: string,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: raw ?? JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { text };
  }
  return { status: res.status, body: parsed, headers: res.headers };
}
