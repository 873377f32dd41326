import { Client } from 'pg';

/** True when the schema already holds tenants: demo data is then never written again. */
export async function hasAnyTenant(url: string, schema: string): Promise<boolean> {
  const client = new Client({ connectionString: url, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    const r = await client.query('SELECT EXISTS (SELECT 1 FROM tenants) AS any');
    return (r.rows[0] as { any: boolean }).any;
  } finally {
    await client.end();
  }
}
