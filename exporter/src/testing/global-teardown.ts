import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env.SAASMON_TEST_ADMIN_URL;
  const name = process.env.SAASMON_TEST_DATABASE_NAME;
  if (adminUrl && name && !process.env.SAASMON_TEST_KEEP_DATABASE) {
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
  const embedded = (globalThis as { __saasmonEmbedded?: { stop(): Promise<void> } }).__saasmonEmbedded;
  if (embedded) await embedded.stop();
}
