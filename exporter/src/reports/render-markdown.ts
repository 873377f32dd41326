import { chartSvg } from './charts';
import { formatCell, formatFigure, reportHeaderLines, sectionError, STATUS_MARK } from './format';
import { Chart, Report, Section } from './report';

/** Markdown for a wiki, a PR or a chat that renders it; charts are described by their numbers. */

const cellText = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function chartSummary(chart: Chart, currency: string): string[] {
  switch (chart.kind) {
    case 'line':
      return chart.series.map((s) => {
        const defined = s.points.filter((p) => p[1] !== null);
        const first = defined[0];
        const last = defined.at(-1);
        if (!first || !last) return `- ${s.name}: nothing in this range`;
        return `- ${s.name}: ${first[1]} on ${new Date(first[0]).toISOString().slice(0, 10)} → ${last[1]} on ${new Date(last[0]).toISOString().slice(0, 10)}${chart.unit === 'currency' ? ` ${currency}` : ''}`;
      });
    case 'funnel':
      return [];
    case 'heatmap':
      return [];
  }
}

function section(s: Section, r: Report, svgs: boolean): string[] {
  const out = [`## ${s.title}`, ''];
  if (s.error !== undefined) return [...out, `> ⚠️ ${sectionError(s)}`, ''];
  if (s.note) out.push(`_${s.note}_`, '');
  switch (s.type) {
    case 'figures':
      out.push('| figure | value | status |', '|---|---:|---|');
      for (const f of s.figures)
        out.push(
          `| ${cellText(f.label)} | ${cellText(formatFigure(f, r.currency))} | ${f.status ? `${STATUS_MARK[f.status]} ${f.status}` : ''} |`,
        );
      break;
    case 'table':
      if (s.rows.length) {
        out.push(
          `| ${s.columns.map((c) => cellText(c.name)).join(' | ')} |`,
          `|${s.columns.map((c) => (c.unit && c.unit !== 'text' ? '---:' : '---')).join('|')}|`,
        );
        for (const row of s.rows)
          out.push(`| ${row.map((cell, i) => cellText(formatCell(cell, s.columns[i] ?? { name: '' }, r.currency))).join(' | ')} |`);
      }
      break;
    case 'chart':
      if (s.chart) out.push(...chartSummary(s.chart, r.currency));
      if (s.chart && svgs) out.push('', chartSvg(s.chart, r.currency));
      break;
    case 'text':
      out.push(...s.lines);
      break;
  }
  out.push('');
  return out;
}

export function renderMarkdown(r: Report, options: { inlineSvg?: boolean } = {}): string {
  return [
    `# ${r.title}`,
    '',
    ...reportHeaderLines(r).map((l) => `${l}  `),
    '',
    ...r.sections.flatMap((s) => section(s, r, options.inlineSvg ?? false)),
  ].join('\n');
}
