import { PoolClient } from 'pg';
import { Config } from '../config/schema';
import { dataQualityCollector } from '../collectors/data-quality';
import { readNewestEvent } from '../reads/data-quality';
import { activeUsersQuery } from '../api/query/active-users';
import { funnelQuery } from '../api/query/funnel';
import { retentionQuery } from '../api/query/retention';
import { Frame } from '../api/query/frames';
import { eventsFresh } from '../domain/data-quality';
import { moneyToNumber, sumMoney } from '../domain/money';
import { changesBetween, classifyMovements, MOVEMENT_TYPES } from '../domain/mrr';
import { readTenantMrr } from '../reads/revenue';
import { MetricFamily } from '../metrics/family';
import { ExecutiveSummary, readExecutiveSummary } from '../summary/executive-summary';
import { lastClosedPeriod, periodsEndingWith, ReportKind, ReportPeriod } from './periods';
import { priorityActions, readAlignment } from '../summary/priority-actions';
import { Cell, Chart, Column, Report, Section } from './report';
import { zoneLabel } from './zoned-time';

/**
 * Builds a report of a closed period in one read-only transaction. Every number is read at the
 * period's end T by the code that serves it elsewhere: the executive summary (the collectors'
 * readers), the collectors themselves (data quality) and the query types (retention, funnel,
 * active users), so a report equals /metrics and the query API at T. A section whose read fails
 * is rolled back to its savepoint and says so; the others still come.
 */

export interface BuildOptions {
  kind: ReportKind;
  /** When the report is made (default now); the period is the last one closed then. */
  at?: Date;
  period?: ReportPeriod;
  timeZone?: string;
  late?: { scheduledFor: Date };
}

const TITLES: Record<ReportKind, string> = { daily: 'Daily report', weekly: 'Weekly report', monthly: 'Monthly business review' };
const DAY_MS = 86_400_000;

/** Trend lengths: how many periods back the charts go. */
const TREND_PERIODS: Record<ReportKind, number> = { daily: 30, weekly: 12, monthly: 12 };

let savepoints = 0;

/** Runs one section's reads under a savepoint: a failed query costs that section only. */
async function guarded(db: PoolClient, base: { id: string; title: string }, build: () => Promise<Section>): Promise<Section> {
  const name = `report_section_${++savepoints}`;
  await db.query(`SAVEPOINT ${name}`);
  try {
    const section = await build();
    await db.query(`RELEASE SAVEPOINT ${name}`);
    return section;
  } catch (err) {
    await db.query(`ROLLBACK TO SAVEPOINT ${name}`);
    return { ...base, type: 'text', lines: [], error: (err as Error).message };
  }
}

const col = (f: Frame | undefined, name: string) => f?.fields.find((x) => x.name === name)?.values ?? [];

function familyValue(families: readonly MetricFamily[], name: string, labels: Record<string, string> = {}): number | undefined {
  const f = families.find((x) => x.name === name);
  return f?.samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

export async function buildReport(db: PoolClient, config: Config, options: BuildOptions): Promise<Report> {
  const at = options.at ?? new Date();
  const zone = options.timeZone ?? config.reports.timeZone;
  const period = options.period ?? lastClosedPeriod(options.kind, at.getTime(), zone);
  const T = new Date(period.endMs);
  const ctx = { db, config, now: T };
  const kind = options.kind;
  const newest = await readNewestEvent(db, at);
  const sections: Section[] = [];
  let summary: ExecutiveSummary | undefined;

  const summarySection = await guarded(db, { id: 'key_metrics', title: 'Key metrics' }, async () => {
    summary = await readExecutiveSummary(db, T, config);
    return { id: 'key_metrics', title: 'Key metrics', type: 'figures', figures: summary.figures.filter((f) => f.group === 'business') };
  });
  sections.push(summarySection);
  const s = summary as ExecutiveSummary | undefined;

  // Without the summary its parts say why they are missing rather than vanish.
  const summaryFailed = (id: string, title: string): Section => ({ id, title, type: 'text', lines: [], error: summarySection.error });
  if (kind === 'weekly' || kind === 'monthly') sections.push(await alignmentSection(db, config, period));
  if (!s)
    sections.push(
      ...(kind === 'daily' ? [summaryFailed('realtime', 'Real-time figures')] : []),
      summaryFailed('system_health', 'System health'),
    );
  if (kind === 'daily' && s) {
    sections.push({
      id: 'realtime',
      title: 'Real-time figures (last 24 h at the end of the day)',
      type: 'figures',
      figures: s.figures.filter((f) => f.group === 'realtime'),
    });
  }
  if (s)
    sections.push({
      id: 'system_health',
      title: 'System health',
      type: 'figures',
      figures: s.figures.filter((f) => f.group === 'platform'),
    });
  sections.push(await mrrTrendSection(db, config, period));
  sections.push(await guarded(db, { id: 'active_users', title: 'Active users' }, () => activeUsersSection(ctx, period)));
  if (kind === 'monthly') sections.push(await movementsSection(db, period));
  if (kind !== 'daily')
    sections.push(await guarded(db, { id: 'retention', title: 'Retention cohorts' }, () => retentionSection(ctx, kind)));
  if (kind === 'weekly') sections.push(await guarded(db, { id: 'funnel', title: 'Conversion funnel' }, () => funnelSection(ctx, period)));
  if (!s) sections.push(summaryFailed('alerts', 'Alerts firing'), summaryFailed('priority_actions', 'Priority actions'));
  if (s) {
    sections.push(alertsSection(s));
    const actions = kind === 'daily' ? s.priorityActions : priorityActions(s.alignment, config, 8);
    sections.push({
      id: 'priority_actions',
      title: kind === 'daily' ? `Top ${config.priorityActions.topN} priority actions` : 'Priority actions',
      type: 'table',
      note: actions.length ? 'KPIs ranked by the alignment score points they cost (weighted gap).' : 'Every defined KPI meets its target.',
      columns: [
        { name: '#', unit: 'count' },
        { name: 'KPI', unit: 'text' },
        { name: 'points lost', unit: 'score' },
        { name: 'score', unit: 'score' },
        { name: 'action', unit: 'text' },
      ],
      rows: actions.map((a) => [a.rank, a.kpi, a.weightedGap, a.score, a.action]),
    });
  }
  sections.push(await guarded(db, { id: 'data_quality', title: 'Data quality' }, () => dataQualitySection(db, config, T)));

  return {
    kind,
    title: `${TITLES[kind]} ${period.firstDay === period.lastDay ? period.firstDay : `${period.firstDay} to ${period.lastDay}`}`,
    timeZone: zone,
    timeZoneLabel: zoneLabel(period.endMs - 1, zone),
    period: { start: new Date(period.startMs).toISOString(), end: T.toISOString(), firstDay: period.firstDay, lastDay: period.lastDay },
    asOf: T.toISOString(),
    generatedAt: at.toISOString(),
    ...(options.late ? { late: { scheduledFor: options.late.scheduledFor.toISOString() } } : {}),
    freshness: {
      newestEvent: newest?.toISOString(),
      fresh: eventsFresh(newest?.getTime(), at.getTime(), config.dataQuality.freshnessSeconds),
      limitSeconds: config.dataQuality.freshnessSeconds,
    },
    status: s?.status,
    currency: config.currency,
    sections,
  };
}

async function alignmentSection(db: PoolClient, config: Config, period: ReportPeriod): Promise<Section> {
  return guarded(db, { id: 'alignment', title: 'Alignment score' }, async () => {
    const periods = periodsEndingWith(period, 8);
    const points: Array<[number, number | null]> = [];
    let last: Awaited<ReturnType<typeof readAlignment>> | undefined;
    for (const p of periods) {
      last = await readAlignment(db, new Date(p.endMs), config);
      points.push([p.endMs, last.score ?? null]);
    }
    const previous = points.at(-2)?.[1];
    const score = last?.score;
    const chart: Chart = { kind: 'line', unit: 'score', series: [{ name: 'alignment score', points }] };
    return {
      id: 'alignment',
      title: 'Alignment score',
      type: 'chart',
      chart,
      note:
        score === undefined
          ? 'not defined: no KPI with a value at the end of the period'
          : `${score.toFixed(1)} (${last?.status?.replace('_', ' ')})${previous !== null && previous !== undefined ? `, ${score - previous >= 0 ? '+' : ''}${(score - previous).toFixed(1)} on the period before` : ''}`,
    };
  });
}

async function mrrTrendSection(db: PoolClient, config: Config, period: ReportPeriod): Promise<Section> {
  return guarded(db, { id: 'mrr_trend', title: 'MRR trend' }, async () => {
    const ends = periodsEndingWith(period, TREND_PERIODS[period.kind]).map((p) => p.endMs);
    const tenants = await readTenantMrr(
      db,
      ends.map((ms) => new Date(ms)),
    );
    const points = ends.map((ms, i): [number, number] => [ms, moneyToNumber(sumMoney(tenants.map((t) => t.mrr[i] ?? 0n)))]);
    return {
      id: 'mrr_trend',
      title: `MRR trend (${config.currency}, at the end of each ${period.kind === 'daily' ? 'day' : period.kind === 'weekly' ? 'week' : 'month'})`,
      type: 'chart',
      chart: { kind: 'line', unit: 'currency', series: [{ name: 'MRR', points }] },
    };
  });
}

async function activeUsersSection(ctx: { db: PoolClient; config: Config; now: Date }, period: ReportPeriod): Promise<Section> {
  const days = period.kind === 'daily' ? 30 : period.kind === 'weekly' ? 84 : 365;
  const answer = await activeUsersQuery.run(
    { type: 'active_users', from: new Date(ctx.now.getTime() - days * DAY_MS).toISOString(), to: ctx.now.toISOString() },
    ctx,
  );
  const [f] = answer.frames;
  const time = col(f, 'time') as number[];
  const series = (['DAU', 'WAU', 'MAU'] as const).map((name) => ({
    name,
    points: time.map((t, i): [number, number | null] => [t, (col(f, name)[i] as number | null) ?? null]),
  }));
  return {
    id: 'active_users',
    title: 'Active users (DAU, WAU, MAU per UTC day)',
    type: 'chart',
    chart: { kind: 'line', unit: 'count', series },
  };
}

async function movementsSection(db: PoolClient, period: ReportPeriod): Promise<Section> {
  return guarded(db, { id: 'mrr_movements', title: 'MRR movements' }, async () => {
    const tenants = await readTenantMrr(db, [new Date(period.startMs), new Date(period.endMs)]);
    const m = classifyMovements(changesBetween(tenants, 0, 1, period.startMs));
    return {
      id: 'mrr_movements',
      title: 'MRR movements over the month',
      type: 'table',
      columns: [
        { name: 'movement', unit: 'text' },
        { name: 'MRR', unit: 'currency' },
        { name: 'tenants', unit: 'count' },
      ],
      rows: [
        ['starting MRR', moneyToNumber(m.startingMrr), m.payingAtStart],
        ...MOVEMENT_TYPES.map((t): Cell[] => [t, moneyToNumber(m.totals[t]), m.tenants[t]]),
        ['ending MRR', moneyToNumber(m.endingMrr), m.payingAtEnd],
      ],
    };
  });
}

async function retentionSection(ctx: { db: PoolClient; config: Config; now: Date }, kind: ReportKind): Promise<Section> {
  const interval = kind === 'weekly' ? 'week' : 'month';
  const periods = kind === 'weekly' ? 8 : 6;
  const back = kind === 'weekly' ? periods * 7 * DAY_MS : periods * 31 * DAY_MS;
  const answer = await retentionQuery.run(
    {
      type: 'retention',
      from: new Date(ctx.now.getTime() - back).toISOString(),
      to: ctx.now.toISOString(),
      interval,
      periods,
      mode: 'return_on',
      format: 'cells',
    },
    ctx,
  );
  const [f] = answer.frames;
  const cohorts = [...new Set(col(f, 'cohort') as number[])];
  const label = (ms: number) => new Date(ms).toISOString().slice(0, interval === 'week' ? 10 : 7);
  const values = cohorts.map((c) =>
    Array.from({ length: periods + 1 }, (_, k) => {
      const i = (col(f, 'cohort') as number[]).findIndex((x, j) => x === c && col(f, 'period')[j] === k);
      return i < 0 || col(f, 'incomplete')[i] ? null : ((col(f, 'rate')[i] as number | null) ?? null);
    }),
  );
  const sizes = cohorts.map((c) => col(f, 'cohort_size')[(col(f, 'cohort') as number[]).indexOf(c)] as number);
  const columns: Column[] = [
    { name: 'cohort', unit: 'text' },
    { name: 'users', unit: 'count' },
    ...Array.from({ length: periods + 1 }, (_, k) => ({ name: `${interval[0]}${k}`, unit: 'ratio' as const })),
  ];
  return {
    id: 'retention',
    title: `Retention cohorts (by sign-up ${interval}, UTC)`,
    type: 'table',
    note: cohorts.length
      ? `Share of each cohort active in ${interval} k after its sign-up ${interval}; blank: not over yet.`
      : 'No users signed up in these cohorts.',
    columns,
    rows: cohorts.map((c, i) => [label(c), sizes[i] ?? 0, ...(values[i] ?? [])]),
    chart: { kind: 'heatmap', rowLabels: cohorts.map(label), columnLabels: columns.slice(2).map((c) => c.name), values },
  };
}

async function funnelSection(ctx: { db: PoolClient; config: Config; now: Date }, period: ReportPeriod): Promise<Section> {
  const steps = ctx.config.reports.funnel.steps;
  if (!steps) {
    return {
      id: 'funnel',
      title: 'Conversion funnel',
      type: 'text',
      lines: ['No funnel configured: set reports.funnel.steps to the event names of its steps.'],
    };
  }
  const answer = await funnelQuery.run(
    {
      type: 'funnel',
      from: new Date(period.startMs).toISOString(),
      to: ctx.now.toISOString(),
      steps,
      windowDays: ctx.config.reports.funnel.windowDays,
    },
    ctx,
  );
  const [f] = answer.frames;
  const users = col(f, 'users') as number[];
  const events = col(f, 'event') as string[];
  return {
    id: 'funnel',
    title: 'Conversion funnel (attempts started in the period)',
    type: 'table',
    columns: [
      { name: 'step', unit: 'text' },
      { name: 'users', unit: 'count' },
      { name: 'from start', unit: 'ratio' },
      { name: 'from previous', unit: 'ratio' },
    ],
    rows: events.map((e, i) => [
      e,
      users[i] ?? 0,
      (col(f, 'conversion_from_start')[i] as number | null) ?? null,
      (col(f, 'conversion_from_previous')[i] as number | null) ?? null,
    ]),
    chart: { kind: 'funnel', steps: events.map((label, i) => ({ label, users: users[i] ?? 0 })) },
  };
}

function alertsSection(s: ExecutiveSummary): Section {
  const base = { id: 'alerts', title: 'Alerts firing (KPI and platform)' };
  switch (s.alerts.state) {
    case 'not_configured':
      return { ...base, type: 'text', lines: ['Alertmanager is not configured (alertmanager.url).'] };
    case 'error':
      return { ...base, type: 'text', lines: [], error: s.alerts.error };
    case 'ok':
      return {
        ...base,
        type: 'table',
        note: s.alerts.alerts.length ? 'At the time the report was made.' : 'None firing when the report was made.',
        columns: [
          { name: 'severity', unit: 'text' },
          { name: 'alert', unit: 'text' },
          { name: 'summary', unit: 'text' },
          { name: 'since', unit: 'text' },
        ],
        rows: s.alerts.alerts.map((a) => [a.severity, a.alertname, a.summary, a.startsAt]),
      };
  }
}

async function dataQualitySection(db: PoolClient, config: Config, T: Date): Promise<Section> {
  const families = await dataQualityCollector.collect({ db, now: T, config });
  const passed = families.find((f) => f.name === 'saasmon_data_quality_check_passed')?.samples ?? [];
  const score = familyValue(families, 'saasmon_data_quality_score');
  return {
    id: 'data_quality',
    title: 'Data quality',
    type: 'table',
    note: score === undefined ? 'no checks ran' : `score ${score.toFixed(0)} / 100 (saasmon_data_quality_score)`,
    columns: [
      { name: 'check', unit: 'text' },
      { name: 'passed', unit: 'text' },
      { name: 'violations', unit: 'count' },
    ],
    rows: passed.map((p) => [
      p.labels.check as string,
      p.value === 1 ? 'yes' : 'NO',
      familyValue(families, 'saasmon_data_quality_violations', { check: p.labels.check as string }) ?? null,
    ]),
  };
}
