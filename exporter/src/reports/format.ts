import { ExecutiveSummary, Figure, FigureUnit } from '../summary/executive-summary';
import { Cell, Column, Report } from './report';

/** How every renderer writes a number: one place, so Markdown, HTML, Slack and the CLI agree. */

export function formatValue(value: number, unit: FigureUnit | 'percent', currency?: string): string {
  switch (unit) {
    case 'currency':
      return `${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency ?? ''}`.trim();
    case 'ratio':
      return `${(value * 100).toLocaleString('en-US', { maximumFractionDigits: Math.abs(value) >= 0.99 && Math.abs(value) < 1 ? 3 : 2 })}%`;
    case 'percent':
      return `${value.toLocaleString('en-US', { maximumFractionDigits: 2 })}%`;
    case 'seconds':
      return value < 1
        ? `${(value * 1000).toLocaleString('en-US', { maximumFractionDigits: 1 })} ms`
        : `${value.toLocaleString('en-US', { maximumFractionDigits: 3 })} s`;
    case 'score':
      return value.toLocaleString('en-US', { maximumFractionDigits: 1 });
    case 'count':
      return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
  }
}

/**
 * A figure as text. Never blank and never "no data": a failed source is named as failed, a figure
 * undefined at T says why.
 */
export function formatFigure(f: Figure, currency: string): string {
  if (f.value !== undefined) return formatValue(f.value, f.unit, currency);
  if (f.error) return `query failed: ${f.error}`;
  return `not defined: ${f.note ?? 'undefined at this instant'}`;
}

export const STATUS_MARK: Record<string, string> = { healthy: '🟢', warning: '🟡', critical: '🔴' };

/** Plain text for the terminal (`saasmon summary`). */
export function renderSummaryText(s: ExecutiveSummary): string {
  const width = Math.max(...s.figures.map((f) => f.label.length));
  const lines = [
    `Executive summary at ${s.at.toISOString()}: ${s.status ? s.status.toUpperCase() : 'no status (no figure with thresholds)'}`,
    '',
    ...s.figures.map((f) => `  ${f.label.padEnd(width)}  ${formatFigure(f, s.currency)}${f.status ? `  [${f.status}]` : ''}`),
    '',
    'Priority actions:',
    ...(s.priorityActions.length
      ? s.priorityActions.map((a) => `  ${a.rank}. ${a.kpi} (${a.weightedGap.toFixed(1)} points): ${a.action}`)
      : ['  none: every defined KPI meets its target']),
    '',
    ...alertLines(s),
  ];
  return lines.join('\n');
}

function alertLines(s: ExecutiveSummary): string[] {
  switch (s.alerts.state) {
    case 'not_configured':
      return ['Alerts: alertmanager.url is not configured'];
    case 'error':
      return [`Alerts: query failed: ${s.alerts.error}`];
    case 'ok':
      return s.alerts.alerts.length
        ? [`Alerts firing (${s.alerts.alerts.length}):`, ...s.alerts.alerts.map((a) => `  [${a.severity}] ${a.alertname}: ${a.summary}`)]
        : ['Alerts: none firing'];
  }
}

/** A table cell as text; null is shown as a dash (a cell not defined, e.g. a cohort not over yet). */
export function formatCell(cell: Cell, column: Column, currency: string): string {
  if (cell === null) return '–';
  if (typeof cell === 'string') return cell;
  switch (column.unit) {
    case undefined:
    case 'text':
    case 'time':
      return String(cell);
    default:
      return formatValue(cell, column.unit, currency);
  }
}

/** The header lines every format shows: period, zone, the instant read, lateness and freshness. */
export function reportHeaderLines(r: Report, mark: (status: string) => string = (st) => STATUS_MARK[st] ?? ''): string[] {
  return [
    `Period ${r.period.firstDay}${r.period.firstDay === r.period.lastDay ? '' : ` to ${r.period.lastDay}`} (${r.timeZoneLabel}); figures as of ${r.asOf}.`,
    ...(r.late ? [`LATE: scheduled for ${r.late.scheduledFor}, made ${r.generatedAt} after the exporter was down.`] : []),
    ...(r.freshness.fresh
      ? []
      : [
          `DATA NOT FRESH: the newest event is ${r.freshness.newestEvent ?? 'missing'} (limit ${r.freshness.limitSeconds} s before ${r.generatedAt}).`,
        ]),
    ...(r.status ? [`Status: ${mark(r.status)} ${r.status}`.replace('  ', ' ')] : []),
  ];
}

export const sectionError = (s: { error?: string }) => `Query failed: ${s.error}. These figures are missing from this report.`;
