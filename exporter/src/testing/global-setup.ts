import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../db/embedded';

const LOCAL_URL = 'postgres://postgres@127.0.0.1:5432/test';

async function reachable(url: string): Promise<boolean> {
  const c = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

/**
 * One fresh database per test run: on the Postgres at 127.0.0.1:5432 when it answers (or
 * SAASMON_TEST_ADMIN_URL), else on a throwaway embedded Postgres. Test files then take a schema
 * each inside it (testing/db.ts), so files run in parallel without seeing each other.
 */
export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env.SAASMON_TEST_ADMIN_URL ?? LOCAL_URL;
  if (!(await reachable(adminUrl))) {
    const dir = mkdtempSync(join(tmpdir(), 'saasmon-test-pg-'));
    chmodSync(dir, 0o755); // as root, Postgres runs as the postgres user and must reach its folder
    const db = await startEmbeddedPostgres(join(dir, 'data'), 'test');
    (globalThis as { __saasmonEmbedded?: typeof db }).__saasmonEmbedded = db;
    adminUrl = db.url;
  }
  const name = `saasmon_test_${Date.now().toString(36)}_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  process.env.SAASMON_TEST_DATABASE_URL = url.toString();
  process.env.SAASMON_TEST_ADMIN_URL = adminUrl;
  process.env.SAASMON_TEST_DATABASE_NAME = name;
}
