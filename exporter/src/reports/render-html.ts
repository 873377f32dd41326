import { chartPng } from './charts';
import { formatCell, formatFigure, reportHeaderLines, sectionError } from './format';
import { Report, Section } from './report';

/**
 * The report as an HTML mail: inline styles only (mail clients drop <style> and scripts), tables
 * for layout, and each chart as a PNG attached inline (cid:) so that it shows without loading
 * remote images. `imageSrc` decides how an image is referenced: cid: for mail, data: for a file.
 */

export interface HtmlImage {
  cid: string;
  filename: string;
  png: Buffer;
}

export interface RenderedHtml {
  html: string;
  images: HtmlImage[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const STATUS_COLOR: Record<string, string> = { healthy: '#1a7f37', warning: '#9a6700', critical: '#cf222e' };
const TD = 'padding:4px 8px;border-bottom:1px solid #e5e7eb;font-size:13px;';

function section(s: Section, r: Report, image: (id: string, png: Buffer) => string): string {
  let body = '';
  if (s.error !== undefined) {
    body = `<p style="color:#cf222e;font-size:13px;margin:4px 0">⚠ ${esc(sectionError(s))}</p>`;
  } else {
    if (s.note) body += `<p style="color:#57606a;font-size:12px;margin:2px 0 6px">${esc(s.note)}</p>`;
    if (s.type === 'figures') {
      body += `<table role="presentation" cellspacing="0" style="border-collapse:collapse;width:100%">${s.figures
        .map(
          (f) =>
            `<tr><td style="${TD}">${esc(f.label)}</td><td style="${TD}text-align:right;font-weight:600">${esc(formatFigure(f, r.currency))}</td><td style="${TD}color:${STATUS_COLOR[f.status ?? ''] ?? '#57606a'}">${f.status ? `● ${f.status}` : ''}</td></tr>`,
        )
        .join('')}</table>`;
    }
    if (s.type === 'table' || s.type === 'chart') {
      if (s.chart)
        body += `<img src="${image(s.id, chartPng(s.chart, r.currency))}" width="640" alt="${esc(s.title)}" style="display:block;max-width:100%;height:auto;margin:4px 0"/>`;
    }
    if (s.type === 'table' && s.rows.length) {
      body += `<table cellspacing="0" style="border-collapse:collapse;width:100%"><tr>${s.columns.map((c) => `<th style="${TD}text-align:left;background:#f6f8fa">${esc(c.name)}</th>`).join('')}</tr>${s.rows
        .map(
          (row) =>
            `<tr>${row.map((cell, i) => `<td style="${TD}${typeof cell === 'number' ? 'text-align:right;' : ''}">${esc(formatCell(cell, s.columns[i] ?? { name: '' }, r.currency))}</td>`).join('')}</tr>`,
        )
        .join('')}</table>`;
    }
    if (s.type === 'text') body += s.lines.map((l) => `<p style="font-size:13px;margin:4px 0">${esc(l)}</p>`).join('');
  }
  return `<tr><td style="padding:12px 16px"><h2 style="font-size:16px;margin:0 0 6px;color:#24292f">${esc(s.title)}</h2>${body}</td></tr>`;
}

/** `mode` cid: images as attachments referenced by Content-ID (mail); data: images inline (a file, a browser). */
export function renderHtml(r: Report, mode: 'cid' | 'data' = 'cid'): RenderedHtml {
  const images: HtmlImage[] = [];
  const image = (id: string, png: Buffer) => {
    const cid = `${id}.${r.kind}.${r.period.firstDay}@saasmon`;
    images.push({ cid, filename: `${id}.png`, png });
    return mode === 'cid' ? `cid:${cid}` : `data:image/png;base64,${png.toString('base64')}`;
  };
  const header = reportHeaderLines(r, () => '●')
    .map((l) => `<p style="margin:2px 0;font-size:13px;color:${/^(LATE|DATA NOT FRESH)/.test(l) ? '#cf222e' : '#57606a'}">${esc(l)}</p>`)
    .join('');
  const sections = r.sections.map((s) => section(s, r, image)).join('');
  const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${esc(r.title)}</title></head><body style="margin:0;background:#f6f8fa;font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:#24292f"><table role="presentation" cellspacing="0" style="width:100%;max-width:680px;margin:0 auto;background:#ffffff;border-collapse:collapse"><tr><td style="padding:16px 16px 8px;border-top:4px solid ${STATUS_COLOR[r.status ?? ''] ?? '#3274d9'}"><h1 style="font-size:20px;margin:0 0 6px">${esc(r.title)}</h1>${header}</td></tr>${sections}<tr><td style="padding:12px 16px;font-size:11px;color:#8c959f">Made by saasmon at ${esc(r.generatedAt)}. Each figure is the exporter's value at ${esc(r.asOf)}.</td></tr></table></body></html>`;
  return { html, images };
}
