import { createHash, randomBytes } from 'node:crypto';
import { COLLECTOR_NAMES, ConfigInput } from '../config/schema';
import { DEFAULT_SEED } from '../demo';
import { Scale, SCALES } from '../demo/scales';
import { eventually } from '../harness/eventually';
import { ExporterProcess } from '../harness/exporter-process';
import { AS_A_SERVICE } from './as-a-service';
import { ensureDataset } from './dataset';
import { ms, repeat, summarize, Summary, table, timed } from './stats';

// The analytics query types of issue 18 through POST /api/v1/query, as a dashboard asks them:
// first answer (cold) and p50/p95 of `runs` more, answer cache off. Only the churn_risk collector runs (its model is
// what the churn_risk query answers from; the exporter is ready once it has trained), so the
// other collectors do not compete. `node dist/bench/analytics.js` runs it alone (BENCH_SCALES,
// BENCH_ANALYTICS_RUNS); `npm run bench` includes it per scale.

const TOKEN = randomBytes(24).toString('hex');
const TOKENS = [{ name: 'bench', sha256: createHash('sha256').update(TOKEN).digest('hex'), scopes: ['query' as const] }];
const DAY_MS = 86_400_000;

export interface AnalyticsFigure {
  type: string;
  firstMs: number;
  api: Summary;
  status: number;
}

/** Bodies relative to the data's end: a year of cohorts, the last 90 days of churn, etc. */
export function analyticsBodies(now: Date): Array<Record<string, unknown>> {
  const ago = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  return [
    { type: 'new_tenants' },
    { type: 'high_value_tenants' },
    { type: 'churned_tenants', from: ago(90), to: now.toISOString() },
    { type: 'plan_changes', from: ago(90), to: now.toISOString() },
    { type: 'lifecycle_funnel', from: ago(365), to: now.toISOString() },
    { type: 'revenue_breakdown', by: 'plan' },
    { type: 'nps', from: ago(365), to: now.toISOString(), breakdown: 'plan' },
    { type: 'retention_days', from: ago(365), to: ago(30), interval: 'month' },
    { type: 'power_users' },
    { type: 'feature_impact', from: ago(120), to: ago(30), features: ['dashboard.viewed', 'report.created', 'report.exported'] },
    { type: 'mrr_forecast' },
    { type: 'churn_risk', limit: 100 },
    // A reference whose speed on a quiet machine is known (docs/benchmarks.md): the machine's load.
    { type: 'retention', from: ago(84), to: now.toISOString(), interval: 'week', periods: 12 },
  ];
}

async function post(baseUrl: string, body: unknown): Promise<number> {
  const res = await fetch(`${baseUrl}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

export async function benchAnalyticsQueries(
  url: string,
  schema: string,
  now: Date,
  runs: number,
): Promise<{ trainSeconds: number; figures: AnalyticsFigure[] }> {
  const collectors = Object.fromEntries(COLLECTOR_NAMES.map((n) => [n, { enabled: n === 'churn_risk' }]));
  const proc = await ExporterProcess.create(
    url,
    schema,
    {
      collectors,
      // The answer cache off: every run computes (a dashboard's repeated asks would be cache hits).
      api: { tokens: TOKENS, rateLimit: { requestsPerSecond: 100_000, burst: 100_000 }, answerCache: { enabled: false } },
    } as ConfigInput,
    AS_A_SERVICE,
  );
  const started = performance.now();
  await proc.start();
  try {
    // Ready once every enabled collector has run: the churn risk model is trained.
    await eventually(async () => {
      const r = await fetch(`${proc.url}/ready`);
      if (r.status !== 200) throw new Error(`ready ${r.status}`);
    }, 600_000);
    const trainSeconds = (performance.now() - started) / 1000;
    const figures: AnalyticsFigure[] = [];
    for (const body of analyticsBodies(now)) {
      const first = await timed(() => post(proc.url, body));
      let status = first.result;
      const times = await repeat(runs, async () => {
        status = await post(proc.url, body);
      });
      figures.push({ type: String(body.type), firstMs: first.ms, api: summarize(times), status });
    }
    return { trainSeconds, figures };
  } finally {
    await proc.stop();
  }
}

export function analyticsReport(scale: string, r: { trainSeconds: number; figures: AnalyticsFigure[] }): string {
  return table(
    [`scale ${scale} (model trained in ~${r.trainSeconds.toFixed(0)} s)`, 'first', 'p50', 'p95', 'status'],
    r.figures.map((f) => [f.type, ms(f.firstMs), ms(f.api.p50), ms(f.api.p95), String(f.status)]),
  );
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/saasmon_bench';
  const scales = (process.env.BENCH_SCALES ?? 'S').split(',').map((s) => s.trim().toUpperCase()) as Scale[];
  const runs = Number(process.env.BENCH_ANALYTICS_RUNS ?? 20);
  for (const scale of scales) {
    if (!SCALES.includes(scale)) throw new Error(`unknown scale ${scale}`);
    const data = await ensureDataset(url, scale, DEFAULT_SEED, (l) => process.stderr.write(`bench: ${l}\n`));
    console.log(analyticsReport(scale, await benchAnalyticsQueries(url, data.schema, data.now, runs)));
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`bench: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  });
}
