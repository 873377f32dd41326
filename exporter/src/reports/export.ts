import { PoolClient } from 'pg';
import { allCollectors } from '../collectors';
import { Config } from '../config/schema';
import { QUERY_TYPES } from '../api/query';
import { Frame, QueryAnswer } from '../api/query/frames';
import { validationError } from '../api/errors';
import { MetricFamily } from '../metrics/family';

/**
 * `saasmon export`: the current metric snapshot (every enabled collector run once at T, the same
 * code as /metrics) or any query answer (the same code as POST /api/v1/query), as CSV for a
 * spreadsheet or JSON for a warehouse load.
 */

export interface MetricRow {
  metric: string;
  labels: Record<string, string>;
  value: number;
}

/** Runs each enabled collector at `now` on `db`; a failing collector is reported, not hidden. */
export async function metricSnapshot(
  db: PoolClient,
  config: Config,
  now: Date,
): Promise<{ rows: MetricRow[]; errors: Array<{ collector: string; error: string }> }> {
  const rows: MetricRow[] = [];
  const errors: Array<{ collector: string; error: string }> = [];
  for (const c of allCollectors()) {
    if (!config.collectors[c.name].enabled) continue;
    await db.query('SAVEPOINT export_collector');
    try {
      const families: MetricFamily[] = await c.collect({ db, now, config });
      await db.query('RELEASE SAVEPOINT export_collector');
      for (const f of families) for (const s of f.samples) rows.push({ metric: f.name, labels: { ...s.labels }, value: s.value });
    } catch (err) {
      await db.query('ROLLBACK TO SAVEPOINT export_collector');
      errors.push({ collector: c.name, error: (err as Error).message });
    }
  }
  return { rows, errors };
}

/** Validates `body` as the query API does (the same schemas) and runs it. */
export async function runQuery(db: PoolClient, config: Config, now: Date, body: unknown): Promise<QueryAnswer> {
  const type = (body as { type?: unknown } | null)?.type;
  const qt = QUERY_TYPES.find((q) => q.type === type);
  if (!qt) throw new Error(`type: unknown query type ${JSON.stringify(type)}; one of ${QUERY_TYPES.map((q) => q.type).join(', ')}`);
  const parsed = qt.schema.safeParse(body);
  if (!parsed.success) throw new Error(validationError(parsed.error).message);
  return qt.run(parsed.data, { db, config, now });
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break; formula-leading text is prefixed so spreadsheets do not run it. */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN') : String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const csvLine = (cells: unknown[]) => cells.map(csvField).join(',');

/** Metric rows as CSV: one column per label name found, then the value. */
export function metricsCsv(rows: readonly MetricRow[]): string {
  const labelNames = [...new Set(rows.flatMap((r) => Object.keys(r.labels)))].sort();
  return (
    [
      csvLine(['metric', ...labelNames, 'value']),
      ...rows.map((r) => csvLine([r.metric, ...labelNames.map((l) => r.labels[l] ?? ''), r.value])),
    ].join('\n') + '\n'
  );
}

/** A frame as CSV (time fields as ISO 8601); several frames are separated by a blank line and a `# frame` line. */
export function framesCsv(answer: QueryAnswer): string {
  const one = (f: Frame) => {
    const n = Math.max(0, ...f.fields.map((x) => x.values.length));
    const cell = (field: Frame['fields'][number], i: number) => {
      const v = field.values[i];
      return field.type === 'time' && typeof v === 'number' ? new Date(v).toISOString() : v;
    };
    return (
      [csvLine(f.fields.map((x) => x.name)), ...Array.from({ length: n }, (_, i) => csvLine(f.fields.map((x) => cell(x, i))))].join('\n') +
      '\n'
    );
  };
  if (answer.frames.length === 1) return one(answer.frames[0] as Frame);
  return answer.frames.map((f) => `# frame: ${f.name}\n${one(f)}`).join('\n');
}
