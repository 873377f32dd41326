import { formatCell, formatFigure, reportHeaderLines, sectionError, STATUS_MARK } from './format';
import { Report, Section } from './report';

/**
 * Slack Block Kit: a header, the context line, one section per report section (figures as
 * fields, tables as short lines). Charts do not travel (an incoming webhook cannot upload files):
 * their latest values do. Slack caps a message at 50 blocks and a text at 3000 characters.
 */

export interface SlackMessage {
  text: string;
  blocks: Array<Record<string, unknown>>;
}

const MAX_TEXT = 2900;
const cut = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s);
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text: cut(text) });

function sectionBlocks(s: Section, r: Report): Array<Record<string, unknown>> {
  const title = `*${s.title}*`;
  if (s.error !== undefined) return [{ type: 'section', text: mrkdwn(`${title}\n:warning: ${sectionError(s)}`) }];
  const note = s.note ? `\n_${s.note}_` : '';
  switch (s.type) {
    case 'figures':
      return [
        { type: 'section', text: mrkdwn(`${title}${note}`) },
        ...chunk(s.figures, 10).map((figs) => ({
          type: 'section',
          fields: figs.map((f) => mrkdwn(`*${f.label}*\n${f.status ? `${STATUS_MARK[f.status]} ` : ''}${formatFigure(f, r.currency)}`)),
        })),
      ];
    case 'table': {
      const lines = s.rows
        .slice(0, 15)
        .map((row) => `• ${row.map((c, i) => formatCell(c, s.columns[i] ?? { name: '' }, r.currency)).join(' · ')}`);
      const more = s.rows.length > 15 ? `\n… and ${s.rows.length - 15} more` : '';
      return [
        { type: 'section', text: mrkdwn(`${title}${note}\n${s.columns.map((c) => c.name).join(' · ')}\n${lines.join('\n')}${more}`) },
      ];
    }
    case 'chart': {
      const latest =
        s.chart?.kind === 'line'
          ? s.chart.series.map((x) => {
              const last = x.points.filter((p) => p[1] !== null).at(-1);
              return `${x.name}: ${last ? `${last[1]}${s.chart?.kind === 'line' && s.chart.unit === 'currency' ? ` ${r.currency}` : ''}` : 'nothing in range'}`;
            })
          : [];
      return [{ type: 'section', text: mrkdwn(`${title}${note}${latest.length ? `\n${latest.join(' · ')}` : ''}`) }];
    }
    case 'text':
      return [{ type: 'section', text: mrkdwn(`${title}\n${s.lines.join('\n')}`) }];
  }
}

function chunk<T>(list: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += n) out.push(list.slice(i, i + n));
  return out;
}

export function renderSlack(r: Report): SlackMessage {
  const blocks = [
    { type: 'header', text: { type: 'plain_text', text: r.title.slice(0, 150) } },
    { type: 'context', elements: [mrkdwn(reportHeaderLines(r).join('\n'))] },
    ...r.sections.flatMap((s) => [{ type: 'divider' }, ...sectionBlocks(s, r)]),
  ].slice(0, 50);
  return { text: `${r.title}${r.status ? `: ${r.status}` : ''}`, blocks };
}
