import { SwitchableProxy } from '../testing/switchable-proxy';
import { testDatabaseUrl } from '../testing/db';
import { migrate } from './migrate';
import { retryWhileUnreachable } from './wait-for-database';

it('waits for a database that is down at start, one log line per try, no stack trace', async () => {
  const proxy = await SwitchableProxy.create(testDatabaseUrl());
  const lines: string[] = [];
  const log = {
    debug() {},
    info() {},
    error() {},
    warn: (msg: string, f?: Record<string, unknown>) => void lines.push(JSON.stringify({ msg, ...f })),
  };
  let slept = 0;
  const schema = `waitdb_${Date.now()}`;
  const result = await retryWhileUnreachable(() => migrate(proxy.url(testDatabaseUrl()), schema), log, 'migrating at start', {
    sleep: async () => {
      if (++slept === 3) await proxy.up();
    },
  });
  expect(result.applied.length).toBeGreaterThan(0);
  expect(lines).toHaveLength(3);
  for (const l of lines) {
    expect(l).toMatch(/database unreachable \(migrating at start\); retrying in \d+ s/);
    expect(l).not.toMatch(/\n|\bat \S+ \(/); // no line breaks, no stack frames
  }
  await proxy.down();
  const { Pool } = await import('pg');
  const pool = new Pool({ connectionString: testDatabaseUrl() });
  await pool.query(`DROP SCHEMA ${schema} CASCADE`);
  await pool.end();
});

it('does not retry what waiting cannot fix', async () => {
  const log = { debug() {}, info() {}, error() {}, warn: jest.fn() };
  await expect(
    retryWhileUnreachable(
      async () => Promise.reject(Object.assign(new Error('password authentication failed'), { code: '28P01' })),
      log,
      'x',
    ),
  ).rejects.toThrow('password');
  expect(log.warn).not.toHaveBeenCalled();
});

it('gives up after maxWaitMs with the last error (a wrong DATABASE_URL ends, it does not retry forever)', async () => {
  const log = { debug() {}, info() {}, error() {}, warn: jest.fn() };
  const slept: number[] = [];
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
  await expect(
    retryWhileUnreachable(async () => Promise.reject(refused), log, 'migrating at start', {
      maxWaitMs: 10_000,
      sleep: async (ms) => void slept.push(ms),
    }),
  ).rejects.toBe(refused);
  // 1 + 2 + 4 s, then the 3 s left of the 10 s: four waits, then the error.
  expect(slept).toEqual([1_000, 2_000, 4_000, 3_000]);
  expect(log.warn).toHaveBeenCalledTimes(4);

  const once = jest.fn(async () => Promise.reject(refused));
  await expect(retryWhileUnreachable(once, log, 'x', { maxWaitMs: 0, sleep: async () => undefined })).rejects.toBe(refused);
  expect(once).toHaveBeenCalledTimes(1);
});
