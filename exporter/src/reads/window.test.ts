import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { testDatabaseUrl } from '../testing/db';
import { sqlDaysAfter, sqlDaysBefore } from './window';

it('writes windows as whole 24-hour days', () => {
  expect(sqlDaysBefore('$1::timestamptz', 30)).toBe("($1::timestamptz - 30 * interval '24 hours')");
  expect(sqlDaysAfter('u.created_at', '$3::int')).toBe("(u.created_at + $3::int * interval '24 hours')");
  expect(() => sqlDaysBefore('$1', 1.5)).toThrow(/whole number/);
});

it('gives 720 hours for 30 days across a DST change, whatever the session time zone', async () => {
  const client = new Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    await client.query(`SET TimeZone = 'Europe/Berlin'`);
    const { rows } = await client.query<{ helper: Date; calendar: Date }>(
      `SELECT ${sqlDaysBefore('$1::timestamptz', 30)} AS helper, $1::timestamptz - interval '30 days' AS calendar`,
      ['2026-04-15T12:00:00Z'],
    );
    expect(rows[0]?.helper.toISOString()).toBe('2026-03-16T12:00:00.000Z');
    // What the helper avoids: Berlin's spring-forward night makes this window 719 hours.
    expect(rows[0]?.calendar.toISOString()).toBe('2026-03-16T13:00:00.000Z');
  } finally {
    await client.end();
  }
});

it('is the only way the exporter writes a window of days in SQL', () => {
  const root = join(__dirname, '..');
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      // The demo data and the benchmarks' baseline are not windows of a metric.
      if (statSync(path).isDirectory()) {
        if (!['demo', 'bench', 'testing'].includes(name)) walk(path);
      } else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && path !== join(__dirname, 'window.ts')) {
        readFileSync(path, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (/interval '\d+ days?'/.test(line)) {
              offenders.push(`${path.slice(root.length + 1)}:${i + 1}: ${line.trim()}`);
            }
          });
      }
    }
  };
  walk(root);
  expect(offenders).toEqual([]);
});
